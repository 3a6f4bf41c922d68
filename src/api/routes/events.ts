// POST /v1/events — the canonical inbound channel. 202 only after the durable commit; an invalid batch stores
// nothing but the refused message, and names every invalid field. Signed webhooks (routes/webhooks.ts) and NATS
// streams take the same body through the same receiveCanonical (engine/inbound/canonical.ts).
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.ts';
import { receiveCanonical } from '../../engine/inbound/canonical.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function eventRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.post('/v1/events', { preHandler: auth.require('operator') }, async (request, reply) => {
    const results = await receiveCanonical(ctx, {
      channel: 'http:/v1/events', sourceId: (request.headers['idempotency-key'] as string | undefined) ?? null,
      raw: request.rawBody ?? Buffer.alloc(0), parsed: { body: request.body, bodyError: request.bodyError }, metric: 'events-api',
    });
    return reply.code(202).send({ results });
  });

  app.get<{ Params: { id: string } }>('/v1/events/:id', { preHandler: auth.require('viewer') }, async (request) => {
    const event = await ctx.store.getEvent(request.params.id);
    if (!event) throw notFound(`event ${request.params.id}`);
    return { ...event, revisions: await ctx.store.revisionsOf(event.revisionOf ?? event.id), deliveries: await ctx.store.deliveriesOfEvent(event.id) };
  });

  app.post<{ Params: { id: string } }>('/v1/messages/:id/reprocess', { preHandler: auth.require('operator') }, async (request) =>
    ctx.replay.reprocess(request.params.id, request.actor!));
}
