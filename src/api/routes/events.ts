// POST /v1/events — the canonical inbound channel. 202 only after the durable commit; an invalid batch stores
// nothing and names every invalid field.
import type { FastifyInstance } from 'fastify';
import { invalid, notFound, TendonError } from '../../core/errors.ts';
import { parseEvents } from '../../model/validate.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function eventRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.post('/v1/events', { preHandler: auth.require('operator') }, async (request, reply) => {
    const started = performance.now();
    const received = {
      channel: 'http:/v1/events', sourceId: (request.headers['idempotency-key'] as string | undefined) ?? null,
      contentType: 'application/json', raw: request.rawBody ?? Buffer.alloc(0),
    };
    let events;
    try {
      if (request.bodyError) throw invalid(request.bodyError, [{ path: '/', message: 'invalid JSON' }]);
      events = parseEvents(request.body).events;
    } catch (error) {
      // Refused, and kept: the raw body is stored (no events) so the sender's mistake can be inspected.
      if (error instanceof TendonError) {
        const messageId = await ctx.pipeline.refuse({ ...received, sourceSystem: sourceOf(request.body) }, error.message);
        ctx.metrics.messagesIn.inc({ channel: 'http', result: 'refused' });
        error.extra.messageId = messageId;
      }
      throw error;
    }
    const results = await ctx.pipeline.ingest({ ...received, sourceSystem: events[0]!.source.system, events });
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

/** The sender named in a body that failed validation, if it names one. */
function sourceOf(body: unknown): string {
  const first = Array.isArray(body) ? body[0] : body;
  const system = (first as { source?: { system?: unknown } } | undefined)?.source?.system;
  return typeof system === 'string' && system.length > 0 && system.length <= 128 ? system : 'unknown';
}
