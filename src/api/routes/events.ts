// POST /v1/events — the canonical inbound channel. 202 only after the durable commit; an invalid batch stores
// nothing and names every invalid field.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.ts';
import { parseEvents } from '../../model/validate.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function eventRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.post('/v1/events', { preHandler: auth.require('operator') }, async (request, reply) => {
    const started = performance.now();
    const { events } = parseEvents(request.body);
    const results = await ctx.pipeline.ingest({
      channel: 'http:/v1/events',
      sourceSystem: events[0]!.source.system,
      sourceId: (request.headers['idempotency-key'] as string | undefined) ?? null,
      contentType: 'application/json',
      raw: request.rawBody!,
      events,
    });
    for (const [i, r] of results.entries()) {
      ctx.metrics.eventsIn.inc({ type: events[i]!.type, result: r.duplicate ? 'duplicate' : r.status });
    }
    ctx.metrics.messagesIn.inc({ channel: 'http', result: 'accepted' });
    ctx.metrics.ingestLatency.observe({ channel: 'http' }, (performance.now() - started) / 1000);
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
