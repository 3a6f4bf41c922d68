import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Delivery } from '../../core/types.ts';
import { EncodeError, REST_CODECS, type EncodeContext } from './index.ts';

const TOKEN = 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6';
const delivery = (action: string, body: Record<string, unknown> = {}, over: Partial<Delivery> = {}): Delivery => ({
  id: 'DLV-01', seq: 7, eventId: 'EVT-01', correlationId: 'CASE-20260512-0007', destination: 'erp-main', action,
  partitionKey: 'FAC-NORTH|LOC-N-OR-CORE|ITM-100234', priority: 0, idempotencyKey: 'tdn-DLV-01', status: 'in_flight',
  attempts: 1, nextAttemptAt: 0, createdAt: '2026-05-12T14:41:01Z', updatedAt: '2026-05-12T14:41:01Z', body, reverses: null,
  remoteRef: null, lastError: null, ...over,
});
const REFERENCE = { eventId: 'EVT-01', correlationId: 'CASE-20260512-0007', deliveryId: 'DLV-01' };
const none: EncodeContext = { revealed: new Map() };
const issue = { itemId: 'ITM-100234', quantity: 1, uom: 'EA', locationId: 'LOC-N-OR-CORE', costCenterId: 'CC-4010', unitCost: '2480.00' };
const charge = { account: 'ACCT-778812', patient: { token: TOKEN }, chargeCode: 'CDM-2780011', revenueCode: '0278', hcpcs: 'C1776', quantity: 1, unitPrice: '9850.00' };

test('each ERP inventory action is a typed inventory transaction carrying the body and its reference', () => {
  const types = { 'inventory.issue': 'issue', 'inventory.return': 'return', 'inventory.receipt': 'receipt', 'inventory.adjustment': 'adjustment' };
  for (const [action, type] of Object.entries(types)) {
    assert.deepEqual(REST_CODECS.erp(delivery(action, issue), none),
      { method: 'POST', path: '/inventory-transactions', json: { type, ...issue, reference: REFERENCE } }, action);
  }
});

test('an ERP requisition is posted to the requisitions collection', () => {
  const body = { locationId: 'LOC-N-OR-CORE', itemId: 'ITM-100234', quantity: 3, uom: 'EA', priority: 'emergency' };
  assert.deepEqual(REST_CODECS.erp(delivery('requisition.create', body), none),
    { method: 'POST', path: '/requisitions', json: { ...body, reference: REFERENCE } });
});

test('each inventory action is a typed stock movement', () => {
  const types = { 'stock.decrement': 'decrement', 'stock.increment': 'increment', 'stock.adjust': 'adjust', 'stock.count': 'count' };
  const body = { itemId: 'ITM-300051', quantity: 10, uom: 'EA', locationId: 'LOC-N-OR-CORE' };
  for (const [action, type] of Object.entries(types)) {
    assert.deepEqual(REST_CODECS.inventory(delivery(action, body), none),
      { method: 'POST', path: '/movements', json: { type, ...body, reference: REFERENCE } }, action);
  }
});

test('charges and credits go to their billing collections', () => {
  assert.equal(REST_CODECS.billing(delivery('charge.post', charge), none).path, '/charges');
  assert.equal(REST_CODECS.billing(delivery('charge.credit', charge), none).path, '/credits');
  assert.deepEqual(REST_CODECS.billing(delivery('charge.post', charge), none).json.reference, REFERENCE);
});

test('billing receives the MRN only when the token was revealed for it', () => {
  const revealed = REST_CODECS.billing(delivery('charge.post', charge), { revealed: new Map([[TOKEN, 'MRN00012345']]) });
  assert.deepEqual(revealed.json.patient, { mrn: 'MRN00012345' });
  assert.ok(!JSON.stringify(revealed.json).includes(TOKEN), 'the token is replaced, not sent beside the MRN');
  assert.equal(revealed.json.unitPrice, '9850.00');

  const kept = REST_CODECS.billing(delivery('charge.post', charge), none);
  assert.deepEqual(kept.json.patient, { token: TOKEN });
  assert.ok(!JSON.stringify(kept.json).includes('MRN'));

  const otherPatient = REST_CODECS.billing(delivery('charge.credit', charge), { revealed: new Map([['pt_someoneElse000000000', 'MRN9']]) });
  assert.deepEqual(otherPatient.json.patient, { token: TOKEN }, "another patient's identifier is never used");
});

test('a charge without a patient is sent with patient null', () => {
  const { patient: _p, ...noPatient } = charge;
  assert.equal(REST_CODECS.billing(delivery('charge.post', noPatient), none).json.patient, null);
});

test('encoding never changes the delivery it encodes', () => {
  const d = delivery('charge.post', structuredClone(charge));
  REST_CODECS.billing(d, { revealed: new Map([[TOKEN, 'MRN00012345']]) });
  assert.deepEqual(d.body, charge);
});

test("a reversal addresses the original effect by the destination's id, in the original action's collection", () => {
  const cases = [
    ['erp', 'inventory.issue', '/inventory-transactions/TXN-884120/reversal'],
    ['erp', 'inventory.receipt', '/inventory-transactions/TXN-884120/reversal'],
    ['erp', 'requisition.create', '/requisitions/TXN-884120/reversal'],
    ['inventory', 'stock.decrement', '/movements/TXN-884120/reversal'],
    ['inventory', 'stock.count', '/movements/TXN-884120/reversal'],
    ['billing', 'charge.post', '/charges/TXN-884120/reversal'],
    ['billing', 'charge.credit', '/credits/TXN-884120/reversal'],
  ] as const;
  for (const [role, action, path] of cases) {
    const r = REST_CODECS[role](delivery('reverse', charge, { reverses: 'DLV-00' }), { revealed: new Map(), reversed: { action, remoteRef: 'TXN-884120', body: {} } });
    assert.deepEqual(r, { method: 'POST', path, json: { reference: REFERENCE } }, `${role} ${action}`);
  }
});

test("a remote id is escaped in a reversal path, so it cannot address another resource", () => {
  const r = REST_CODECS.erp(delivery('reverse'), { revealed: new Map(), reversed: { action: 'inventory.issue', remoteRef: '2026/05 #1', body: {} } });
  assert.equal(r.path, '/inventory-transactions/2026%2F05%20%231/reversal');
});

test('a reversal without the reversed effect, or of an effect the destination never had, cannot be encoded', () => {
  for (const role of ['erp', 'inventory', 'billing'] as const) {
    assert.throws(() => REST_CODECS[role](delivery('reverse'), none), EncodeError, role);
  }
  assert.throws(() => REST_CODECS.billing(delivery('reverse'), { revealed: new Map(), reversed: { action: 'inventory.issue', remoteRef: 'X', body: {} } }),
    (e: unknown) => e instanceof EncodeError && /inventory\.issue/.test(e.message));
});

test('an action a destination does not know is an encoding error naming the action', () => {
  const cases = [['erp', 'charge.post'], ['inventory', 'inventory.issue'], ['billing', 'stock.decrement'], ['erp', 'po.create']] as const;
  for (const [role, action] of cases) {
    assert.throws(() => REST_CODECS[role](delivery(action), none), (e: unknown) => e instanceof EncodeError && e.message.includes(action), `${role} ${action}`);
  }
});
