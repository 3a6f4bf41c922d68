import { test } from 'node:test';
import assert from 'node:assert/strict';
import { announcements, NETWORK } from './announce.ts';
import { ITEMS, NORTH, records, snapshot } from './fixtures.ts';

const s = snapshot();
const pick = <T>(entity: keyof typeof records, id: string) => (records[entity] as ({ id: string } & T)[]).find((r) => r.id === id)!;

test('each changed record becomes one event from the ERP, keyed by its id and version', () => {
  const knee = pick('items', ITEMS.knee);
  const events = announcements({ items: [knee], suppliers: [pick('suppliers', 'SUP-0042')], locations: [pick('locations', 'LOC-N-OR-CORE')] }, s);
  assert.deepEqual(events.map((e) => [e.type, e.idempotencyKey, e.facility, e.source.system]), [
    ['item.upserted', `items/${ITEMS.knee}@2026-01-05T08:00:00Z`, NETWORK, 'erp'],
    ['supplier.upserted', 'suppliers/SUP-0042@2026-01-05T08:00:00Z', NETWORK, 'erp'],
    ['location.upserted', 'locations/LOC-N-OR-CORE@2026-01-05T08:00:00Z', NORTH, 'erp'],
  ]);
  assert.equal(events[0]!.payload.id, ITEMS.knee);
});

test('a changed chargemaster line is announced as its item (billing takes it as MFN^M04), once even when the item changed too', () => {
  const line = pick('chargemaster', 'CDM-1');
  assert.deepEqual(announcements({ chargemaster: [line] }, s).map((e) => [e.type, e.payload.id]), [['item.upserted', ITEMS.knee]]);
  assert.equal(announcements({ items: [pick('items', ITEMS.knee)], chargemaster: [line] }, s).length, 1);
});

test('a contract price is announced as price.updated, at its facility when it is a facility tier', () => {
  const [e] = announcements({ 'contract-prices': [pick('contract-prices', 'CP-7')] }, s);
  assert.equal(e!.type, 'price.updated');
  assert.equal(e!.facility, 'FAC-SOUTH');
  assert.deepEqual(e!.payload.price, { amount: '105.00', currency: 'USD' });
});
