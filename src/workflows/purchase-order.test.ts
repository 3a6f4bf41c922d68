// The purchase-order workflow driven through procure-to-pay with hand-built inputs and a fixed clock, as the engine
// would feed it: lines gathering per supplier, the ERP numbering the order, the 850, the supplier's 855 / 856 / 810,
// receipts, the three-way match and AP posting, payment, and the ways an order ends early (cancel, rejection,
// a corrected requisition withdrawing its line). Each test checks what a buyer, the supplier or the ERP would see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DocumentLine, RequisitionLine } from '../flows/signals.ts';
import { definition, latest } from './index.ts';
import { PURCHASE_ORDER, purchaseOrderWorkflow, type PoState } from './purchase-order.ts';
import { DEFAULT_WORKFLOW_SETTINGS, type Effect, type OutcomeStatus, type Step, type WorkflowInput, type WorkflowSettings } from './types.ts';

const ORDER = 'T0195A1B2C3D45F6A7B8C9';
const PO = 'PO-000001';
const R1 = 'procure:REQ-1:1';
const R2 = 'procure:REQ-2:1';

// The clock: every input carries its own time.
const T0 = '2025-03-03T09:00:00.000Z'; // the first line is approved
const T5 = '2025-03-03T09:05:00.000Z'; // the second one
const T15 = '2025-03-03T09:15:00.000Z'; // the consolidation window closes
const T20 = '2025-03-03T09:20:00.000Z'; // the ERP numbers the order
const ACK_DUE = '2025-03-04T09:20:00.000Z'; // T20 + 24 h
const DAY2 = '2025-03-04T08:00:00.000Z';
const DAY3 = '2025-03-05T10:00:00.000Z';
const DAY4 = '2025-03-06T14:00:00.000Z';
const DAY4_WAIT = '2025-03-09T14:00:00.000Z'; // DAY4 + 72 h
const DAY30 = '2025-04-02T12:00:00.000Z';

// ── inputs ──────────────────────────────────────────────────────────────────────────────────────────────────────

const KNEE: Partial<RequisitionLine> = {
  itemId: 'ITM-KNEE', description: 'Knee implant, cemented', vendorItem: 'K-100', gtin: '00812345000012', quantity: 2, uom: 'EA',
  unitPrice: '1200.00', requisitionNumber: 'REQ-1',
};
const GAUZE: Partial<RequisitionLine> = {
  itemId: 'ITM-GAUZE', description: 'Gauze 4x4', vendorItem: 'G-44', gtin: null, quantity: 10, uom: 'BX', unitPrice: '3.50', requisitionNumber: 'REQ-2',
};

/** An approved requisition line, as the requisition workflow signals it. */
function line(requisition: string, over: Partial<RequisitionLine>, at = T0): WorkflowInput {
  const data: RequisitionLine & { requisition: string } = {
    requisition, facility: 'F1', itemId: 'ITM-X', description: '', supplierId: 'SUP-ACME', vendorItem: null, gtin: null, quantity: 1, uom: 'EA',
    unitPrice: '1.00', currency: 'USD', locationId: 'F1-OR-PAR1', costCenterId: 'CC-OR', budgetAvailable: null, period: '2025-03',
    priority: 'routine', requisitionNumber: null, line: '1', replyTo: 'procure', orderKey: ORDER, ...over,
  };
  return { kind: 'signal', at, name: 'line', from: { type: 'requisition', key: requisition }, data: { ...data } };
}

const withdraw = (requisition: string, at = DAY2): WorkflowInput =>
  ({ kind: 'signal', at, name: 'withdraw', from: { type: 'requisition', key: requisition }, data: {} });

const timer = (name: string, at: string): WorkflowInput => ({ kind: 'timer', at, name });

const outcome = (name: string, status: OutcomeStatus, remoteRef: string | null = null, at = T20): WorkflowInput =>
  ({ kind: 'outcome', at, name, status, remoteRef, reason: status === 'rejected' ? 'supplier SUP-ACME is inactive' : null });

const decide = (decision: string, data: Record<string, unknown> = {}, reason: string | null = null, at = DAY3): WorkflowInput =>
  ({ kind: 'decision', at, decision, actor: 'buyer.ann', reason, exceptionId: null, data });

/** A canonical event signalled by its flow: `payload` as recorded, `data` what the flow resolved. */
function event(type: string, id: string, at: string, payload: Record<string, unknown>, data: Record<string, unknown>): WorkflowInput {
  return { kind: 'event', at, data, event: { id, revision: 1, type, facility: 'F1', occurredAt: at, sourceSystem: 'acme-edi', correlationId: ORDER, payload } };
}

const doc = (n: string, itemId: string | null, quantity: number, unitPrice: string | null, more: Partial<DocumentLine> = {}): DocumentLine =>
  ({ line: n, itemId, quantity, unitPrice, ...more });

const KNEE_LINE = (more: Partial<DocumentLine> = {}) => doc('1', 'ITM-KNEE', 2, '1200.00', more);
const GAUZE_LINE = (more: Partial<DocumentLine> = {}) => doc('2', 'ITM-GAUZE', 10, '3.50', more);

const ack = (lines: DocumentLine[], status = 'accepted', at = DAY2) =>
  event('po.acknowledged', `evt-855-${at}`, at, { poNumber: PO, status }, { lines });
const asn = (shipmentId: string, lines: DocumentLine[], at = DAY3) =>
  event('shipment.noticed', `evt-856-${shipmentId}`, at, { poNumber: PO, shipmentId }, { lines });
const receipt = (id: string, itemId: string, quantity: number, at = DAY3) =>
  event('stock.received', id, at, { poNumber: PO }, { itemId, quantity });
const invoice = (invoiceNumber: string, lines: DocumentLine[], kind: 'invoice' | 'credit' = 'invoice', at = DAY4) =>
  event('invoice.received', `evt-810-${invoiceNumber}-${kind}`, at, { poNumber: PO, invoiceNumber, kind, invoiceDate: at.slice(0, 10) }, { lines });
const payment = (paymentId: string, invoiceNumber: string, amount: string) =>
  event('payment.settled', `evt-pay-${paymentId}`, DAY30, { poNumber: PO }, { paymentId, invoiceNumber, amount });

// ── the order under test ─────────────────────────────────────────────────────────────────────────────────────────

interface Order {
  readonly state: PoState;
  send(input: WorkflowInput): Step<PoState>;
  decisions(): string[];
}

function order(settings: Partial<WorkflowSettings> = {}): Order {
  let state = purchaseOrderWorkflow.initial(ORDER, { ...DEFAULT_WORKFLOW_SETTINGS, ...settings });
  let seq = 0;
  return {
    get state() { return state; },
    send(input) {
      const step = purchaseOrderWorkflow.reduce(state, input, { type: 'purchase-order', key: ORDER, seq: ++seq });
      state = step.state;
      return step;
    },
    decisions: () => purchaseOrderWorkflow.decisions(state),
  };
}

/** Two lines gathered for 15 minutes and released to the ERP. */
function released(settings: Partial<WorkflowSettings> = {}): Order {
  const o = order({ consolidationMinutes: 15, ...settings });
  o.send(line(R1, KNEE, T0));
  o.send(line(R2, GAUZE, T5));
  o.send(timer('consolidate', T15));
  return o;
}

/** …numbered by the ERP: the 850 is out. */
function numbered(settings: Partial<WorkflowSettings> = {}): Order {
  const o = released(settings);
  o.send(outcome('erp-po', 'delivered', PO));
  return o;
}

/** …acknowledged by the supplier as ordered. */
function acknowledged(settings: Partial<WorkflowSettings> = {}): Order {
  const o = numbered(settings);
  o.send(ack([KNEE_LINE(), GAUZE_LINE()]));
  return o;
}

/** …and every line received. */
function received(settings: Partial<WorkflowSettings> = {}): Order {
  const o = acknowledged(settings);
  o.send(receipt('evt-rcv-1', 'ITM-KNEE', 2));
  o.send(receipt('evt-rcv-2', 'ITM-GAUZE', 10));
  return o;
}

// ── reading effects ──────────────────────────────────────────────────────────────────────────────────────────────

type Of<K extends Effect['kind']> = Extract<Effect, { kind: K }>;
const effects = <K extends Effect['kind']>(step: Step<PoState>, kind: K): Of<K>[] => step.effects.filter((e): e is Of<K> => e.kind === kind);
const delivery = (step: Step<PoState>, name: string): Of<'deliver'> | undefined => effects(step, 'deliver').find((d) => d.name === name);
const raised = (step: Step<PoState>): Of<'raise'> | undefined => effects(step, 'raise')[0];
/** The signals to requisitions, as [requisition, name, status]. */
const told = (step: Step<PoState>) =>
  effects(step, 'signal').map((s) => ['key' in s.to ? s.to.key : s.to.ref, s.name, s.data.status ?? null]);

// ── gathering and numbering ──────────────────────────────────────────────────────────────────────────────────────

test('with no consolidation window, an approved line releases the order to the ERP at once', () => {
  const o = order();
  const step = o.send(line(R1, KNEE));
  assert.deepEqual(step.effects.map((e) => [e.kind, 'ref' in e ? e.ref : 'name' in e ? e.name : null]),
    [['bind', `req:${R1}`], ['unbind', 'draft:F1:SUP-ACME'], ['cancelTimer', 'consolidate'], ['deliver', 'erp-po']]);
  const erp = delivery(step, 'erp-po')!;
  assert.equal(erp.role, 'erp');
  assert.equal(erp.action, 'purchase-order.create');
  assert.equal(erp.partitionKey, `F1|po|${ORDER}`);
  assert.deepEqual(erp.body, {
    orderId: ORDER, facilityId: 'F1', supplierId: 'SUP-ACME', orderDate: '2025-03-03', currency: 'USD', priority: 'routine', billOnly: false,
    lines: [{ line: '1', itemId: 'ITM-KNEE', quantity: 2, uom: 'EA', unitPrice: '1200.00', costCenterId: 'CC-OR', locationId: 'F1-OR-PAR1', requisitionNumber: 'REQ-1' }],
  });
  assert.equal(step.stage, 'numbering');
});

test('with a consolidation window, lines gather until the timer releases them on one order', () => {
  const o = order({ consolidationMinutes: 15 });
  const first = o.send(line(R1, KNEE, T0));
  assert.deepEqual(first.effects, [{ kind: 'bind', ref: `req:${R1}` }, { kind: 'timer', name: 'consolidate', at: T15 }]);
  assert.equal(first.stage, 'gathering');
  const second = o.send(line(R2, GAUZE, T5));
  assert.deepEqual(second.effects, [{ kind: 'bind', ref: `req:${R2}` }], 'the second line joins; the window does not restart');
  assert.deepEqual(o.send(line(R2, GAUZE, T5)).effects, [], 'the same requisition twice is one line');
  const fired = o.send(timer('consolidate', T15));
  assert.equal(fired.stage, 'numbering');
  assert.deepEqual((delivery(fired, 'erp-po')!.body.lines as { line: string; itemId: string }[]).map((l) => [l.line, l.itemId]),
    [['1', 'ITM-KNEE'], ['2', 'ITM-GAUZE']]);
  assert.ok(effects(fired, 'unbind').some((e) => e.ref === 'draft:F1:SUP-ACME'), 'new lines for this supplier start the next order');
});

test('an emergency line releases at once even with a consolidation window', () => {
  const step = order({ consolidationMinutes: 15 }).send(line(R1, { ...KNEE, priority: 'emergency' }));
  assert.ok(delivery(step, 'erp-po'));
  assert.equal(effects(step, 'unbind').length, 0, 'an emergency order gathered nothing: it has no draft ref');
  assert.equal(delivery(step, 'erp-po')!.body.priority, 'emergency');
});

test('numbered by the ERP, the order answers to its PO number and the 850 goes to the supplier', () => {
  const o = released();
  const step = o.send(outcome('erp-po', 'delivered', PO));
  assert.deepEqual(step.effects[0], { kind: 'bind', ref: `po:${PO}` });
  const edi = delivery(step, '850')!;
  assert.equal(edi.role, 'supplier');
  assert.equal(edi.action, 'purchase-order.send');
  assert.deepEqual(edi.body, {
    poNumber: PO, orderDate: '2025-03-03', supplierId: 'SUP-ACME', facility: 'F1', shipTo: { facility: 'F1', location: 'F1-OR-PAR1' },
    priority: 'routine', currency: 'USD', billOnly: null,
    lines: [
      { line: '1', itemId: 'ITM-KNEE', vendorItem: 'K-100', gtin: '00812345000012', description: 'Knee implant, cemented', quantity: 2, uom: 'EA', unitPrice: '1200.00', lot: null, serial: null },
      { line: '2', itemId: 'ITM-GAUZE', vendorItem: 'G-44', gtin: null, description: 'Gauze 4x4', quantity: 10, uom: 'BX', unitPrice: '3.50', lot: null, serial: null },
    ],
  });
  assert.deepEqual(effects(step, 'timer'), [{ kind: 'timer', name: 'ack-due', at: ACK_DUE }]);
  assert.deepEqual(told(step), [[R1, 'status', 'ordered'], [R2, 'status', 'ordered']]);
  assert.ok(effects(step, 'signal').every((s) => s.data.poNumber === PO));
  assert.equal(step.stage, 'awaiting-ack');
});

test('with no ERP to number it, the order key is the PO number', () => {
  const o = released();
  const step = o.send(outcome('erp-po', 'unrouted'));
  assert.deepEqual(step.effects[0], { kind: 'bind', ref: `po:${ORDER}` });
  assert.equal(delivery(step, '850')!.body.poNumber, ORDER);
});

test('the ERP refusing the order asks a person, who can retry it', () => {
  const o = released();
  const refused = o.send(outcome('erp-po', 'rejected'));
  assert.equal(refused.stage, 'erp-rejected');
  const r = raised(refused)!;
  assert.equal(r.category, 'po_rejected');
  assert.deepEqual(r.decisions, ['retry', 'cancel']);
  assert.deepEqual(r.detail, { orderKey: ORDER, supplierId: 'SUP-ACME', reason: 'supplier SUP-ACME is inactive', total: '2435.00' });
  assert.deepEqual(o.decisions(), ['retry', 'cancel']);
  const retried = o.send(decide('retry'));
  assert.deepEqual(retried.effects.map((e) => e.kind), ['resolve', 'deliver']);
  assert.equal(delivery(retried, 'erp-po')!.body.orderId, ORDER);
  assert.equal(retried.stage, 'numbering');
  assert.equal(delivery(o.send(outcome('erp-po', 'delivered', PO)), '850')!.body.poNumber, PO, 'numbered this time');
});

// ── the supplier's acknowledgment ────────────────────────────────────────────────────────────────────────────────

test('no 855 in time: supplier_ack_late, and the late 855 closes it', () => {
  const o = numbered();
  const late = o.send(timer('ack-due', ACK_DUE));
  const r = raised(late)!;
  assert.equal(r.category, 'supplier_ack_late');
  assert.deepEqual(r.decisions, ['ask-again', 'wait', 'cancel']);
  assert.deepEqual(o.decisions(), ['ask-again', 'wait', 'cancel']);
  const arrived = o.send(ack([KNEE_LINE(), GAUZE_LINE()], 'accepted', DAY3));
  assert.ok(effects(arrived, 'resolve').some((e) => e.category === 'supplier_ack_late'));
  assert.deepEqual(o.decisions(), ['cancel']);
});

test('the supplier refusing the 850 stops the 855 clock and asks a person; ask-again sends a new 850, cancel tells the supplier nothing', () => {
  const o = numbered();
  const refusal: WorkflowInput = { kind: 'outcome', at: DAY2, name: '850', status: 'rejected', remoteRef: '000000101', reason: '997 rejected; segment PO1 at position 4: Mandatory data element missing' };
  const step = o.send(refusal);
  assert.equal(step.stage, 'order-refused');
  assert.deepEqual(effects(step, 'cancelTimer'), [{ kind: 'cancelTimer', name: 'ack-due' }]);
  const r = raised(step)!;
  assert.equal(r.category, 'order_refused');
  assert.deepEqual(r.detail, { poNumber: PO, supplierId: 'SUP-ACME', reason: refusal.reason });
  assert.deepEqual(o.decisions(), ['ask-again', 'cancel']);
  assert.equal(o.send(timer('ack-due', ACK_DUE)).effects.length, 0, 'no supplier_ack_late for an order the supplier refused');

  const again = o.send(decide('ask-again'));
  assert.equal(again.stage, 'awaiting-ack');
  assert.ok(effects(again, 'resolve').some((e) => e.category === 'order_refused'));
  assert.equal(delivery(again, '850')?.body.poNumber, PO, 'a new 850 for the same order');
  assert.deepEqual(effects(again, 'timer').map((t) => t.name), ['ack-due']);

  const c = numbered();
  c.send(refusal);
  const cancelled = c.send(decide('cancel'));
  assert.deepEqual(effects(cancelled, 'reverse').map((e) => e.name), ['erp-po'], 'the ERP\'s order is reversed; the supplier never took one');
  assert.ok(effects(cancelled, 'resolve').some((e) => e.category === 'order_refused'));
});

test('version 1 of the workflow, which instances started before order_refused finish on, ignores the 850\'s refusal', () => {
  const v1 = definition(PURCHASE_ORDER, 1) as unknown as typeof purchaseOrderWorkflow;
  const o = numbered();
  const step = v1.reduce(o.state, { kind: 'outcome', at: DAY2, name: '850', status: 'rejected', remoteRef: null, reason: 'HTTP 422' }, { type: PURCHASE_ORDER, key: ORDER, seq: 9 });
  assert.deepEqual(step.effects, []);
  assert.equal(step.stage, 'awaiting-ack');
  assert.equal(latest(PURCHASE_ORDER).version, 2);
});

test('an 855 accepting the order acknowledges every line to its requisition', () => {
  const o = numbered();
  const step = o.send(ack([KNEE_LINE(), GAUZE_LINE()]));
  assert.equal(step.stage, 'acknowledged');
  assert.deepEqual(step.effects.slice(0, 2), [{ kind: 'cancelTimer', name: 'ack-due' }, { kind: 'resolve', category: 'supplier_ack_late', resolution: 'the 855 arrived' }]);
  assert.equal(raised(step), undefined);
  assert.deepEqual(told(step), [[R1, 'status', 'acknowledged'], [R2, 'status', 'acknowledged']]);
  assert.deepEqual(o.state.lines.map((l) => l.ack?.status), ['accepted', 'accepted']);
  assert.deepEqual(o.send(ack([KNEE_LINE()], 'accepted', DAY3)).effects, [], 'a second 855 changes nothing');
});

test('an 855 price beyond the variance tolerance raises price_variance for that line only', () => {
  const o = numbered();
  // 1250 is 4.2 % above 1200 (beyond 2 %); 3.55 is 1.4 % above 3.50 (within).
  const step = o.send(ack([KNEE_LINE({ unitPrice: '1250.00' }), GAUZE_LINE({ unitPrice: '3.55' })]));
  const r = raised(step)!;
  assert.equal(r.category, 'price_variance');
  assert.deepEqual(r.decisions, ['accept-variance', 'reject-variance', 'ask-again', 'cancel']);
  assert.deepEqual(r.detail.lines, [{ line: '1', itemId: 'ITM-KNEE', ordered: '1200.00', acknowledged: '1250.00' }]);
  assert.deepEqual(o.decisions(), ['accept-variance', 'reject-variance', 'ask-again', 'cancel']);
});

test('accepting the variance makes the supplier\'s price the one invoices are matched against', () => {
  const o = numbered();
  o.send(ack([KNEE_LINE({ unitPrice: '1250.00' }), GAUZE_LINE()]));
  const accepted = o.send(decide('accept-variance'));
  assert.deepEqual(accepted.effects, [{ kind: 'resolve', category: 'price_variance', resolution: 'accept-variance by buyer.ann' }]);
  assert.deepEqual(o.state.lines.map((l) => [l.unitPrice, l.agreedPrice]), [['1200.00', '1250.00'], ['3.50', '3.50']]);
  assert.deepEqual(o.decisions(), ['cancel']);
  o.send(receipt('evt-rcv-1', 'ITM-KNEE', 2));
  const billed = o.send(invoice('INV-1', [KNEE_LINE({ unitPrice: '1250.00' })]));
  assert.equal(delivery(billed, 'ap:INV-1')!.body.amount, '2500.00', 'billed at the accepted price: posted');
});

test('an 855 rejecting every line ends the order and reverses the ERP\'s', () => {
  const o = numbered();
  const step = o.send(ack([KNEE_LINE({ status: 'rejected' }), GAUZE_LINE({ status: 'rejected' })], 'rejected'));
  assert.equal(step.status, 'cancelled');
  assert.equal(step.stage, 'rejected');
  assert.ok(step.effects.some((e) => e.kind === 'reverse' && e.name === 'erp-po'));
  assert.deepEqual(told(step), [[R1, 'status', 'rejected'], [R2, 'status', 'rejected']]);
  assert.deepEqual(o.decisions(), []);
});

// ── shipping and receiving ───────────────────────────────────────────────────────────────────────────────────────

test('an 856 is the goods receipt: one stock.received per line, keyed by PO, shipment and line', () => {
  const o = acknowledged();
  const step = o.send(asn('SH-1', [KNEE_LINE({ lot: 'L42', serial: 'S1001', expiry: '2028-01-31', unitPrice: null }), GAUZE_LINE({ unitPrice: null })]));
  const emitted = effects(step, 'emit');
  assert.deepEqual(emitted.map((e) => [e.type, e.idempotencyKey]), [['stock.received', `asn:${PO}:SH-1:1`], ['stock.received', `asn:${PO}:SH-1:2`]]);
  assert.deepEqual(emitted[0], {
    kind: 'emit', type: 'stock.received', idempotencyKey: `asn:${PO}:SH-1:1`, facility: 'F1', occurredAt: DAY3,
    payload: {
      item: { system: 'erp', code: 'ITM-KNEE' }, quantity: { value: 2, unit: 'EA' }, location: 'F1-OR-PAR1', lot: 'L42', serial: 'S1001',
      expiry: '2028-01-31', poNumber: PO, requisitionNumber: 'REQ-1', unitCost: { amount: '1200.00', currency: 'USD' },
    },
  });
  assert.deepEqual(told(step), [[R1, 'status', 'shipped'], [R2, 'status', 'shipped']]);
  assert.deepEqual(o.state.lines.map((l) => l.shipped), [2, 10]);
  assert.equal(step.stage, 'shipped');
  assert.deepEqual(o.send(asn('SH-1', [KNEE_LINE()])).effects, [], 'the same ship notice twice ships nothing more');
});

test('where a dock receipt is expected, the 856 emits no receipt', () => {
  const o = acknowledged({ receiveOnShipNotice: false });
  const step = o.send(asn('SH-1', [KNEE_LINE(), GAUZE_LINE()]));
  assert.deepEqual(effects(step, 'emit'), []);
  assert.deepEqual(o.state.lines.map((l) => l.shipped), [2, 10]);
});

test('receipts count against their line, once per receipt event', () => {
  const o = acknowledged();
  const first = o.send(receipt('evt-rcv-1', 'ITM-KNEE', 1));
  assert.deepEqual(told(first), [[R1, 'status', 'received']]);
  assert.equal(first.stage, 'partially-received');
  assert.deepEqual(o.send(receipt('evt-rcv-1', 'ITM-KNEE', 1)).effects, [], 'the same receipt again');
  o.send(receipt('evt-rcv-2', 'ITM-KNEE', 1));
  const all = o.send(receipt('evt-rcv-3', 'ITM-GAUZE', 10));
  assert.deepEqual(o.state.lines.map((l) => l.received), [2, 10]);
  assert.equal(all.stage, 'received');
});

// ── invoices, AP, payment ────────────────────────────────────────────────────────────────────────────────────────

test('an 810 matching order and receipts is posted to AP with its amount', () => {
  const o = received();
  const step = o.send(invoice('INV-1', [KNEE_LINE(), GAUZE_LINE()]));
  const ap = delivery(step, 'ap:INV-1')!;
  assert.equal(ap.role, 'erp');
  assert.equal(ap.action, 'ap-invoice.post');
  assert.deepEqual(ap.body, {
    poNumber: PO, invoiceNumber: 'INV-1', supplierId: 'SUP-ACME', invoiceDate: '2025-03-06', kind: 'invoice', currency: 'USD', amount: '2435.00',
    lines: [
      { line: '1', itemId: 'ITM-KNEE', quantity: 2, unitPrice: '1200.00', amount: '2400.00', costCenterId: 'CC-OR' },
      { line: '2', itemId: 'ITM-GAUZE', quantity: 10, unitPrice: '3.50', amount: '35.00', costCenterId: 'CC-OR' },
    ],
  });
  assert.equal(raised(step), undefined);
  assert.deepEqual(o.state.lines.map((l) => l.invoicedQuantity), [2, 10]);
  assert.equal(o.state.invoices[0]!.status, 'posting');
  assert.deepEqual(o.send(invoice('INV-1', [KNEE_LINE(), GAUZE_LINE()])).effects, [], 'the same invoice twice is posted once');
});

test('an 810 ahead of its goods waits for them, and the receipt posts it', () => {
  const o = acknowledged();
  const early = o.send(invoice('INV-1', [KNEE_LINE()]));
  assert.deepEqual(early.effects, [{ kind: 'timer', name: 'invoice-wait:INV-1', at: DAY4_WAIT }]);
  assert.equal(o.state.invoices[0]!.status, 'waiting');
  const arrived = o.send(receipt('evt-rcv-1', 'ITM-KNEE', 2, DAY4));
  assert.ok(delivery(arrived, 'ap:INV-1'), 'matched now: posted');
  assert.ok(arrived.effects.some((e) => e.kind === 'cancelTimer' && e.name === 'invoice-wait:INV-1'));
});

test('goods still missing when the wait is over: invoice_mismatch', () => {
  const o = acknowledged();
  o.send(invoice('INV-1', [KNEE_LINE()]));
  const r = raised(o.send(timer('invoice-wait:INV-1', DAY4_WAIT)))!;
  assert.equal(r.category, 'invoice_mismatch');
  assert.match(r.message, /not received within 72 h/);
});

test('an 810 priced beyond tolerance raises invoice_mismatch with order, receipt and invoice side by side', () => {
  const o = received();
  const step = o.send(invoice('INV-1', [KNEE_LINE({ unitPrice: '1300.00' }), GAUZE_LINE()]));
  assert.equal(delivery(step, 'ap:INV-1'), undefined, 'nothing is posted');
  const r = raised(step)!;
  assert.equal(r.category, 'invoice_mismatch');
  assert.deepEqual(r.decisions, ['accept-invoice', 'reject-invoice']);
  assert.equal(r.detail.total, '2635.00');
  assert.deepEqual((r.detail.lines as Record<string, unknown>[])[0], {
    line: '1', poLine: '1', itemId: 'ITM-KNEE', verdict: 'price', po: { quantity: 2, unitPrice: '1200.00' }, received: 2, previouslyInvoiced: 0,
    invoice: { quantity: 2, unitPrice: '1300.00', amount: '2600.00' }, expectedAmount: '2400.00', difference: '200.00',
  });
  assert.equal((r.detail.lines as Record<string, unknown>[])[1]!.verdict, 'matched');
  assert.equal(step.stage, 'invoice-mismatch');
  assert.deepEqual(o.decisions(), ['accept-invoice', 'reject-invoice']);
});

test('an accepted mismatched invoice is posted, and posted once the ERP has it', () => {
  const o = received();
  o.send(invoice('INV-1', [KNEE_LINE({ unitPrice: '1300.00' }), GAUZE_LINE()]));
  const accepted = o.send(decide('accept-invoice', { invoiceNumber: 'INV-1' }));
  assert.ok(effects(accepted, 'resolve').some((e) => e.category === 'invoice_mismatch'));
  assert.equal(delivery(accepted, 'ap:INV-1')!.body.amount, '2635.00');
  const posted = o.send(outcome('ap:INV-1', 'delivered', 'AP-77', DAY4));
  assert.equal(o.state.invoices[0]!.status, 'posted');
  assert.deepEqual(told(posted), [[R1, 'status', 'invoiced'], [R2, 'status', 'invoiced']]);
});

test('paid in full once everything is received and invoiced, the order closes and the requisitions are paid', () => {
  const o = received();
  o.send(invoice('INV-1', [KNEE_LINE(), GAUZE_LINE()]));
  o.send(outcome('ap:INV-1', 'delivered', 'AP-77', DAY4));
  const part = o.send(payment('PAY-1', 'INV-1', '2000.00'));
  assert.equal(part.status, 'running', 'part of the invoice is still owed');
  const rest = o.send(payment('PAY-2', 'INV-1', '435.00'));
  assert.equal(rest.status, 'completed');
  assert.equal(rest.stage, 'closed');
  assert.deepEqual(told(rest), [[R1, 'status', 'paid'], [R2, 'status', 'paid']]);
  assert.deepEqual(o.decisions(), []);
});

test('a credit memo is posted without a match and takes back the units it credits', () => {
  const o = received();
  o.send(invoice('INV-1', [KNEE_LINE(), GAUZE_LINE()]));
  o.send(outcome('ap:INV-1', 'delivered', 'AP-77', DAY4));
  const credit = o.send(invoice('CM-1', [GAUZE_LINE({ quantity: 2 })], 'credit'));
  const ap = delivery(credit, 'ap:CM-1')!;
  assert.equal(ap.body.kind, 'credit');
  assert.equal(ap.body.amount, '7.00');
  assert.equal(raised(credit), undefined);
  assert.equal(o.state.invoices[1]!.match, null);
  assert.deepEqual(o.state.lines.map((l) => l.invoicedQuantity), [2, 8]);
  const rebill = o.send(invoice('INV-2', [GAUZE_LINE({ quantity: 2 })]));
  assert.ok(delivery(rebill, 'ap:INV-2'), 'the credited units may be billed again');
});

test('a credit memo for an invoice still waiting on a decision waits with it, and goes to the ERP with the accepted invoice', () => {
  const o = received();
  o.send(invoice('INV-1', [KNEE_LINE({ unitPrice: '1300.00' }), GAUZE_LINE()]));
  const credit = o.send(invoice('CM-1', [KNEE_LINE({ unitPrice: '100.00' })], 'credit'));
  assert.equal(delivery(credit, 'ap:CM-1'), undefined, 'no invoice is posted yet: nothing for the credit to lower');
  const accepted = o.send(decide('accept-invoice'));
  assert.deepEqual(effects(accepted, 'deliver').map((d) => d.name), ['ap:INV-1', 'ap:CM-1'], 'the invoice, then its credit');
  assert.deepEqual(o.state.lines.map((l) => l.invoicedQuantity), [2, 10], 'a price credit leaves the units invoiced');
});

test('with two invoices waiting, an invoice decision must name one', () => {
  const o = received();
  o.send(invoice('INV-1', [KNEE_LINE({ unitPrice: '1300.00' })]));
  o.send(invoice('INV-2', [GAUZE_LINE({ unitPrice: '9.00' })]));
  assert.match(purchaseOrderWorkflow.refuse!(o.state, 'reject-invoice', {})!, /several invoices wait.*INV-1, INV-2/);
  assert.match(purchaseOrderWorkflow.refuse!(o.state, 'reject-invoice', { invoiceNumber: 'INV-9' })!, /INV-9 is not waiting/);
  assert.equal(purchaseOrderWorkflow.refuse!(o.state, 'reject-invoice', { invoiceNumber: 'INV-2' }), null);
  const rejected = o.send(decide('reject-invoice', { invoiceNumber: 'INV-2' }));
  assert.deepEqual(o.state.invoices.map((i) => [i.number, i.status]), [['INV-1', 'mismatch'], ['INV-2', 'rejected']]);
  assert.ok(effects(rejected, 'resolve').some((e) => e.category === 'invoice_mismatch'));
});

test('a bill-only line (a consigned implant already used) goes alone at once, counts as received, and its 850 names case, patient token, lot and serial', () => {
  const billOnly = { caseId: 'CASE-9', encounter: 'ENC-9', patient: 'pt_token', lot: 'L-9', serial: 'S-9', surgeon: null, serviceDate: '2025-03-02' };
  const o = order({ consolidationMinutes: 15 });
  const released = o.send(line(R1, { ...KNEE, quantity: 1, billOnly }));
  assert.equal(delivery(released, 'erp-po')!.body.billOnly, true, 'released at once, marked bill-only for the ERP');
  assert.equal(effects(released, 'unbind').length, 0, 'it gathered nothing');
  assert.equal(o.state.lines[0]!.received, 1, 'the implant is in the patient');
  const edi = delivery(o.send(outcome('erp-po', 'delivered', PO)), '850')!;
  assert.deepEqual(edi.body.billOnly, billOnly);
  assert.deepEqual((edi.body.lines as { lot: string; serial: string }[]).map((l) => [l.lot, l.serial]), [['L-9', 'S-9']]);
  const shipped = o.send(asn('SH-9', [KNEE_LINE({ quantity: 1 })]));
  assert.equal(effects(shipped, 'emit').length, 0, 'no goods receipt for an implant already used');
  const invoiced = o.send(invoice('INV-9', [KNEE_LINE({ quantity: 1 })]));
  assert.ok(delivery(invoiced, 'ap:INV-9'), 'matched against the use and posted');
});

test('a line answered in parts (3 accepted, 2 backordered) is owed in full and stays open until all 5 arrive', () => {
  const o = numbered();
  o.send(ack([doc('1', 'ITM-KNEE', 1, '1200.00', { status: 'accepted' }), doc('1', 'ITM-KNEE', 1, '1200.00', { status: 'backordered', expectedDate: '2025-03-20' }), GAUZE_LINE()]));
  assert.deepEqual([o.state.lines[0]!.ack!.status, o.state.lines[0]!.ack!.quantity, o.state.lines[0]!.ack!.expectedDate], ['backordered', 2, '2025-03-20']);
  o.send(receipt('evt-rcv-1', 'ITM-KNEE', 1));
  o.send(receipt('evt-rcv-2', 'ITM-GAUZE', 10));
  assert.equal(o.send(invoice('INV-1', [KNEE_LINE({ quantity: 1 }), GAUZE_LINE()])).stage, 'partially-received', 'one knee still to come');
});

// ── ending early ─────────────────────────────────────────────────────────────────────────────────────────────────

test('cancelling before anything shipped tells the supplier and reverses the ERP\'s order', () => {
  const o = numbered();
  assert.ok(o.decisions().includes('cancel'));
  const step = o.send(decide('cancel', {}, 'surgery postponed'));
  assert.equal(step.status, 'cancelled');
  assert.deepEqual(effects(step, 'reverse').map((e) => e.name), ['850', 'erp-po']);
  assert.deepEqual(told(step), [[R1, 'status', 'cancelled'], [R2, 'status', 'cancelled']]);
  assert.ok(effects(step, 'signal').every((s) => s.data.detail === 'surgery postponed'));
  assert.deepEqual(o.decisions(), []);
});

test('cancelling while the ERP is still numbering the order reverses it there', () => {
  const o = released();
  const step = o.send(decide('cancel'));
  assert.deepEqual(effects(step, 'reverse').map((e) => e.name), ['erp-po'], 'no 850 went out; the ERP order may be made: reverse it');
  assert.deepEqual(o.send(outcome('erp-po', 'delivered', PO)).effects, [], 'its late number starts nothing');
});

test('once something shipped the order can no longer be cancelled', () => {
  const o = acknowledged();
  o.send(asn('SH-1', [KNEE_LINE()]));
  assert.ok(!o.decisions().includes('cancel'));
  assert.deepEqual(o.send(withdraw(R1, DAY3)).effects, [], 'nor withdrawn from');
});

test('goods received at the dock (no 856) end the chance to cancel too', () => {
  const o = acknowledged({ receiveOnShipNotice: false });
  o.send(receipt('evt-rcv-1', 'ITM-GAUZE', 10));
  assert.ok(!o.decisions().includes('cancel'));
});

test('a corrected requisition withdrawing its line while the order gathers drops the line', () => {
  const o = order({ consolidationMinutes: 15 });
  o.send(line(R1, KNEE, T0));
  o.send(line(R2, GAUZE, T5));
  const step = o.send(withdraw(R1, T5));
  assert.deepEqual(step.effects, [{ kind: 'unbind', ref: `req:${R1}` }]);
  assert.deepEqual(o.state.lines.map((l) => l.requisition), [R2]);
  assert.equal(step.stage, 'gathering');
});

test('the corrected line rejoining the gathering order gets a line number of its own', () => {
  const o = order({ consolidationMinutes: 15 });
  o.send(line(R1, KNEE, T0));
  o.send(line(R2, GAUZE, T5));
  o.send(withdraw(R1, T5));
  o.send(line(R1, { ...KNEE, quantity: 3 }, T5));
  const numbers = o.state.lines.map((l) => l.line);
  assert.equal(new Set(numbers).size, numbers.length, `line numbers ${numbers.join(', ')} are unique`);
  const out = o.send(timer('consolidate', T15));
  assert.deepEqual((delivery(out, 'erp-po')!.body.lines as { line: string }[]).map((l) => l.line), numbers);
});

test('withdrawing the only line while gathering ends the order and frees the supplier\'s draft', () => {
  const o = order({ consolidationMinutes: 15 });
  o.send(line(R1, KNEE, T0));
  const step = o.send(withdraw(R1, T5));
  assert.equal(step.status, 'cancelled');
  assert.deepEqual(step.effects.map((e) => e.kind).sort(), ['cancelTimer', 'unbind', 'unbind']);
});

test('a line withdrawn after the order went out cancels it, and the other requisitions are ordered again', () => {
  const o = numbered();
  const step = o.send(withdraw(R1));
  assert.equal(step.status, 'cancelled');
  assert.deepEqual(step.effects[0], { kind: 'unbind', ref: `req:${R1}` });
  assert.deepEqual(effects(step, 'reverse').map((e) => e.name), ['850', 'erp-po']);
  assert.deepEqual(told(step), [[R2, 'reorder', null]], 'the withdrawn requisition hears nothing; the other is not told "cancelled"');
});

test('a line reaching an order that already went out is sent back to be ordered anew, not lost', () => {
  // Two reordered requisitions in one transaction: the first starts and releases the order before the second's
  // line, already addressed to it, arrives.
  const o = order();
  o.send(line(R1, KNEE, T0));
  const late = o.send(line(R2, GAUZE, T0));
  assert.deepEqual(o.state.lines.map((l) => l.requisition), [R1]);
  assert.deepEqual(told(late), [[R2, 'reorder', null]]);
});

test('an invoice numbering its lines its own way is counted on the PO lines its items matched', () => {
  const o = received();
  o.send(invoice('INV-1', [doc('10', 'ITM-KNEE', 2, '1200.00'), doc('20', 'ITM-GAUZE', 10, '3.50')]));
  assert.deepEqual(o.state.lines.map((l) => l.invoicedQuantity), [2, 10]);
  o.send(outcome('ap:INV-1', 'delivered', 'AP-77', DAY4));
  assert.equal(o.send(payment('PAY-1', 'INV-1', '2435.00')).stage, 'closed');
  const again = o.send(invoice('INV-2', [doc('10', 'ITM-KNEE', 2, '1200.00')]));
  assert.equal(raised(again)?.category, 'invoice_mismatch', 'the same knees billed twice');
});
