import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import { emptySnapshot } from '../masterdata/snapshot.ts';
import { CODES, flowEvent, ITEMS, NORTH, PATIENT_TOKEN, snapshot } from './fixtures.ts';
import { FLOWS } from './index.ts';

// Charges from another charge source are already priced by the sender: no master data is needed.
const s = emptySnapshot();
const charge = {
  account: 'ACCT-778812', patient: { token: PATIENT_TOKEN }, chargeCode: 'CDM-3600012', revenueCode: '0360', hcpcs: '27447',
  quantity: { value: 1, unit: 'EA' }, unitPrice: { amount: '18250.00', currency: 'USD' }, serviceDate: '2026-05-12',
  performer: { id: 'NPI-1487654321' },
};

test('a posted charge goes to billing as sent, keyed by the patient account', () => {
  const p = FLOWS['charge.posted'](flowEvent('charge.posted', charge, { sourceSystem: 'ehr' }), s);
  assert.deepEqual(p.problems, []);
  assert.equal(p.priority, PRIORITIES.normal);
  assert.equal(p.partitionKey, `${NORTH}|acct|ACCT-778812`);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action, d.partitionKey]), [['billing', 'charge.post', p.partitionKey]]);
  assert.deepEqual(p.deliveries[0]?.body, {
    account: 'ACCT-778812', patient: { token: PATIENT_TOKEN }, facilityId: NORTH, chargeCode: 'CDM-3600012', revenueCode: '0360',
    hcpcs: '27447', quantity: 1, unitPrice: '18250.00', serviceDate: '2026-05-12', itemId: null, performer: 'NPI-1487654321',
  });
  assert.equal(p.stock, undefined, 'a charge moves no stock');
});

test('a posted charge without optional codes sends nulls, not undefined', () => {
  const { revenueCode: _r, hcpcs: _h, performer: _p, ...bare } = charge;
  const body = FLOWS['charge.posted'](flowEvent('charge.posted', bare), s).deliveries[0]?.body;
  assert.equal(body?.revenueCode, null);
  assert.equal(body?.hcpcs, null);
  assert.equal(body?.performer, null);
});

test('a credit goes to billing on the same account partition, so it never overtakes its charge', () => {
  const credit = { account: 'ACCT-778812', patient: { token: PATIENT_TOKEN }, chargeCode: 'CDM-3600012', quantity: { value: 1, unit: 'EA' }, serviceDate: '2026-05-12', reason: 'posted to the wrong account' };
  const p = FLOWS['charge.credited'](flowEvent('charge.credited', credit), s);
  const posted = FLOWS['charge.posted'](flowEvent('charge.posted', charge), s);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]), [['billing', 'charge.credit']]);
  assert.equal(p.deliveries[0]?.partitionKey, posted.deliveries[0]?.partitionKey);
  assert.equal(p.deliveries[0]?.body.reason, 'posted to the wrong account');
  assert.deepEqual(p.deliveries[0]?.body.patient, { token: PATIENT_TOKEN });
});

test('the same account number at two facilities is two partitions', () => {
  const north = FLOWS['charge.posted'](flowEvent('charge.posted', charge), s);
  const south = FLOWS['charge.posted'](flowEvent('charge.posted', charge, { facility: 'FAC-SOUTH' }), s);
  assert.notEqual(north.partitionKey, south.partitionKey);
});

test("a posted charge names the ERP item when the sender's code resolves, and the sender's code when it does not", () => {
  const known = FLOWS['charge.posted'](flowEvent('charge.posted', { ...charge, item: { code: CODES.knee } }), snapshot());
  assert.equal(known.deliveries[0]?.body.itemId, ITEMS.knee);
  const unknown = FLOWS['charge.posted'](flowEvent('charge.posted', { ...charge, item: { code: 'LAB-77' } }), snapshot());
  assert.equal(unknown.deliveries[0]?.body.itemId, 'LAB-77');
});
