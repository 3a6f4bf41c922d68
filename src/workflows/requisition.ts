// The requisition workflow: one requisition line, from request to payment, keyed by the requesting system and its
// number (or the event, for Tendon's own replenishment). It decides approval — automatic at or under the site's
// limit when the cost center's budget covers it, otherwise a person decides — then hands the approved line to the
// purchase order that gathers that supplier's lines (purchase-order.ts) and follows it, sending the requesting
// system every status change (approved, ordered with the PO number, acknowledged, shipped, received, invoiced,
// paid, or rejected / cancelled). Pure: master data comes in the input (see flows/requisition.ts).
import Big from 'big.js';
import type { BillOnly, RequisitionLine } from '../flows/signals.ts';
import type { Effect, Step, WorkflowDefinition, WorkflowInput, WorkflowSettings } from './types.ts';

export const REQUISITION = 'requisition';

export type RequisitionStatus =
  | 'approved' | 'rejected' | 'ordered' | 'acknowledged' | 'backordered' | 'shipped' | 'received' | 'invoiced' | 'paid' | 'cancelled';

export interface RequisitionState {
  settings: WorkflowSettings;
  line: RequisitionLine | null;
  amount: string | null;
  /** Waiting for a person: why. */
  approval: { category: 'approval_required' | 'budget_exceeded'; reason: string } | null;
  poKey: string | null;
  poNumber: string | null;
  status: RequisitionStatus | 'requested' | 'internal';
  /** The event revision this state is of: a reprocessed (corrected) requisition starts over. */
  revision: number;
  /** Times the line went back to be ordered again (its order was cancelled because another line was corrected). */
  reorders: number;
}

const FINAL: ReadonlySet<RequisitionState['status']> = new Set(['paid', 'rejected', 'cancelled', 'internal']);

export const requisitionWorkflow: WorkflowDefinition<RequisitionState> = {
  type: REQUISITION,
  version: 1,
  initial: (_key, settings) => fresh(settings, 1),
  decisions: (s) => (s.approval ? ['approve', 'reject'] : s.status === 'requested' ? ['cancel'] : []),
  reduce(s, input, ctx): Step<RequisitionState> {
    switch (input.kind) {
      case 'event': return requested(s, input, ctx.key);
      case 'decision': return decided(s, input, ctx.key);
      case 'signal': return followed(s, input, ctx.key);
      default: return done(s, []);
    }
  },
};

const fresh = (settings: WorkflowSettings, revision: number): RequisitionState =>
  ({ settings, line: null, amount: null, approval: null, poKey: null, poNumber: null, status: 'requested', revision, reorders: 0 });

function requested(s: RequisitionState, input: Extract<WorkflowInput, { kind: 'event' }>, key: string): Step<RequisitionState> {
  if (s.line && input.event.revision <= s.revision) return done(s, []); // the same requisition again
  if (s.line) {
    // A corrected requisition (reprocessed): what the earlier revision started is withdrawn — its order cancelled at
    // the supplier and the ERP while that is still possible — and the correction is approved and ordered anew.
    const withdraw: Effect[] = [
      ...(s.approval ? [{ kind: 'resolve', category: s.approval.category, resolution: 'superseded by a corrected requisition' } as const] : []),
      ...(['approved', 'ordered', 'acknowledged', 'backordered'].includes(s.status)
        ? [{ kind: 'signal', to: { type: 'purchase-order', ref: `req:${key}` }, name: 'withdraw', data: {} } as const] : []),
    ];
    const again = requested(fresh(s.settings, input.event.revision), input, key);
    return { ...again, effects: [...withdraw, ...again.effects] };
  }
  const line = input.data as unknown as RequisitionLine;
  const amount = line.unitPrice === null ? null : new Big(line.unitPrice).times(line.quantity).toFixed(2);
  const next = { ...s, line, amount };
  // Stock the ERP's own warehouse fills (no supplier to order from): the ERP has the requisition; nothing to buy.
  if (!line.supplierId || amount === null) return done({ ...next, status: 'internal' }, []);
  // A bill-only line buys an implant already in a patient: there is nothing left to decide before ordering it.
  if (line.billOnly) return approve(next, input.at, key);
  const overBudget = line.budgetAvailable !== null && new Big(amount).gt(line.budgetAvailable);
  const overLimit = new Big(amount).gt(s.settings.autoApproveLimit);
  if (!overBudget && !overLimit) return approve(next, input.at, key);
  const approval = overBudget
    ? { category: 'budget_exceeded' as const, reason: `${amount} ${line.currency} is more than the ${line.budgetAvailable} left on ${line.costCenterId} in ${line.period}` }
    : { category: 'approval_required' as const, reason: `${amount} ${line.currency} is above the automatic approval limit of ${s.settings.autoApproveLimit}` };
  return done({ ...next, approval }, [{
    kind: 'raise', category: approval.category, message: approval.reason, decisions: ['approve', 'reject'],
    detail: { requisitionNumber: line.requisitionNumber, itemId: line.itemId, quantity: line.quantity, amount, costCenterId: line.costCenterId, supplierId: line.supplierId },
  }]);
}

function approve(s: RequisitionState, at: string, key: string): Step<RequisitionState> {
  const line = s.line!;
  // Emergencies go alone and at once; routine lines join the order gathering for the same supplier and facility.
  const ref = line.priority === 'emergency' || line.billOnly ? `order:${line.orderKey}` : `draft:${line.facility}:${line.supplierId}`;
  return done({ ...s, approval: null, status: 'approved', poKey: null }, [
    ...statusUpdate(s, 'approved', at),
    { kind: 'signal', to: { type: 'purchase-order', ref, start: line.orderKey }, name: 'line', data: { requisition: key, ...line } },
  ]);
}

function decided(s: RequisitionState, input: Extract<WorkflowInput, { kind: 'decision' }>, key: string): Step<RequisitionState> {
  const detail = input.reason ?? `${input.decision} by ${input.actor}`;
  // The decision answers the approval question, whichever exception the person clicked through.
  const answered: Effect[] = s.approval ? [{ kind: 'resolve', category: s.approval.category, resolution: `${input.decision}: ${detail}` }] : [];
  if (input.decision === 'approve' && s.approval) {
    const approved = approve(s, input.at, key);
    return { ...approved, effects: [...answered, ...approved.effects] };
  }
  const status = input.decision === 'reject' ? 'rejected' : 'cancelled';
  const next: RequisitionState = { ...s, approval: null, status };
  return done(next, [...answered, ...statusUpdate(s, status, input.at, detail), ...reopened(next)]);
}

/** Status from the order this line is on: passed on to the requesting system. */
function followed(s: RequisitionState, input: Extract<WorkflowInput, { kind: 'signal' }>, key: string): Step<RequisitionState> {
  if (input.name === 'reorder') {
    // The order this line was on was cancelled for another line's correction: it goes on a new order.
    if (!s.line || s.status === 'cancelled' || s.status === 'rejected') return done(s, []);
    const reorders = s.reorders + 1;
    const orderKey = `${s.line.orderKey.slice(0, 19)}R${reorders.toString(36).toUpperCase().padStart(2, '0')}`;
    return approve({ ...s, reorders, poNumber: null, line: { ...s.line, orderKey } }, input.at, key);
  }
  const status = input.data.status as RequisitionStatus;
  const poNumber = (input.data.poNumber as string | undefined) ?? s.poNumber;
  if (status === s.status && poNumber === s.poNumber) return done(s, []);
  const next: RequisitionState = { ...s, status, poKey: input.from.key, poNumber };
  return done(next, [...statusUpdate({ ...s, poNumber }, status, input.at, (input.data.detail as string | undefined) ?? null), ...reopened(next)]);
}

function statusUpdate(s: RequisitionState, status: RequisitionStatus, at: string, detail: string | null = null): Effect[] {
  const line = s.line;
  if (!line?.replyTo || !line.requisitionNumber) return [];
  return [{
    kind: 'deliver', role: 'procurement', action: 'requisition.status', replyTo: line.replyTo,
    partitionKey: `${line.facility}|req|${line.requisitionNumber}`,
    body: { requisitionNumber: line.requisitionNumber, line: line.line, status, poNumber: s.poNumber, at, detail },
  }];
}

/** A replenishment that ends without its stock frees the par location to reorder (the engine's one-at-a-time record). */
const reopened = (s: RequisitionState): Effect[] =>
  s.line?.replenishment && (s.status === 'rejected' || s.status === 'cancelled')
    ? [{ kind: 'reopenReplenishment', location: s.line.locationId, itemId: s.line.itemId }] : [];

function done(s: RequisitionState, effects: Effect[]): Step<RequisitionState> {
  const restocked = s.line?.replenishment === true && ['received', 'invoiced', 'paid'].includes(s.status);
  const status = s.status === 'cancelled' || s.status === 'rejected' ? 'cancelled' : FINAL.has(s.status) || restocked ? 'completed' : 'running';
  const stage = s.approval ? 'awaiting-approval' : s.status;
  return { state: s, status, stage, effects };
}
