// Operating the hub: destinations (status, pause, resume), cross-references, master-data pulls, stock as Tendon
// knows it and its stock-out risk, the audit log and the running configuration (admin, secrets redacted).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { redactSecrets } from '../../config/schema.ts';
import { invalid, notFound } from '../../core/errors.ts';
import { issuesOf } from '../../model/validate.ts';
import { stockRisks } from '../../flows/stock-risk.ts';
import { parKey } from '../../masterdata/snapshot.ts';
import { PURCHASE_ORDER, type PoState } from '../../workflows/purchase-order.ts';
import type { Auth } from '../auth.ts';
import { parseInput } from '../problem.ts';
import type { ApiContext } from '../context.ts';

const RiskQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(500) });
const Xref = z.object({ system: z.string().min(1), code: z.string().min(1), itemId: z.string().min(1), reason: z.string().min(1).optional() });

export function operationRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get('/v1/destinations', { preHandler: auth.require('viewer') }, async () => ({ data: ctx.dispatcher.status() }));

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { name: string } }>(`/v1/destinations/:name/${action}`, { preHandler: auth.require('operator') }, async (request) => {
      const { name } = request.params;
      if (!ctx.dispatcher.has(name)) throw notFound(`destination ${name}`);
      // Persisted first, so a paused destination stays paused across a restart.
      await ctx.store.write(async (tx) => {
        await tx.setDestinationPaused(name, action === 'pause');
        await tx.audit({ actor: request.actor!.name, action: `destination.${action}`, target: name, detail: {} }, new Date().toISOString());
      });
      ctx.dispatcher.setPaused(name, action === 'pause');
      return ctx.dispatcher.status().find((d) => d.destination === name);
    });
  }

  app.get('/v1/xrefs', { preHandler: auth.require('viewer') }, async () => ({ data: await ctx.store.xrefs() }));

  app.post('/v1/xrefs', { preHandler: auth.require('operator') }, async (request, reply) => {
    const r = Xref.safeParse(request.body);
    if (!r.success) throw invalid('invalid cross-reference', issuesOf(r.error));
    if (!ctx.masterData.current().items.has(r.data.itemId)) {
      throw invalid('unknown item', [{ path: '/itemId', message: `no item ${r.data.itemId} in master data` }]);
    }
    const now = new Date().toISOString();
    await ctx.store.write(async (tx) => {
      await tx.putXref(r.data.system, r.data.code, r.data.itemId, request.actor!.name, now, r.data.reason ?? null);
      await tx.audit({ actor: request.actor!.name, action: 'xref.put', target: `${r.data.system}/${r.data.code}`, detail: { itemId: r.data.itemId } }, now);
    });
    await ctx.masterData.reload();
    return reply.code(201).send(r.data);
  });

  app.post('/v1/masterdata/sync', { preHandler: auth.require('operator') }, async () => ({ data: await ctx.masterData.sync() }));

  app.get<{ Querystring: { location?: string; item?: string } }>('/v1/stock', { preHandler: auth.require('viewer') }, async (request) => {
    const { location, item } = request.query;
    if (!location || !item) throw invalid('location and item are required', [{ path: '/location', message: 'required' }, { path: '/item', message: 'required' }]);
    const onHand = await ctx.store.stockOf(location, item);
    return { location, item, onHand, tracked: onHand !== null, openRequisition: await ctx.store.openRequisitionOf(location, item) };
  });

  // Stock-out risk: locations at or near zero, with what is on order for them (docs in README, "Operations console").
  app.get('/v1/stock/risk', { preHandler: auth.require('viewer') }, async (request) => {
    const { limit } = parseInput(RiskQuery, request.query);
    const snapshot = ctx.masterData.current();
    const highestReorderPoint = Math.max(0, ...[...snapshot.parLevels.values()].map((p) => p.reorderPoint));
    const [levels, requisitions, orders] = await Promise.all([
      ctx.store.lowStock(highestReorderPoint, 10_000), ctx.store.openRequisitions(),
      ctx.store.listWorkflows({ type: PURCHASE_ORDER, status: 'running', limit: 10_000 }),
    ]);
    const open = orders.map((o) => ({ number: (o.state as PoState).poNumber ?? o.key, lines: (o.state as PoState).lines }));
    const risks = stockRisks(levels, snapshot.parLevels, open, new Set(requisitions.map((r) => parKey(r.location, r.itemId))),
      (id) => snapshot.items.get(id)?.description ?? null);
    return { data: risks.slice(0, limit), total: risks.length };
  });

  app.get('/v1/audit', { preHandler: auth.require('admin') }, async () => ({ data: await ctx.store.auditLog(500) }));

  app.get('/v1/config', { preHandler: auth.require('admin') }, async () => redactSecrets(ctx.config));
}
