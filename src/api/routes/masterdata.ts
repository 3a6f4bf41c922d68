// Master data as other systems ask for it, answered from the in-memory snapshot: an item from any code or a
// scanned barcode, whether a cost center can be charged, a cross-reference's history, and drift.
import type { FastifyInstance } from 'fastify';
import { invalid, notFound } from '../../core/errors.ts';
import { driftOf } from '../../masterdata/drift.ts';
import { lookupItem, validateCostCenter } from '../../masterdata/lookup.ts';
import { parseBarcode } from '../../codecs/barcode/index.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const today = () => new Date().toISOString().slice(0, 10);

export function masterDataRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get<{ Querystring: { code?: string; system?: string; gtin?: string; barcode?: string } }>(
    '/v1/items', { preHandler: auth.require('viewer') }, async (request) => {
      const { barcode, ...codes } = request.query;
      let scan;
      if (barcode !== undefined) {
        const parsed = parseBarcode(barcode);
        if (!parsed.ok) throw invalid(`the barcode cannot be read: ${parsed.error}`, [{ path: '/barcode', message: parsed.error }]);
        scan = parsed.value;
      }
      const r = lookupItem(ctx.masterData.current(), { ...codes, scan });
      if (r.found) return { item: r.item, matchedBy: r.matchedBy, unit: r.unit, scanned: r.scanned };
      if (r.invalid) throw invalid(r.reason, [{ path: '/gtin', message: r.reason }]);
      throw notFound(r.reason);
    });

  app.get<{ Params: { id: string }; Querystring: { period?: string; amount?: string } }>(
    '/v1/cost-centers/:id/validation', { preHandler: auth.require('viewer') }, async (request) => {
      const { period = today().slice(0, 7), amount } = request.query;
      if (!/^\d{4}-\d{2}$/.test(period)) throw invalid('period is YYYY-MM', [{ path: '/period', message: 'YYYY-MM' }]);
      if (amount !== undefined && !/^\d+(\.\d+)?$/.test(amount)) throw invalid('amount is a decimal number', [{ path: '/amount', message: 'a decimal number' }]);
      const v = validateCostCenter(ctx.masterData.current(), request.params.id, period, amount);
      if (!v.costCenter) throw notFound(`cost center ${request.params.id}`);
      return v;
    });

  app.get<{ Params: { system: string; code: string } }>('/v1/xrefs/:system/:code/history', { preHandler: auth.require('viewer') }, async (request) => ({
    data: await ctx.store.xrefHistory(request.params.system, request.params.code),
  }));

  app.get<{ Querystring: { sinceDays?: string } }>('/v1/masterdata/drift', { preHandler: auth.require('viewer') }, async (request) => {
    const days = Number(request.query.sinceDays ?? 30);
    if (!Number.isFinite(days) || days <= 0) throw invalid('sinceDays is a positive number', [{ path: '/sinceDays', message: 'positive' }]);
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    return { sinceDays: days, ...driftOf(ctx.masterData.current(), await ctx.store.driftVolumes(since), today()) };
  });
}
