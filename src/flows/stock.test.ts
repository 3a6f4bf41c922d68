import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import { CODES, COST_CENTERS, flowEvent, ITEMS, KNEE_GTIN13, KNEE_PRICE_FROM_APRIL, NORTH, OR_CORE, PERIOP, snapshot } from './fixtures.ts';
import { FLOWS } from './index.ts';

const s = snapshot();
/** Counts and adjustments come from the perioperative system's inventory module; receipts from the receiving dock. */
const plan = (type: 'stock.received' | 'stock.adjusted' | 'stock.counted', payload: Record<string, unknown>) =>
  FLOWS[type](flowEvent(type, payload, { sourceSystem: type === 'stock.received' ? 'receiving-dock' : PERIOP }), s);

/** Two knees received against a requisition, scanned by the GTIN-13 on the box. */
const kneeReceipt = (over: Record<string, unknown> = {}) => ({
  item: { gtin: KNEE_GTIN13 }, quantity: { value: 2, unit: 'EA' }, location: OR_CORE, lot: 'L250102C', expiry: '2030-01-31',
  requisitionNumber: 'REQ-55120', poNumber: 'PO-2026-004411', ...over,
});

test('a receipt goes to the ERP and inventory, raises stock and closes the open requisition', () => {
  const p = plan('stock.received', kneeReceipt());
  assert.deepEqual(p.problems, []);
  assert.equal(p.priority, PRIORITIES.normal);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]), [['erp', 'inventory.receipt'], ['inventory', 'stock.increment']]);
  assert.deepEqual(p.stock, { location: OR_CORE, itemId: ITEMS.knee, delta: 2 });
  assert.deepEqual(p.closeRequisition, { location: OR_CORE, itemId: ITEMS.knee });
  assert.equal(p.replenish, undefined);
  const key = `${NORTH}|${OR_CORE}|${ITEMS.knee}`;
  assert.deepEqual([p.partitionKey, ...p.deliveries.map((d) => d.partitionKey)], [key, key, key]);
});

test('a receipt tells the ERP its requisition, PO and cost center, and inventory the lot', () => {
  const [erp, inventory] = plan('stock.received', kneeReceipt()).deliveries;
  assert.equal(erp?.body.requisitionNumber, 'REQ-55120');
  assert.equal(erp?.body.poNumber, 'PO-2026-004411');
  assert.equal(erp?.body.costCenterId, COST_CENTERS.northOr);
  assert.equal(inventory?.body.lot, 'L250102C');
  assert.equal(inventory?.body.expiry, '2030-01-31');
  assert.equal(inventory?.body.requisitionNumber, undefined, 'procurement details are for the ERP');
});

test("a receipt is valued at the invoice's unit cost when it has one, else at the contract price", () => {
  const withCost = plan('stock.received', kneeReceipt({ unitCost: { amount: '2455.00', currency: 'USD' } })).deliveries[0];
  assert.equal(withCost?.body.unitCost, '2455.00');
  const withoutCost = plan('stock.received', kneeReceipt()).deliveries[0];
  assert.equal(withoutCost?.body.unitCost, KNEE_PRICE_FROM_APRIL);
  assert.equal(withoutCost?.body.currency, 'USD');
});

test('a receipt needs no serial: traceability is checked at use', () => {
  assert.deepEqual(plan('stock.received', kneeReceipt({ lot: null })).problems, []);
});

test('a receipt at an unknown location is held and closes nothing', () => {
  const p = plan('stock.received', kneeReceipt({ location: 'LOC-DOCK-9' }));
  assert.deepEqual(p.problems.map((x) => x.category), ['unknown_location']);
  assert.deepEqual(p.deliveries, []);
  assert.equal(p.stock, undefined);
  assert.equal(p.closeRequisition, undefined);
  assert.equal(p.partitionKey, `${NORTH}|LOC-DOCK-9|${KNEE_GTIN13}`);
});

test('a cycle count sets on-hand, goes to inventory only, in the bulk lane', () => {
  const p = plan('stock.counted', { item: { code: CODES.gauze }, quantity: { value: 35, unit: 'EA' }, location: OR_CORE });
  assert.equal(p.priority, PRIORITIES.bulk);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]), [['inventory', 'stock.count']]);
  assert.deepEqual(p.stock, { location: OR_CORE, itemId: ITEMS.gauze, set: 35 }, 'set, not moved');
  assert.equal(p.deliveries[0]?.body.quantity, 35);
});

test('a count of zero sets stock to zero', () => {
  const p = plan('stock.counted', { item: { code: CODES.gauze }, quantity: { value: 0, unit: 'EA' }, location: OR_CORE });
  assert.deepEqual(p.stock, { location: OR_CORE, itemId: ITEMS.gauze, set: 0 });
});

test('an adjustment moves stock by its signed quantity and tells the ERP its value', () => {
  const damaged = plan('stock.adjusted', { item: { code: CODES.gauze }, quantity: { value: -10, unit: 'EA' }, location: OR_CORE, reason: 'package damaged' });
  assert.deepEqual(damaged.deliveries.map((d) => [d.role, d.action]), [['erp', 'inventory.adjustment'], ['inventory', 'stock.adjust']]);
  assert.deepEqual(damaged.stock, { location: OR_CORE, itemId: ITEMS.gauze, delta: -10 });
  assert.equal(damaged.deliveries[0]?.body.quantity, -10);
  assert.equal(damaged.deliveries[0]?.body.unitCost, '0.62');
  assert.equal(damaged.deliveries[1]?.body.reason, 'package damaged');
  assert.equal(damaged.priority, PRIORITIES.normal);

  const found = plan('stock.adjusted', { item: { code: CODES.gauze }, quantity: { value: 5, unit: 'EA' }, location: OR_CORE, reason: 'found in overflow' });
  assert.deepEqual(found.stock, { location: OR_CORE, itemId: ITEMS.gauze, delta: 5 });
});

test('stock movements of an unmapped item are held', () => {
  for (const type of ['stock.adjusted', 'stock.counted'] as const) {
    const p = plan(type, { item: { code: 'GZ-NEW' }, quantity: { value: 3, unit: 'EA' }, location: OR_CORE, reason: 'recount' });
    assert.deepEqual(p.problems.map((x) => x.category), ['unmapped_item'], type);
    assert.deepEqual(p.deliveries, []);
    assert.equal(p.stock, undefined);
  }
});
