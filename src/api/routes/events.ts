// POST /v1/events — the canonical inbound channel. 202 only after the durable commit; an invalid batch stores
// nothing and names every invalid field. Signed webhooks (routes/webhooks.ts) take the same body through the same
// receiveCanonical, so the two doors can never answer differently.
import type { FastifyInstance } from 'fastify';
import { invalid, notFound, TendonError } from '../../core/errors.ts';
import type { IngestResult } from '../../engine/pipeline.ts';
import { parseEvents } from '../../model/validate.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

/** A canonical JSON body as a door received it: its raw bytes (stored as the message), parsed JSON or why not. */
export interface CanonicalReceipt {
  channel: string;
  sourceId: string | null;
  raw: Buffer;
  body: unknown;
  bodyError: string | undefined;
  /** The `channel` label of the ingest metrics. */
  metric: string;
}

/**
 * Validates the events and ingests them in one commit, resolving after it. An invalid body is refused (throws
 * `invalid`, a 400 problem naming each field) and kept as a refused message whose id the problem carries.
 */
export async function receiveCanonical(ctx: ApiContext, r: CanonicalReceipt): Promise<{ results: IngestResult[] }> {
  const started = performance.now();
  const received = { channel: r.channel, sourceId: r.sourceId, contentType: 'application/json', raw: r.raw };
  let events;
  try {
    if (r.bodyError) throw invalid(r.bodyError, [{ path: '/', message: 'invalid JSON' }]);
    events = parseEvents(r.body).events;
  } catch (error) {
    // Refused, and kept: the raw body is stored (no events) so the sender's mistake can be inspected.
    if (error instanceof TendonError) {
      const messageId = await ctx.pipeline.refuse({ ...received, sourceSystem: sourceOf(r.body) }, error.message);
      ctx.metrics.messagesIn.inc({ channel: r.metric, result: 'refused' });
      error.extra.messageId = messageId;
    }
    throw error;
  }
  const results = await ctx.pipeline.ingest({ ...received, sourceSystem: events[0]!.source.system, events });
  for (const [i, res] of results.entries()) {
    ctx.metrics.eventsIn.inc({ type: events[i]!.type, result: res.duplicate ? 'duplicate' : res.status });
  }
  ctx.metrics.messagesIn.inc({ channel: r.metric, result: 'accepted' });
  ctx.metrics.ingestLatency.observe({ channel: r.metric }, (performance.now() - started) / 1000);
  return { results };
}

export function eventRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.post('/v1/events', { preHandler: auth.require('operator') }, async (request, reply) => {
    const answer = await receiveCanonical(ctx, {
      channel: 'http:/v1/events', sourceId: (request.headers['idempotency-key'] as string | undefined) ?? null,
      raw: request.rawBody ?? Buffer.alloc(0), body: request.body, bodyError: request.bodyError, metric: 'http',
    });
    return reply.code(202).send(answer);
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
