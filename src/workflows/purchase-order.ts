// The purchase-order workflow (procure-to-pay), keyed by Tendon's order key; once the ERP numbers the order it
// also answers to `po:<number>`, which is how the supplier's documents find it.
//   gathering   approved requisition lines for one supplier and facility gather for the consolidation window
//               (an emergency goes alone, at once)
//   numbering   the order goes to the ERP, which numbers it and commits the budget (no ERP destination: Tendon's key
//               is the number); the ERP refusing it (budget, inactive supplier) → po_rejected, decide retry or cancel
//   awaiting-ack the 850 went to the supplier; no 855 within the SLA → supplier_ack_late (ask-again, wait, cancel);
//               the supplier's system refusing the 850 (at once, or later in a 997/999 or TA1) → order_refused
//               (ask-again once the cause is fixed, or cancel)
//   acknowledged the 855: lines accepted, changed, backordered or rejected; a price beyond tolerance → price_variance
//               (accept-variance, reject-variance, ask-again, cancel)
//   receiving   856 ship notices → goods receipts (stock.received, run through their own flow); partial receipts
//   matching    810 invoices and credit memos → three-way match (match.ts) → AP posting to the ERP, or
//               invoice_mismatch (accept-invoice, reject-invoice); an invoice ahead of its goods waits for them
//   closed      every line received and invoiced, every invoice paid (payment.settled from the ERP)
// Cancelling compensates: the cancelling 850 and the ERP's order reversed (its commitment released).
import Big from 'big.js';
import { poLineOf, threeWayMatch, type MatchInvoiceLine, type MatchResult } from './match.ts';
import type { BillOnly, DocumentLine, RequisitionLine } from '../flows/signals.ts';
import type { RequisitionStatus } from './requisition.ts';
import { hoursAfter, type Effect, type Step, type WorkflowDefinition, type WorkflowInput, type WorkflowSettings } from './types.ts';

export const PURCHASE_ORDER = 'purchase-order';

export interface PoLine {
  line: string;
  requisition: string;
  itemId: string;
  description: string;
  vendorItem: string | null;
  gtin: string | null;
  quantity: number;
  uom: string;
  unitPrice: string;
  costCenterId: string | null;
  locationId: string;
  requisitionNumber: string | null;
  /** A consigned implant already used (bill-only): what ties the line to the case, the patient token, lot and serial. */
  billOnly: BillOnly | null;
  ack: { status: 'accepted' | 'changed' | 'backordered' | 'rejected'; quantity: number; unitPrice: string | null; expectedDate: string | null } | null;
  /** The price invoices are matched against: the PO's, or the 855's once a person accepted the variance. */
  agreedPrice: string;
  shipped: number;
  received: number;
  /** Net of credit memos. */
  invoicedQuantity: number;
}

export interface Invoice {
  number: string;
  kind: 'invoice' | 'credit';
  date: string;
  total: string;
  lines: MatchInvoiceLine[];
  status: 'waiting' | 'mismatch' | 'posting' | 'posted' | 'post-failed' | 'rejected';
  match: MatchResult | null;
  paid: string;
}

type Phase = 'gathering' | 'numbering' | 'erp-rejected' | 'awaiting-ack' | 'acknowledged' | 'rejected' | 'cancelled' | 'closed';

export interface PoState {
  settings: WorkflowSettings;
  phase: Phase;
  facility: string;
  supplierId: string;
  currency: string;
  priority: 'routine' | 'urgent' | 'emergency';
  orderDate: string | null;
  poNumber: string | null;
  lines: PoLine[];
  /** Open questions for a person. */
  ackLate: boolean;
  /** Why the supplier's system refused the 850 (version 2 on; absent in version 1 states). */
  refused?: string | null;
  variance: string[] | null; // PO line numbers whose 855 price is beyond tolerance
  shipments: string[];
  receipts: string[];
  invoices: Invoice[];
  payments: { id: string; invoiceNumber: string; amount: string }[];
}

export const purchaseOrderWorkflow: WorkflowDefinition<PoState> = {
  type: PURCHASE_ORDER,
  version: 2,
  initial: (_key, settings) => ({
    settings, phase: 'gathering', facility: '', supplierId: '', currency: 'USD', priority: 'routine', orderDate: null, poNumber: null,
    lines: [], ackLate: false, refused: null, variance: null, shipments: [], receipts: [], invoices: [], payments: [],
  }),
  decisions(s) {
    if (s.phase === 'cancelled' || s.phase === 'closed' || s.phase === 'rejected') return [];
    const d: string[] = [];
    if (s.phase === 'erp-rejected') d.push('retry');
    if (s.ackLate) d.push('ask-again', 'wait');
    if (s.refused) d.push('ask-again');
    if (s.variance) d.push('accept-variance', 'reject-variance', 'ask-again');
    if (s.invoices.some((i) => i.status === 'mismatch')) d.push('accept-invoice', 'reject-invoice');
    if (cancellable(s)) d.push('cancel');
    return [...new Set(d)];
  },
  refuse(s, decision, data) {
    if (decision !== 'accept-invoice' && decision !== 'reject-invoice') return null;
    const mismatched = s.invoices.filter((i) => i.status === 'mismatch').map((i) => i.number);
    if (typeof data.invoiceNumber === 'string') return mismatched.includes(data.invoiceNumber) ? null : `invoice ${data.invoiceNumber} is not waiting for a decision (${mismatched.join(', ')} are)`;
    return mismatched.length > 1 ? `several invoices wait for a decision (${mismatched.join(', ')}): name one as data.invoiceNumber` : null;
  },
  reduce(s, input, ctx) {
    const k = { key: ctx.key, at: input.at };
    switch (input.kind) {
      case 'signal':
        if (input.name === 'line') return gathered(s, input.data as unknown as RequisitionLine & { requisition: string }, k);
        return input.name === 'withdraw' ? withdrawn(s, input.from.key, k) : step(s, []);
      case 'timer': return timer(s, input.name, k);
      case 'outcome': return outcome(s, input, k);
      case 'decision': return decision(s, input, k);
      case 'event': return document(s, input, k);
    }
  },
};

type K = { key: string; at: string };

// ── gathering and numbering ──────────────────────────────────────────────────────────────────────────────────────

function gathered(s: PoState, r: RequisitionLine & { requisition: string }, k: K): Step<PoState> {
  if (s.lines.some((l) => l.requisition === r.requisition)) return step(s, []);
  // Too late for this order (it went out while the line was on its way to it, as when several reordered lines race
  // for one draft): the line goes back to its requisition to be ordered anew rather than being lost.
  if (s.phase !== 'gathering') return step(s, [{ kind: 'signal', to: { type: 'requisition', key: r.requisition }, name: 'reorder', data: {} }]);
  const line: PoLine = {
    line: String(s.lines.length + 1), requisition: r.requisition, itemId: r.itemId, description: r.description, vendorItem: r.vendorItem,
    gtin: r.gtin, quantity: r.quantity, uom: r.uom, unitPrice: r.unitPrice ?? '0.00', costCenterId: r.costCenterId, locationId: r.locationId,
    requisitionNumber: r.requisitionNumber, billOnly: r.billOnly ?? null, ack: null, agreedPrice: r.unitPrice ?? '0.00', shipped: 0,
    // A bill-only line's goods are already in the patient: received as ordered, nothing will ship.
    received: r.billOnly ? r.quantity : 0, invoicedQuantity: 0,
  };
  const first = s.lines.length === 0;
  const next: PoState = {
    ...s, lines: [...s.lines, line], facility: r.facility, supplierId: r.supplierId!, currency: r.currency,
    priority: first ? r.priority : s.priority,
  };
  // The requisition can find its order whatever stage it is in (to withdraw a corrected line).
  const bind: Effect = { kind: 'bind', ref: `req:${r.requisition}` };
  if (r.priority === 'emergency' || r.billOnly || s.settings.consolidationMinutes <= 0) return withEffects(release(next, k), [bind]);
  if (!first) return step(next, [bind]);
  return step(next, [bind, { kind: 'timer', name: 'consolidate', at: hoursAfter(k.at, s.settings.consolidationMinutes / 60) }]);
}

/**
 * A requisition was corrected: its line leaves the order. While the order gathers, the line is dropped; once it
 * went out and nothing has shipped, the order is cancelled (a cancelling 850, the ERP's order reversed) and the
 * other lines go back to be ordered again; after shipping it is too late and the order stays as it is.
 */
function withdrawn(s: PoState, requisition: string, k: K): Step<PoState> {
  if (!s.lines.some((l) => l.requisition === requisition)) return step(s, []);
  const unbind: Effect = { kind: 'unbind', ref: `req:${requisition}` };
  if (s.phase === 'gathering') {
    // Nothing went out yet: the lines are numbered again, so a line joining later gets a number of its own.
    const lines = s.lines.filter((l) => l.requisition !== requisition).map((l, i) => ({ ...l, line: String(i + 1) }));
    if (lines.length > 0) return step({ ...s, lines }, [unbind]);
    return withEffects(step({ ...s, lines, phase: 'cancelled' }, stopGathering(s)), [unbind]);
  }
  if (!cancellable(s)) return step(s, []);
  const cancelled = cancel({ ...s, lines: s.lines }, `requisition ${requisition} was corrected`);
  const others = s.lines.filter((l) => l.requisition !== requisition);
  return {
    ...cancelled,
    // The corrected line's requisition hears nothing more from this order; the others are ordered again.
    effects: [unbind, ...cancelled.effects.filter((e) => !(e.kind === 'signal' && 'key' in e.to && e.to.key === requisition)),
      ...others.map((l): Effect => ({ kind: 'signal', to: { type: 'requisition', key: l.requisition }, name: 'reorder', data: {} }))]
      .filter((e) => !(e.kind === 'signal' && e.name === 'status' && others.some((l) => 'key' in e.to && e.to.key === l.requisition))),
  };
}

const withEffects = (st: Step<PoState>, before: Effect[]): Step<PoState> => ({ ...st, effects: [...before, ...st.effects] });

function release(s: PoState, k: K): Step<PoState> {
  const next: PoState = { ...s, phase: 'numbering', orderDate: k.at.slice(0, 10) };
  return step(next, [...stopGathering(s), erpOrder(next, k)]);
}

function erpOrder(s: PoState, k: K): Effect {
  return {
    kind: 'deliver', name: 'erp-po', role: 'erp', action: 'purchase-order.create', partitionKey: partition(s, k),
    body: {
      orderId: k.key, facilityId: s.facility, supplierId: s.supplierId, orderDate: s.orderDate, currency: s.currency, priority: s.priority,
      billOnly: isBillOnly(s),
      lines: s.lines.map((l) => ({
        line: l.line, itemId: l.itemId, quantity: l.quantity, uom: l.uom, unitPrice: l.unitPrice, costCenterId: l.costCenterId,
        locationId: l.locationId, requisitionNumber: l.requisitionNumber,
      })),
    },
  };
}

/** The ERP numbered the order (or none is configured: the key is the number): the 850 goes to the supplier. */
function numbered(s: PoState, poNumber: string, k: K): Step<PoState> {
  const next: PoState = { ...s, phase: 'awaiting-ack', poNumber };
  return step(next, [
    { kind: 'bind', ref: `po:${poNumber}` },
    purchaseOrder850(next, k),
    { kind: 'timer', name: 'ack-due', at: hoursAfter(k.at, s.settings.supplierAckHours) },
    ...toRequisitions(next, 'ordered'),
  ]);
}

function purchaseOrder850(s: PoState, k: K): Effect {
  return {
    kind: 'deliver', name: '850', role: 'supplier', action: 'purchase-order.send', partitionKey: partition(s, k),
    body: {
      poNumber: s.poNumber, orderDate: s.orderDate, supplierId: s.supplierId, facility: s.facility,
      shipTo: { facility: s.facility, location: s.lines[0]!.locationId }, priority: s.priority, currency: s.currency,
      // A bill-only order names the case, the patient (a PHI token, never the identifier), lot and serial.
      billOnly: s.lines[0]!.billOnly,
      lines: s.lines.map((l) => ({
        line: l.line, itemId: l.itemId, vendorItem: l.vendorItem, gtin: l.gtin, description: l.description, quantity: l.quantity,
        uom: l.uom, unitPrice: l.unitPrice, lot: l.billOnly?.lot ?? null, serial: l.billOnly?.serial ?? null,
      })),
    },
  };
}

function outcome(s: PoState, o: Extract<WorkflowInput, { kind: 'outcome' }>, k: K): Step<PoState> {
  if (o.name === '850' && o.status === 'rejected' && s.phase === 'awaiting-ack') return refused(s, o.reason ?? 'the supplier refused the 850');
  if (o.name === 'erp-po' && s.phase === 'numbering') {
    if (o.status === 'delivered' && o.remoteRef) return numbered(s, o.remoteRef, k);
    if (o.status === 'unrouted') return numbered(s, k.key, k);
    const reason = o.reason ?? `the ERP did not take the order (${o.status})`;
    return step({ ...s, phase: 'erp-rejected' }, [{
      kind: 'raise', category: 'po_rejected', message: `the ERP refused order ${k.key}: ${reason}`, decisions: ['retry', 'cancel'],
      detail: { orderKey: k.key, supplierId: s.supplierId, reason, total: totalOf(s.lines) },
    }]);
  }
  if (o.name.startsWith('ap:')) {
    const number = o.name.slice(3);
    const status = o.status === 'delivered' || o.status === 'unrouted' ? 'posted' : 'post-failed';
    const next = withInvoice(s, number, (i) => ({ ...i, status }));
    return closeIfDone(next, status === 'posted' ? toRequisitions(next, 'invoiced') : [], k);
  }
  return step(s, []);
}

/**
 * The supplier's system refused the 850 (an HTTP refusal, or its 997/999 or TA1): no 855 will come, so the SLA timer
 * stops, and a person decides once the cause is fixed (usually the mapping or the item's supplier part number).
 */
function refused(s: PoState, reason: string): Step<PoState> {
  return step({ ...s, refused: reason, ackLate: false }, [
    { kind: 'cancelTimer', name: 'ack-due' },
    { kind: 'resolve', category: 'supplier_ack_late', resolution: 'the supplier refused the 850' },
    {
      kind: 'raise', category: 'order_refused', decisions: ['ask-again', 'cancel'],
      message: `the supplier's system refused the 850 for PO ${s.poNumber}: ${reason}`,
      detail: { poNumber: s.poNumber, supplierId: s.supplierId, reason },
    },
  ]);
}

// ── the supplier's documents and the receipts ────────────────────────────────────────────────────────────────────

function document(state: PoState, input: Extract<WorkflowInput, { kind: 'event' }>, k: K): Step<PoState> {
  const d = input.data as { lines?: DocumentLine[] };
  const p = input.event.payload;
  // Goods shipped or received without an 855 (many suppliers send none): the order stands as it was placed.
  const goods = input.event.type === 'shipment.noticed' || input.event.type === 'stock.received'
    || (input.event.type === 'invoice.received' && isBillOnly(state)); // a bill-only order is often invoiced without an 855
  const s: PoState = goods && state.phase === 'awaiting-ack' ? { ...state, phase: 'acknowledged', ackLate: false } : state;
  const implied: Effect[] = s === state ? [] : [{ kind: 'cancelTimer', name: 'ack-due' }, { kind: 'resolve', category: 'supplier_ack_late', resolution: 'goods arrived without an 855' }];
  if (implied.length > 0) return withEffects(document(s, input, k), implied);
  switch (input.event.type) {
    case 'po.acknowledged': return acknowledged(s, p.status as string, d.lines ?? [], k);
    case 'shipment.noticed': return shipped(s, String(p.shipmentId), d.lines ?? [], k);
    case 'stock.received': return received(s, input.event.id, d as unknown as { itemId: string; quantity: number }, k);
    case 'invoice.received': return invoiced(s, { number: String(p.invoiceNumber), kind: p.kind as Invoice['kind'], date: String(p.invoiceDate), lines: d.lines ?? [] }, k);
    case 'payment.settled': return paid(s, d as unknown as { paymentId: string; invoiceNumber: string; amount: string }, k);
    default: return step(s, []);
  }
}

function acknowledged(s: PoState, status: string, lines: DocumentLine[], k: K): Step<PoState> {
  if (s.phase !== 'awaiting-ack' && !(s.phase === 'acknowledged' && s.ackLate)) return step(s, []); // a second 855 changes nothing
  const updated = s.lines.map((l) => {
    // A line may be answered in parts (3 accepted, 2 backordered): the supplier owes the sum of what it did not reject.
    const parts = lines.filter((x) => sameLine(l, x));
    if (parts.length === 0) return { ...l, ack: l.ack ?? { status: status === 'rejected' ? 'rejected' as const : 'accepted' as const, quantity: status === 'rejected' ? 0 : l.quantity, unitPrice: null, expectedDate: null } };
    const owed = parts.filter((x) => x.status !== 'rejected');
    const lineStatus = owed.length === 0 ? 'rejected' : owed.find((x) => x.status === 'backordered')?.status ?? owed.find((x) => x.status === 'changed')?.status ?? owed[0]!.status ?? 'accepted';
    const priced = owed.find((x) => x.unitPrice !== null) ?? parts[0]!;
    return { ...l, ack: {
      status: lineStatus, quantity: owed.reduce((t, x) => t + x.quantity, 0), unitPrice: priced.unitPrice,
      expectedDate: owed.find((x) => x.expectedDate)?.expectedDate ?? null,
    } };
  });
  const effects: Effect[] = [{ kind: 'cancelTimer', name: 'ack-due' }, { kind: 'resolve', category: 'supplier_ack_late', resolution: 'the 855 arrived' }];
  if (updated.every((l) => l.ack!.status === 'rejected')) {
    const next: PoState = { ...s, lines: updated, phase: 'rejected', ackLate: false };
    // Nothing will come: the ERP's order (and its budget commitment) is reversed.
    return step(next, [...effects, { kind: 'reverse', name: 'erp-po' }, ...toRequisitions(next, 'rejected', 'the supplier rejected every line')]);
  }
  const variance = updated.filter((l) => l.ack!.unitPrice !== null && beyond(l.unitPrice, l.ack!.unitPrice!, s.settings.priceVariancePercent)).map((l) => l.line);
  const next: PoState = { ...s, lines: updated, phase: 'acknowledged', ackLate: false, variance: variance.length ? variance : null };
  if (next.variance) {
    effects.push({
      kind: 'raise', category: 'price_variance', decisions: ['accept-variance', 'reject-variance', 'ask-again', 'cancel'],
      message: `855 for PO ${s.poNumber}: ${variance.length} line(s) priced beyond ${s.settings.priceVariancePercent}% of the order`,
      detail: {
        poNumber: s.poNumber, supplierId: s.supplierId,
        lines: updated.filter((l) => variance.includes(l.line)).map((l) => ({ line: l.line, itemId: l.itemId, ordered: l.unitPrice, acknowledged: l.ack!.unitPrice })),
      },
    });
  }
  for (const l of updated) effects.push(...toRequisition(next, l, l.ack!.status === 'rejected' ? 'rejected' : l.ack!.status === 'backordered' ? 'backordered' : 'acknowledged'));
  return step(next, effects);
}

function shipped(s: PoState, shipmentId: string, lines: DocumentLine[], k: K): Step<PoState> {
  if (s.shipments.includes(shipmentId) || !s.poNumber) return step(s, []);
  const effects: Effect[] = [];
  let updated = s.lines;
  lines.forEach((x, i) => {
    const l = updated.find((p) => sameLine(p, x));
    if (!l) return;
    updated = updated.map((p) => (p === l ? { ...p, shipped: p.shipped + x.quantity } : p));
    if (s.settings.receiveOnShipNotice && !l.billOnly) {
      effects.push({
        kind: 'emit', type: 'stock.received', idempotencyKey: `asn:${s.poNumber}:${shipmentId}:${i + 1}`, facility: s.facility, occurredAt: k.at,
        payload: {
          item: { system: 'erp', code: l.itemId }, quantity: { value: x.quantity, unit: l.uom }, location: l.locationId, lot: x.lot ?? null,
          serial: x.serial ?? null, expiry: x.expiry ?? null, poNumber: s.poNumber, requisitionNumber: l.requisitionNumber,
          unitCost: { amount: l.agreedPrice, currency: s.currency },
        },
      });
    }
  });
  const next = { ...s, lines: updated, shipments: [...s.shipments, shipmentId] };
  return step(next, [...effects, ...toRequisitions(next, 'shipped')]);
}

function received(s: PoState, eventId: string, r: { itemId: string; quantity: number }, k: K): Step<PoState> {
  if (s.receipts.includes(eventId)) return step(s, []);
  // The first line of that item still owed goods takes the receipt (a PO may order one item on two lines).
  const l = s.lines.find((p) => p.itemId === r.itemId && p.received < expected(p)) ?? s.lines.find((p) => p.itemId === r.itemId);
  if (!l) return step(s, []);
  const next: PoState = { ...s, receipts: [...s.receipts, eventId], lines: s.lines.map((p) => (p === l ? { ...p, received: p.received + r.quantity } : p)) };
  const [rematched, effects] = rematch(next, k);
  return closeIfDone(rematched, [...toRequisition(rematched, l, 'received'), ...effects], k);
}

// ── invoices: three-way match, AP posting, payment ───────────────────────────────────────────────────────────────

function invoiced(s: PoState, inv: { number: string; kind: Invoice['kind']; date: string; lines: DocumentLine[] }, k: K): Step<PoState> {
  if (s.invoices.some((i) => i.number === inv.number && i.kind === inv.kind)) return step(s, []);
  const lines: MatchInvoiceLine[] = inv.lines.map((l) => ({
    line: l.line, itemId: l.itemId, quantity: l.quantity, unitPrice: l.unitPrice ?? '0.00', lot: l.lot ?? null, serial: l.serial ?? null,
  }));
  const total = totalOf(lines);
  const invoice: Invoice = { number: inv.number, kind: inv.kind, date: inv.date, total, lines, status: 'waiting', match: null, paid: '0.00' };
  const next = { ...s, invoices: [...s.invoices, invoice] };
  // A credit only lowers what is owed: it goes to the ERP once an invoice it can lower is posted, never before.
  if (inv.kind === 'credit') return next.invoices.some((i) => i.kind === 'invoice' && (i.status === 'posting' || i.status === 'posted')) ? post(next, invoice, k, []) : step(next, []);
  const [matched, effects] = matchOne(next, invoice, k);
  return closeIfDone(matched, effects, k);
}

/** Matches one waiting invoice: posted when it matches, kept waiting for its goods, or an exception. */
function matchOne(s: PoState, invoice: Invoice, k: K): [PoState, Effect[]] {
  const result = threeWayMatch(
    s.lines.map((l) => ({
      line: l.line, itemId: l.itemId, quantity: expected(l), unitPrice: l.agreedPrice, received: l.received, invoicedQuantity: l.invoicedQuantity,
      lot: l.billOnly?.lot ?? null, serial: l.billOnly?.serial ?? null,
    })),
    invoice.lines, { percent: s.settings.matchTolerancePercent, amount: s.settings.matchToleranceAmount },
  );
  const withMatch = withInvoice(s, invoice.number, (i) => ({ ...i, match: result }));
  if (result.verdict === 'matched') {
    const posted = post(withMatch, { ...invoice, match: result }, k, []);
    return [posted.state, posted.effects];
  }
  if (result.verdict === 'waiting') {
    return [withMatch, [{ kind: 'timer', name: `invoice-wait:${invoice.number}`, at: hoursAfter(k.at, s.settings.invoiceWaitHours) }]];
  }
  return mismatch(withMatch, invoice.number, result, 'the invoice does not match the order and the receipts');
}

function mismatch(s: PoState, number: string, result: MatchResult, why: string): [PoState, Effect[]] {
  return [withInvoice(s, number, (i) => ({ ...i, status: 'mismatch' })), [
    { kind: 'cancelTimer', name: `invoice-wait:${number}` },
    {
      kind: 'raise', category: 'invoice_mismatch', decisions: ['accept-invoice', 'reject-invoice'],
      message: `invoice ${number} on PO ${s.poNumber}: ${why}`,
      detail: { poNumber: s.poNumber, supplierId: s.supplierId, invoiceNumber: number, total: result.total, lines: result.lines },
    },
  ]];
}

/** Re-matches the invoices that were waiting for goods, after a receipt. */
function rematch(s: PoState, k: K): [PoState, Effect[]] {
  let state = s;
  const effects: Effect[] = [];
  for (const inv of s.invoices.filter((i) => i.status === 'waiting' && i.kind === 'invoice')) {
    const [next, more] = matchOne(state, inv, k);
    state = next;
    effects.push(...more);
  }
  return [state, effects];
}

/** The AP posting to the ERP; its outcome (ap:<number>) marks the invoice posted. */
function post(s: PoState, invoice: Invoice, k: K, effects: Effect[]): Step<PoState> {
  // An invoice adds its quantities; a credit takes back units only when it credits them at a price billed for them
  // (the agreed one or more): a credit at a lower price is a price correction on units that stay invoiced.
  const counts = (x: MatchInvoiceLine, l: PoLine) => invoice.kind === 'invoice' || new Big(x.unitPrice).gte(l.agreedPrice);
  const lines = s.lines.map((l) => {
    // Each invoice line counts on the PO line the match found for it (poLineOf), never another.
    const q = invoice.lines.filter((x) => poLineOf(s.lines, x) === l && counts(x, l))
      .reduce((t, x) => t + x.quantity, 0);
    return q === 0 ? l : { ...l, invoicedQuantity: l.invoicedQuantity + (invoice.kind === 'credit' ? -q : q) };
  });
  const next = withInvoice({ ...s, lines }, invoice.number, (i) => (i.kind === invoice.kind ? { ...i, status: 'posting' } : i));
  const posted = step(next, [...effects, { kind: 'cancelTimer', name: `invoice-wait:${invoice.number}` }, apPosting(s, invoice, k)]);
  if (invoice.kind !== 'invoice') return posted;
  // Credits that waited for an invoice to lower go with it.
  return next.invoices.filter((i) => i.kind === 'credit' && i.status === 'waiting').reduce((r, c) => post(r.state, c, k, r.effects), posted);
}

function apPosting(s: PoState, invoice: Invoice, k: K): Effect {
  return {
    kind: 'deliver', name: `ap:${invoice.number}`, role: 'erp', action: 'ap-invoice.post', partitionKey: partition(s, k),
    body: {
      poNumber: s.poNumber, invoiceNumber: invoice.number, supplierId: s.supplierId, invoiceDate: invoice.date, kind: invoice.kind,
      currency: s.currency, amount: invoice.total,
      lines: invoice.lines.map((x) => {
        const l = s.lines.find((p) => (x.line !== null && p.line === x.line) || p.itemId === x.itemId);
        return { line: x.line ?? l?.line ?? null, itemId: x.itemId ?? l?.itemId ?? null, quantity: x.quantity, unitPrice: x.unitPrice,
          amount: new Big(x.unitPrice).times(x.quantity).toFixed(2), costCenterId: l?.costCenterId ?? null };
      }),
    },
  };
}

function paid(s: PoState, p: { paymentId: string; invoiceNumber: string; amount: string }, k: K): Step<PoState> {
  if (s.payments.some((x) => x.id === p.paymentId)) return step(s, []);
  const next = withInvoice({ ...s, payments: [...s.payments, { id: p.paymentId, invoiceNumber: p.invoiceNumber, amount: p.amount }] },
    p.invoiceNumber, (i) => (i.kind === 'invoice' ? { ...i, paid: new Big(i.paid).plus(p.amount).toFixed(2) } : i));
  return closeIfDone(next, [], k);
}

/** Closed when every line still owed is received and invoiced and every posted invoice is paid. */
function closeIfDone(s: PoState, effects: Effect[], k: K): Step<PoState> {
  if (s.phase !== 'acknowledged') return step(s, effects);
  const open = s.lines.filter((l) => l.ack?.status !== 'rejected');
  const allIn = open.every((l) => l.received >= expected(l) && l.invoicedQuantity >= l.received);
  const settled = s.invoices.every((i) => i.kind === 'credit' || i.status === 'rejected' || (i.status === 'posted' && new Big(i.paid).gte(i.total)));
  if (!allIn || !settled || s.invoices.length === 0) return step(s, effects);
  const next: PoState = { ...s, phase: 'closed' };
  return step(next, [...effects, ...toRequisitions(next, 'paid')]);
}

// ── timers and decisions ─────────────────────────────────────────────────────────────────────────────────────────

function timer(s: PoState, name: string, k: K): Step<PoState> {
  if (name === 'consolidate' && s.phase === 'gathering') return release(s, k);
  if (name === 'ack-due' && s.phase === 'awaiting-ack' && !s.refused) {
    return step({ ...s, ackLate: true }, [{
      kind: 'raise', category: 'supplier_ack_late', decisions: ['ask-again', 'wait', 'cancel'],
      message: `no 855 for PO ${s.poNumber} within ${s.settings.supplierAckHours} h`,
      detail: { poNumber: s.poNumber, supplierId: s.supplierId, orderDate: s.orderDate },
    }]);
  }
  if (name.startsWith('invoice-wait:')) {
    const inv = s.invoices.find((i) => i.number === name.slice('invoice-wait:'.length) && i.status === 'waiting');
    if (inv?.match) return step(...mismatch(s, inv.number, inv.match, `the goods invoiced were not received within ${s.settings.invoiceWaitHours} h`));
  }
  return step(s, []);
}

function decision(s: PoState, d: Extract<WorkflowInput, { kind: 'decision' }>, k: K): Step<PoState> {
  switch (d.decision) {
    case 'retry':
      return step({ ...s, phase: 'numbering' }, [{ kind: 'resolve', category: 'po_rejected', resolution: `retried by ${d.actor}` }, erpOrder(s, k)]);
    case 'ask-again':
      // A new 850 (new control numbers: a translator refuses an interchange number it has seen) for the same order.
      return step({ ...s, ackLate: false, refused: null, variance: null, phase: 'awaiting-ack' }, [
        ...(['supplier_ack_late', 'order_refused', 'price_variance'] as const).map((category): Effect => ({ kind: 'resolve', category, resolution: `850 sent again by ${d.actor}` })),
        purchaseOrder850(s, k), { kind: 'timer', name: 'ack-due', at: hoursAfter(k.at, s.settings.supplierAckHours) },
      ]);
    case 'wait':
      return step({ ...s, ackLate: false }, [
        { kind: 'resolve', category: 'supplier_ack_late', resolution: `waiting longer (${d.actor})` },
        { kind: 'timer', name: 'ack-due', at: hoursAfter(k.at, s.settings.supplierAckHours) },
      ]);
    case 'accept-variance':
    case 'reject-variance': {
      const accept = d.decision === 'accept-variance';
      const lines = s.lines.map((l) => (accept && s.variance?.includes(l.line) && l.ack?.unitPrice ? { ...l, agreedPrice: l.ack.unitPrice } : l));
      return step({ ...s, lines, variance: null }, [{ kind: 'resolve', category: 'price_variance', resolution: `${d.decision} by ${d.actor}` }]);
    }
    case 'accept-invoice':
    case 'reject-invoice': {
      const inv = chosenInvoice(s, d.data.invoiceNumber);
      if (!inv) return step(s, []);
      if (d.decision === 'reject-invoice') {
        return step(withInvoice(s, inv.number, (i) => ({ ...i, status: 'rejected' })), [{ kind: 'resolve', category: 'invoice_mismatch', resolution: `invoice ${inv.number} rejected by ${d.actor}` }]);
      }
      const posted = post(s, inv, k, [{ kind: 'resolve', category: 'invoice_mismatch', resolution: `invoice ${inv.number} accepted by ${d.actor}` }]);
      return closeIfDone(posted.state, posted.effects, k);
    }
    case 'cancel':
      return cancel(s, d.reason ?? `cancelled by ${d.actor}`);
    default:
      return step(s, []);
  }
}

function cancel(s: PoState, why: string): Step<PoState> {
  const next: PoState = { ...s, phase: 'cancelled', ackLate: false, refused: null, variance: null };
  // The ERP has the order, or may be making it now (its number not back yet): either way it is reversed there.
  const atErp = s.poNumber !== null || s.phase === 'numbering';
  // A supplier that refused the 850 has no order to cancel.
  const sent = s.poNumber !== null && !s.refused;
  return step(next, [
    ...(s.phase === 'gathering' ? stopGathering(s) : []),
    { kind: 'cancelTimer', name: 'ack-due' },
    ...(['po_rejected', 'supplier_ack_late', 'order_refused', 'price_variance'] as const).map((category): Effect => ({ kind: 'resolve', category, resolution: why })),
    // The supplier is told (a cancelling 850) and the ERP's order reversed, which releases its budget commitment.
    ...(sent ? [{ kind: 'reverse', name: '850' } as const] : []),
    ...(atErp ? [{ kind: 'reverse', name: 'erp-po' } as const] : []),
    ...toRequisitions(next, 'cancelled', why),
  ]);
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** New lines for this supplier start the next order (an emergency order gathered none: it had its own ref). */
const stopGathering = (s: PoState): Effect[] => [
  ...(s.priority === 'emergency' || isBillOnly(s) ? [] : [{ kind: 'unbind', ref: `draft:${s.facility}:${s.supplierId}` } as const]),
  { kind: 'cancelTimer', name: 'consolidate' },
];

const isBillOnly = (s: PoState): boolean => s.lines.some((l) => l.billOnly);

/** What the supplier owes on a line: the acknowledged quantity once there is one, the ordered one before. */
const expected = (l: PoLine): number => (l.ack ? l.ack.quantity : l.quantity);

const cancellable = (s: PoState): boolean =>
  ['gathering', 'numbering', 'erp-rejected', 'awaiting-ack', 'acknowledged'].includes(s.phase) && s.lines.every((l) => l.shipped === 0 && l.received === 0);

const sameLine = (l: PoLine, x: DocumentLine): boolean =>
  (x.line !== null && x.line === l.line && (x.itemId === null || x.itemId === l.itemId)) || (x.line === null && x.itemId === l.itemId);

function beyond(ordered: string, acknowledged: string, percent: number): boolean {
  const o = new Big(ordered);
  return o.eq(0) ? !new Big(acknowledged).eq(0) : new Big(acknowledged).minus(o).abs().div(o).times(100).gt(percent);
}

const withInvoice = (s: PoState, number: string, change: (i: Invoice) => Invoice): PoState =>
  ({ ...s, invoices: s.invoices.map((i) => (i.number === number ? change(i) : i)) });

function chosenInvoice(s: PoState, named: unknown): Invoice | undefined {
  const mismatched = s.invoices.filter((i) => i.status === 'mismatch');
  return typeof named === 'string' ? mismatched.find((i) => i.number === named) : mismatched.length === 1 ? mismatched[0] : undefined;
}

/** Σ unit price × quantity, to the cent. */
const totalOf = (lines: { unitPrice: string; quantity: number }[]): string =>
  lines.reduce((t, l) => t.plus(new Big(l.unitPrice).times(l.quantity)), new Big(0)).toFixed(2);

const partition = (s: PoState, k: K): string => `${s.facility}|po|${k.key}`;

function toRequisition(s: PoState, l: PoLine, status: RequisitionStatus, detail: string | null = null): Effect[] {
  return [{ kind: 'signal', to: { type: 'requisition', key: l.requisition }, name: 'status', data: { status, poNumber: s.poNumber, detail } }];
}

const toRequisitions = (s: PoState, status: RequisitionStatus, detail: string | null = null): Effect[] =>
  s.lines.flatMap((l) => toRequisition(s, l, status, detail));


function stage(s: PoState): string {
  if (s.refused) return 'order-refused';
  if (s.phase !== 'acknowledged') return s.phase;
  if (s.invoices.some((i) => i.status === 'mismatch')) return 'invoice-mismatch';
  const open = s.lines.filter((l) => l.ack?.status !== 'rejected');
  if (open.every((l) => l.received >= expected(l))) return s.invoices.length ? 'invoiced' : 'received';
  if (open.some((l) => l.received > 0)) return 'partially-received';
  return open.some((l) => l.shipped > 0) ? 'shipped' : 'acknowledged';
}

function step(s: PoState, effects: Effect[]): Step<PoState> {
  const status = s.phase === 'cancelled' || s.phase === 'rejected' ? 'cancelled' : s.phase === 'closed' ? 'completed' : 'running';
  return { state: s, status, stage: stage(s), effects };
}

/** Version 1 did not hear its 850's refusals: instances started on it finish that way (workflows/index.ts). */
export const purchaseOrderWorkflowV1: WorkflowDefinition<PoState> = {
  ...purchaseOrderWorkflow,
  version: 1,
  reduce: (s, input, ctx) => (input.kind === 'outcome' && input.name === '850' ? step(s, []) : purchaseOrderWorkflow.reduce(s, input, ctx)),
};
