// Business exceptions: list and inspect, release (plan the held event again, or redeliver a rejected delivery),
// dismiss with a reason. The full workbench (grouping, suggestions, SLA) comes with the master-data issue.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid, notFound } from '../../core/errors.ts';
import { issuesOf } from '../../model/validate.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const Query = z.object({
  status: z.enum(['open', 'resolved', 'dismissed']).optional(),
  category: z.string().optional(),
  facility: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

export function exceptionRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get('/v1/exceptions', { preHandler: auth.require('viewer') }, async (request) => {
    const q = Query.safeParse(request.query);
    if (!q.success) throw invalid('invalid parameters', issuesOf(q.error));
    return { data: await ctx.store.listExceptions(q.data) };
  });

  app.get<{ Params: { id: string } }>('/v1/exceptions/:id', { preHandler: auth.require('viewer') }, async (request) => {
    const x = await ctx.store.getException(request.params.id);
    if (!x) throw notFound(`exception ${request.params.id}`);
    const event = x.eventId ? await ctx.store.getEvent(x.eventId) : null;
    const delivery = x.deliveryId ? await ctx.store.getDelivery(x.deliveryId) : null;
    return { ...x, event, delivery };
  });

  app.post<{ Params: { id: string } }>('/v1/exceptions/:id/release', { preHandler: auth.require('operator') }, async (request, reply) => {
    const result = await ctx.replay.release(request.params.id, request.actor!);
    return reply.code(result.released ? 200 : 409).send(result);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } }>('/v1/exceptions/:id/dismiss', { preHandler: auth.require('operator') }, async (request) => {
    const reason = request.body?.reason?.trim();
    if (!reason) throw invalid('a reason is required', [{ path: '/reason', message: 'required' }]);
    await ctx.replay.dismiss(request.params.id, request.actor!, reason);
    return { dismissed: true };
  });
}
