// Workflows in flight and their history, people's decisions, and the procure-to-pay views built on them: a
// purchase order's status with every document (the seeds' "PO and invoice status retrieval") and the accruals
// (goods received, not yet invoiced). Reads need viewer; a decision needs operator and is audited.
import type { FastifyInstance } from 'fastify';
import Big from 'big.js';
import { z } from 'zod';
import { conflict, notFound } from '../../core/errors.ts';
import type { WorkflowInstance } from '../../core/types.ts';
import { endOperationSpan, failSpan, startOperationSpan } from '../../engine/tracing.ts';
import type { Committed } from '../../engine/workflows.ts';
import { definition, WORKFLOW_TYPES } from '../../workflows/index.ts';
import type { PoState } from '../../workflows/purchase-order.ts';
import { actorOf, type Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseInput } from '../problem.ts';

const ListQuery = z.object({
  type: z.enum(WORKFLOW_TYPES as [string, ...string[]]).optional(),
  status: z.enum(['running', 'completed', 'cancelled']).optional(),
  stage: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const DecisionBody = z.object({
  decision: z.string().trim().min(1),
  reason: z.string().trim().min(1).max(2000).optional(),
  exceptionId: z.string().min(1).optional(),
  /** What the decision is about, when the instance has several (an invoice number). */
  data: z.record(z.string(), z.unknown()).optional(),
});


export function workflowRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  const viewer = { preHandler: auth.require('viewer') };
  const operator = { preHandler: auth.require('operator') };

  const summary = (w: WorkflowInstance) => ({
    type: w.type, key: w.key, version: w.version, status: w.status, stage: w.stage, facility: w.facility, steps: w.steps,
    createdAt: w.createdAt, updatedAt: w.updatedAt,
    decisions: w.status === 'running' ? definition(w.type, w.version).decisions(w.state as never) : [],
  });

  async function detail(w: WorkflowInstance) {
    const [history, timers, exceptions] = await Promise.all([
      ctx.store.workflowSteps(w.type, w.key), ctx.store.timersOf(w.type, w.key),
      ctx.store.listExceptions({ workflow: { type: w.type, key: w.key }, limit: 1000 }),
    ]);
    return {
      ...summary(w), correlationId: w.correlationId, originEventId: w.originEventId, state: w.state,
      deliveries: (await ctx.store.deliveriesOfWorkflow(w.type, w.key)).map((d) => ({ id: d.id, destination: d.destination, action: d.action, status: d.status, remoteRef: d.remoteRef, lastError: d.lastError })),
      timers: timers.map((t) => ({ name: t.name, dueAt: new Date(t.dueAt).toISOString() })), exceptions, history,
    };
  }

  app.get('/v1/workflows', viewer, async (request) => {
    const q = parseInput(ListQuery, request.query, 'invalid parameters');
    return { data: (await ctx.store.listWorkflows({ type: q.type, status: q.status, stage: q.stage, limit: q.limit })).map(summary) };
  });

  app.get<{ Params: { type: string; key: string } }>('/v1/workflows/:type/:key', viewer, async (request) => {
    const w = await ctx.store.getWorkflow(request.params.type, request.params.key);
    if (!w) throw notFound(`workflow ${request.params.type}/${request.params.key}`);
    return detail(w);
  });

  app.post<{ Params: { type: string; key: string } }>('/v1/workflows/:type/:key/decisions', operator, async (request) => {
    const body = parseInput(DecisionBody, request.body, 'invalid decision');
    const actor = actorOf(request);
    const { type, key } = request.params;
    if (body.exceptionId) {
      const x = await ctx.store.getException(body.exceptionId);
      if (!x || x.workflow?.type !== type || x.workflow.key !== key) throw conflict(`exception ${body.exceptionId} is not one of ${type}/${key}'s`);
    }
    const out: Committed = { deliveries: [], events: [] };
    const at = new Date().toISOString();
    // In the instance's trace: an instance's correlation id is its key (engine/workflows.ts).
    const span = startOperationSpan('tendon.decide', key, { 'tendon.workflow': `${type}/${key}`, 'tendon.decision': body.decision });
    const after = await ctx.store.write(async (tx) => {
      const w = await ctx.pipeline.workflows.decide(tx, type, key, {
        decision: body.decision, actor: actor.name, reason: body.reason ?? null, exceptionId: body.exceptionId ?? null, data: body.data,
      }, at, out);
      await tx.audit({ actor: actor.name, action: 'workflow.decide', target: `${type}/${key}`, detail: { ...body } }, at);
      return w;
    }).catch((error: unknown) => failSpan(span, error));
    endOperationSpan(span, after.stage, { 'tendon.deliveries': out.deliveries.length });
    ctx.dispatcher.enqueue(out.deliveries);
    return summary(after);
  });

  /** A purchase order by its number (or Tendon's order key before the ERP numbered it), with every document. */
  app.get<{ Params: { number: string } }>('/v1/purchase-orders/:number', viewer, async (request) => {
    const n = request.params.number;
    const key = (await ctx.store.workflowKeyByRef('purchase-order', `po:${n}`)) ?? n;
    const w = await ctx.store.getWorkflow('purchase-order', key);
    if (!w) throw notFound(`purchase order ${n}`);
    const s = w.state as PoState;
    // The workflow's own deliveries carry the order key; the supplier's documents and payments name the PO number.
    const traces = await Promise.all([...new Set([w.correlationId, s.poNumber ?? w.correlationId])].map((c) => ctx.store.trace(c)));
    const events = traces.flatMap((t) => t.events).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    const deliveries = [...await ctx.store.deliveriesOfWorkflow(w.type, w.key), ...traces.flatMap((t) => t.deliveries).filter((d) => d.action !== 'event.publish')];
    return {
      poNumber: s.poNumber, orderKey: w.key, status: w.status, stage: w.stage, facility: s.facility, supplierId: s.supplierId,
      orderDate: s.orderDate, currency: s.currency, total: amountOf(s.lines.map((l) => [l.unitPrice, l.quantity])),
      decisions: summary(w).decisions,
      lines: s.lines.map((l) => ({
        line: l.line, itemId: l.itemId, description: l.description, ordered: l.quantity, uom: l.uom, unitPrice: l.unitPrice,
        acknowledged: l.ack, agreedPrice: l.agreedPrice, shipped: l.shipped, received: l.received, invoiced: l.invoicedQuantity,
        requisition: l.requisition,
      })),
      invoices: s.invoices.map(({ match, ...i }) => ({ ...i, match: match?.verdict ?? null })),
      payments: s.payments,
      documents: events.map((e) => ({ type: e.type, id: e.id, status: e.status, occurredAt: e.occurredAt, recordedAt: e.recordedAt, sourceSystem: e.sourceSystem })),
      deliveries: deliveries.map((d) => ({ id: d.id, destination: d.destination, action: d.action, status: d.status, remoteRef: d.remoteRef, lastError: d.lastError })),
      exceptions: await ctx.store.listExceptions({ workflow: { type: w.type, key: w.key }, limit: 1000 }),
    };
  });

  /** Accruals: goods received on open purchase orders and not yet invoiced, valued at the agreed price. */
  app.get('/v1/accruals', viewer, async () => {
    const open = await ctx.store.listWorkflows({ type: 'purchase-order', status: 'running', limit: 10_000 });
    const data = open.flatMap((w) => {
      const s = w.state as PoState;
      return s.lines.filter((l) => l.received > l.invoicedQuantity).map((l) => ({
        poNumber: s.poNumber, facility: s.facility, supplierId: s.supplierId, line: l.line, itemId: l.itemId, costCenterId: l.costCenterId,
        received: l.received, invoiced: l.invoicedQuantity, unitPrice: l.agreedPrice,
        amount: amountOf([[l.agreedPrice, l.received - l.invoicedQuantity]]), currency: s.currency,
      }));
    });
    return { data, total: data.reduce((t, a) => t.plus(a.amount), new Big(0)).toFixed(2) };
  });
}

const amountOf = (pairs: [string, number][]): string => pairs.reduce((t, [price, q]) => t.plus(new Big(price).times(q)), new Big(0)).toFixed(2);
