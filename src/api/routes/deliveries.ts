// Deliveries and replay: list, inspect, redeliver one, replay by filter (redeliver or reprocess).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import { DELIVERY_STATUSES } from '../../core/types.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseInput } from '../problem.ts';

const Filter = z.object({
  status: z.string().optional().transform((s) => s?.split(',').filter(Boolean))
    .pipe(z.array(z.enum(DELIVERY_STATUSES as [string, ...string[]])).optional()),
  destination: z.string().optional(),
  eventType: z.string().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  afterSeq: z.coerce.number().int().min(0).optional(),
});

/** Replay by filter, or a chosen selection of deliveries (`ids`, nothing else). */
const ReplayBody = Filter.extend({
  mode: z.enum(['redeliver', 'reprocess']).default('redeliver'),
  ids: z.array(z.string().min(1)).min(1).max(10_000).optional(),
}).refine((b) => !b.ids || Object.entries(b).every(([k, v]) => ['ids', 'mode'].includes(k) || v === undefined),
  { message: 'give ids or a filter, not both', path: ['ids'] });


export function deliveryRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get('/v1/deliveries', { preHandler: auth.require('viewer') }, async (request) => {
    const f = parseInput(Filter, request.query);
    return { data: await ctx.store.listDeliveries({ ...f, status: f.status as never, limit: f.limit ?? 100 }) };
  });

  app.get<{ Params: { id: string } }>('/v1/deliveries/:id', { preHandler: auth.require('viewer') }, async (request) => {
    const d = await ctx.store.getDelivery(request.params.id);
    if (!d) throw notFound(`delivery ${request.params.id}`);
    return { ...d, attemptLog: await ctx.store.attemptsOf(d.id) };
  });

  app.post<{ Params: { id: string }; Body: { mode?: string } | undefined }>(
    '/v1/deliveries/:id/replay', { preHandler: auth.require('operator') }, async (request) => {
      const d = await ctx.store.getDelivery(request.params.id);
      if (!d) throw notFound(`delivery ${request.params.id}`);
      if (request.body?.mode === 'reprocess') {
        const event = await ctx.store.getEvent(d.eventId);
        return { mode: 'reprocess', ...(await ctx.replay.reprocess(event!.messageId, request.actor!)) };
      }
      const done = await ctx.replay.redeliver([d.id], request.actor!);
      return { mode: 'redeliver', replayed: done.length, status: done.length ? 'pending' : d.status };
    });

  app.post('/v1/replay', { preHandler: auth.require('operator') }, async (request) => {
    const { mode, ids, ...f } = parseInput(ReplayBody, request.body);
    const replayed = ids
      ? await ctx.replay.byIds(mode, ids, request.actor!)
      : await ctx.replay.byFilter(mode, { ...f, status: f.status as never }, request.actor!);
    return { mode, replayed };
  });
}
