// The requisition workflow driven input by input, as the engine would: approval (automatic under the limit and
// within budget, else a person), the hand-off to the purchase order gathering its supplier's lines, the status sent
// back to the requesting system, corrections (a higher revision withdraws what the first one started) and reorders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequisitionLine } from '../flows/signals.ts';
import { requisitionWorkflow, type RequisitionState, type RequisitionStatus } from './requisition.ts';
import { DEFAULT_WORKFLOW_SETTINGS, type Effect, type Step, type WorkflowInput } from './types.ts';

const KEY = 'procure:REQ-1:1';
const ORDER_KEY = 'T0195A1B2C3D45F6A7B8C9';
const T0 = '2025-03-03T09:00:00.000Z';
const T1 = '2025-03-03T10:00:00.000Z';

/** A priced, routine line for a supplier, asked for by a procurement tool that wants status updates. */
const requisition = (over: Partial<RequisitionLine> = {}): RequisitionLine => ({
  facility: 'F1', itemId: 'ITM-GAUZE', description: 'Gauze 4x4', supplierId: 'SUP-ACME', vendorItem: 'G-44', gtin: null, quantity: 10,
  uom: 'BX', unitPrice: '3.50', currency: 'USD', locationId: 'F1-OR-PAR1', costCenterId: 'CC-OR', budgetAvailable: null, period: '2025-03',
  priority: 'routine', requisitionNumber: 'REQ-1', line: '1', replyTo: 'procure', orderKey: ORDER_KEY, ...over,
});

const created = (data: RequisitionLine, revision = 1, at = T0): WorkflowInput => ({
  kind: 'event', at, data: { ...data },
  event: { id: 'evt-req-1', revision, type: 'requisition.created', facility: data.facility, occurredAt: at, sourceSystem: 'procure', correlationId: 'corr-1', payload: {} },
});

const decision = (d: string, reason: string | null = null): WorkflowInput =>
  ({ kind: 'decision', at: T1, decision: d, actor: 'buyer.ann', reason, exceptionId: null, data: {} });

/** What the purchase order tells the requisition. */
const fromOrder = (name: string, data: Record<string, unknown> = {}): WorkflowInput =>
  ({ kind: 'signal', at: T1, name, from: { type: 'purchase-order', key: ORDER_KEY }, data });
const orderStatus = (status: RequisitionStatus, poNumber: string | null = null) => fromOrder('status', { status, poNumber, detail: null });

/** Folds inputs from the initial state; answers every step. */
function run(...inputs: WorkflowInput[]): Step<RequisitionState>[] {
  let state = requisitionWorkflow.initial(KEY, { ...DEFAULT_WORKFLOW_SETTINGS });
  return inputs.map((input, i) => {
    const step = requisitionWorkflow.reduce(state, input, { type: 'requisition', key: KEY, seq: i + 1 });
    state = step.state;
    return step;
  });
}
const last = (...inputs: WorkflowInput[]): Step<RequisitionState> => run(...inputs).at(-1)!;

const signals = (s: Step<RequisitionState>) => s.effects.filter((e): e is Extract<Effect, { kind: 'signal' }> => e.kind === 'signal');
const statusBodies = (s: Step<RequisitionState>) =>
  s.effects.filter((e): e is Extract<Effect, { kind: 'deliver' }> => e.kind === 'deliver').map((e) => e.body);

test('a line under the approval limit is approved at once and handed to the order gathering its supplier', () => {
  const step = last(created(requisition()));
  assert.equal(step.status, 'running');
  assert.equal(step.stage, 'approved');
  assert.deepEqual(step.effects, [
    {
      kind: 'deliver', role: 'procurement', action: 'requisition.status', replyTo: 'procure', partitionKey: 'F1|req|REQ-1',
      body: { requisitionNumber: 'REQ-1', line: '1', status: 'approved', poNumber: null, at: T0, detail: null },
    },
    { kind: 'signal', to: { type: 'purchase-order', ref: 'draft:F1:SUP-ACME', start: ORDER_KEY }, name: 'line', data: { requisition: KEY, ...requisition() } },
  ]);
});

test('exactly at the limit is still automatic', () => {
  const step = last(created(requisition({ quantity: 1, unitPrice: '5000.00' })));
  assert.equal(step.stage, 'approved');
});

test('status goes back only to a requesting system that numbered its requisition', () => {
  assert.deepEqual(statusBodies(last(created(requisition({ replyTo: null })))), [], 'Tendon asked itself');
  assert.deepEqual(statusBodies(last(created(requisition({ requisitionNumber: null })))), [], 'nothing to name it by');
  assert.equal(signals(last(created(requisition({ replyTo: null })))).length, 1, 'it is ordered all the same');
});

test('an emergency goes on an order of its own', () => {
  const [signal] = signals(last(created(requisition({ priority: 'emergency' }))));
  assert.deepEqual(signal!.to, { type: 'purchase-order', ref: `order:${ORDER_KEY}`, start: ORDER_KEY });
});

test('a line over the limit waits for a person to approve or reject it', () => {
  const step = last(created(requisition({ quantity: 10, unitPrice: '600.00' })));
  assert.equal(step.stage, 'awaiting-approval');
  assert.equal(signals(step).length, 0, 'nothing is ordered yet');
  assert.deepEqual(step.effects, [{
    kind: 'raise', category: 'approval_required', message: '6000.00 USD is above the automatic approval limit of 5000', decisions: ['approve', 'reject'],
    detail: { requisitionNumber: 'REQ-1', itemId: 'ITM-GAUZE', quantity: 10, amount: '6000.00', costCenterId: 'CC-OR', supplierId: 'SUP-ACME' },
  }]);
  assert.deepEqual(requisitionWorkflow.decisions(step.state), ['approve', 'reject']);
});

test('a line the budget does not cover waits for a person even under the limit', () => {
  const step = last(created(requisition({ budgetAvailable: '20.00' })));
  assert.equal(step.effects.length, 1);
  const raise = step.effects[0] as Extract<Effect, { kind: 'raise' }>;
  assert.equal(raise.category, 'budget_exceeded');
  assert.match(raise.message, /35\.00 USD is more than the 20\.00 left on CC-OR in 2025-03/);
  assert.deepEqual(requisitionWorkflow.decisions(step.state), ['approve', 'reject']);
  assert.equal(last(created(requisition({ budgetAvailable: '35.00' }))).stage, 'approved', 'a budget that just covers it is enough');
});

test('approved by a person, the line is ordered', () => {
  const step = last(created(requisition({ unitPrice: '600.00' })), decision('approve'));
  assert.equal(step.stage, 'approved');
  assert.deepEqual(statusBodies(step).map((b) => b.status), ['approved']);
  assert.deepEqual(signals(step).map((s) => [s.name, s.to]), [['line', { type: 'purchase-order', ref: 'draft:F1:SUP-ACME', start: ORDER_KEY }]]);
  assert.deepEqual(requisitionWorkflow.decisions(step.state), []);
});

test('rejected by a person, the requisition ends and the requesting system hears why', () => {
  const step = last(created(requisition({ unitPrice: '600.00' })), decision('reject', 'use the consignment stock'));
  assert.equal(step.status, 'cancelled');
  assert.equal(step.stage, 'rejected');
  assert.equal(signals(step).length, 0);
  assert.deepEqual(statusBodies(step), [{ requisitionNumber: 'REQ-1', line: '1', status: 'rejected', poNumber: null, at: T1, detail: 'use the consignment stock' }]);
});

test('stock with no supplier to buy from (or no price) is internal: nothing to order', () => {
  for (const line of [requisition({ supplierId: null }), requisition({ unitPrice: null })]) {
    const step = last(created(line));
    assert.equal(step.status, 'completed');
    assert.equal(step.stage, 'internal');
    assert.deepEqual(step.effects, []);
  }
});

test('the order\'s progress is passed on to the requesting system, with the PO number', () => {
  const steps = run(created(requisition()), orderStatus('ordered', 'PO-000001'), orderStatus('acknowledged', 'PO-000001'), orderStatus('paid', 'PO-000001'));
  assert.deepEqual(statusBodies(steps[1]!), [{ requisitionNumber: 'REQ-1', line: '1', status: 'ordered', poNumber: 'PO-000001', at: T1, detail: null }]);
  assert.equal(steps[1]!.state.poNumber, 'PO-000001');
  assert.equal(steps[1]!.state.poKey, ORDER_KEY);
  assert.deepEqual(steps.map((s) => [s.status, s.stage]), [['running', 'approved'], ['running', 'ordered'], ['running', 'acknowledged'], ['completed', 'paid']]);
});

test('the same status twice is told once', () => {
  const step = last(created(requisition()), orderStatus('ordered', 'PO-000001'), orderStatus('ordered', 'PO-000001'));
  assert.deepEqual(step.effects, []);
});

test('the same requisition again (same revision) changes nothing', () => {
  const steps = run(created(requisition()), created(requisition(), 1, T1));
  assert.deepEqual(steps[1]!.effects, []);
  assert.deepEqual(steps[1]!.state, steps[0]!.state);
});

test('a corrected requisition after approval withdraws its line from the order, then is approved again', () => {
  const corrected = requisition({ quantity: 20, orderKey: 'T0195A1B2C3D45F6A7B8D0' });
  const step = last(created(requisition()), orderStatus('ordered', 'PO-000001'), created(corrected, 2, T1));
  assert.deepEqual(step.effects[0], { kind: 'signal', to: { type: 'purchase-order', ref: `req:${KEY}` }, name: 'withdraw', data: {} });
  assert.deepEqual(signals(step).slice(1).map((s) => [s.name, s.to, s.data.quantity]),
    [['line', { type: 'purchase-order', ref: 'draft:F1:SUP-ACME', start: 'T0195A1B2C3D45F6A7B8D0' }, 20]]);
  assert.equal(step.state.revision, 2);
  assert.equal(step.state.poNumber, null, 'the corrected line is on no order yet');
  assert.equal(step.stage, 'approved');
});

test('a correction while a person is still deciding replaces the question', () => {
  const step = last(created(requisition({ unitPrice: '600.00' })), created(requisition({ unitPrice: '700.00' }), 2, T1));
  assert.deepEqual(step.effects.map((e) => e.kind), ['resolve', 'raise'], 'no withdraw: nothing was ordered');
  assert.match((step.effects[1] as Extract<Effect, { kind: 'raise' }>).message, /^7000\.00 USD/);
});

test('a line whose order was cancelled for another line\'s correction goes on a new order', () => {
  const steps = run(created(requisition()), orderStatus('ordered', 'PO-000001'), fromOrder('reorder'), fromOrder('reorder'));
  const keys = steps.slice(2).map((s) => signals(s)[0]!.to).map((to) => ('start' in to ? to.start! : ''));
  for (const k of keys) {
    assert.equal(k.length, 22, `${k}: an order key fits X12 BEG03`);
    assert.ok(k.startsWith(ORDER_KEY.slice(0, 19)));
  }
  assert.equal(new Set([ORDER_KEY, ...keys]).size, 3, 'each reorder is a new order');
  assert.deepEqual(signals(steps[2]!)[0]!.to, { type: 'purchase-order', ref: 'draft:F1:SUP-ACME', start: keys[0] });
  assert.equal(signals(steps[2]!)[0]!.data.orderKey, keys[0]);
  assert.equal(steps[2]!.state.poNumber, null);
  assert.deepEqual(statusBodies(steps[2]!).map((b) => [b.status, b.poNumber]), [['approved', null]]);
});

test('a rejected requisition is not reordered', () => {
  const step = last(created(requisition({ unitPrice: '600.00' })), decision('reject'), fromOrder('reorder'));
  assert.deepEqual(step.effects, []);
});

test('Tendon\'s own replenishment requisition closes when its stock is received (the order goes on to invoice and pay)', () => {
  let state = requisitionWorkflow.initial('tendon:evt-9:1', DEFAULT_WORKFLOW_SETTINGS);
  const run = (input: WorkflowInput) => {
    const step = requisitionWorkflow.reduce(state, input, { type: 'requisition', key: 'tendon:evt-9:1', seq: 1 });
    state = step.state;
    return step;
  };
  const line: RequisitionLine = {
    facility: 'F1', itemId: 'ITM-1', description: 'Gauze', supplierId: 'SUP-1', vendorItem: null, gtin: null, quantity: 10, uom: 'EA',
    unitPrice: '1.00', currency: 'USD', locationId: 'LOC-1', costCenterId: 'CC-1', budgetAvailable: null, period: '2026-11', priority: 'routine',
    requisitionNumber: null, line: null, replyTo: null, orderKey: 'T0000000000000000000009', replenishment: true,
  };
  const at = '2026-11-21T10:00:00.000Z';
  run({ kind: 'event', at, data: { ...line }, event: { id: 'evt-9', revision: 1, type: 'requisition.created', facility: 'F1', occurredAt: at, sourceSystem: 'tendon', correlationId: 'c', payload: {} } });
  const signal = (status: string) => run({ kind: 'signal', at, name: 'status', from: { type: 'purchase-order', key: 'T9' }, data: { status, poNumber: 'PO-9' } });
  assert.equal(signal('shipped').status, 'running');
  const received = signal('received');
  assert.deepEqual([received.status, received.stage], ['completed', 'received']);
  assert.deepEqual(received.effects, [], 'nothing to tell: Tendon asked for it itself');
});

test('a replenishment requisition that ends without its stock (the supplier rejected it) lets the location reorder', () => {
  let state = requisitionWorkflow.initial('tendon:evt-8:1', DEFAULT_WORKFLOW_SETTINGS);
  const at = '2026-11-21T10:00:00.000Z';
  const line = {
    facility: 'F1', itemId: 'ITM-1', description: 'Gauze', supplierId: 'SUP-1', vendorItem: null, gtin: null, quantity: 10, uom: 'EA',
    unitPrice: '1.00', currency: 'USD', locationId: 'LOC-1', costCenterId: 'CC-1', budgetAvailable: null, period: '2026-11', priority: 'routine',
    requisitionNumber: null, line: null, replyTo: null, orderKey: 'T0000000000000000000008', replenishment: true,
  } satisfies RequisitionLine;
  state = requisitionWorkflow.reduce(state, { kind: 'event', at, data: { ...line }, event: { id: 'evt-8', revision: 1, type: 'requisition.created', facility: 'F1', occurredAt: at, sourceSystem: 'tendon', correlationId: 'c', payload: {} } }, { type: 'requisition', key: 'k', seq: 1 }).state;
  const rejected = requisitionWorkflow.reduce(state, { kind: 'signal', at, name: 'status', from: { type: 'purchase-order', key: 'T8' }, data: { status: 'rejected', poNumber: 'PO-8' } }, { type: 'requisition', key: 'k', seq: 2 });
  assert.equal(rejected.status, 'cancelled');
  assert.deepEqual(rejected.effects, [{ kind: 'reopenReplenishment', location: 'LOC-1', itemId: 'ITM-1' }]);
});
