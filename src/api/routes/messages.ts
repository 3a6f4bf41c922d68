// Messages as received: refused ones (the protocol's error was sent and the raw input kept), and any message with
// its raw content, PHI masked, beside the events made from it.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.ts';
import { maskerFor } from '../../engine/decoders.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function messageRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get<{ Querystring: { limit?: string } }>('/v1/messages/refused', { preHandler: auth.require('viewer') }, async (request) => ({
    data: await ctx.store.refusedMessages(Math.min(Number(request.query.limit ?? 100) || 100, 1000)),
  }));

  app.get<{ Params: { id: string } }>('/v1/messages/:id', { preHandler: auth.require('viewer') }, async (request) => {
    const message = await ctx.store.getMessage(request.params.id);
    if (!message) throw notFound(`message ${request.params.id}`);
    const { raw, ...meta } = message;
    const text = Buffer.from(ctx.vault.decrypt(raw)).toString('utf8');
    return { ...meta, raw: maskerFor(message.contentType)(text), events: await ctx.store.eventsOfMessage(message.id) };
  });
}
