// GET /v1/trace/{correlationId}: the lineage of one business transaction — messages, events, deliveries with
// every attempt, exceptions — and one timeline of all of it in time order. PHI appears only as tokens.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.ts';
import type { Trace } from '../../store/store.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

export function timelineOf(t: Trace) {
  const entries = [
    ...t.messages.map((m) => ({ at: m.receivedAt, kind: 'message', id: m.id, summary: `${m.channel} from ${m.sourceSystem}` })),
    ...t.events.map((e) => ({ at: e.recordedAt, kind: 'event', id: e.id, summary: `${e.type} r${e.revision} ${e.status}` })),
    ...t.deliveries.flatMap((d) => [
      { at: d.createdAt, kind: 'delivery', id: d.id, summary: `${d.action} → ${d.destination} planned` },
      ...d.attemptLog.map((a) => ({ at: a.at, kind: 'attempt', id: d.id, summary: `${d.destination} ${a.outcome}${a.statusCode ? ` ${a.statusCode}` : ''}${a.error ? `: ${a.error}` : ''}` })),
    ]),
    ...t.exceptions.map((x) => ({ at: x.createdAt, kind: 'exception', id: x.id, summary: `${x.category} (${x.status})` })),
  ];
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

export function traceRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get<{ Params: { correlationId: string } }>('/v1/trace/:correlationId', { preHandler: auth.require('viewer') }, async (request) => {
    const trace = await ctx.store.trace(request.params.correlationId);
    if (trace.messages.length === 0 && trace.events.length === 0) throw notFound(`correlation id ${request.params.correlationId}`);
    return { ...trace, timeline: timelineOf(trace) };
  });
}
