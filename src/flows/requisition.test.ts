import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import { CATH_CABINET, flowEvent, ITEMS, NORTH, OR_CORE, snapshot } from './fixtures.ts';
import { KNEE_GTIN14, KNEE_PRICE_FROM_APRIL } from '../masterdata/fixtures.ts';
import { EVENT_TYPES } from '../model/events.ts';
import { FLOWS } from './index.ts';
import { poNumberOf } from './requisition.ts';
import { newId } from '../core/ids.ts';

const s = snapshot();
/** A requisition as the pipeline derives one after a use: the item named by its ERP id, sent by Tendon itself. */
const requisition = (priority: string, over: Record<string, unknown> = {}) => FLOWS['requisition.created'](flowEvent('requisition.created', {
  item: { system: 'erp', code: ITEMS.knee }, quantity: { value: 3, unit: 'EA' }, location: OR_CORE, priority,
  reason: 'on hand 1 below reorder point 2', ...over,
}, { sourceSystem: 'tendon' }), s);

test('an emergency requisition goes to the ERP in the critical lane, and as a purchase order to the item\'s supplier', () => {
  const p = requisition('emergency');
  assert.equal(p.priority, PRIORITIES.critical);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]), [['erp', 'requisition.create'], ['supplier', 'purchase-order.send']]);
  assert.deepEqual(p.deliveries[0]?.body, { locationId: OR_CORE, itemId: ITEMS.knee, quantity: 3, uom: 'EA', priority: 'emergency' });
  assert.equal(p.partitionKey, `${NORTH}|${OR_CORE}|${ITEMS.knee}`);
  const po = p.deliveries[1]!.body as { poNumber: string; lines: unknown[] };
  assert.match(po.poNumber, /^T[0-9A-Z]{21}$/, "within X12 BEG03's 22 characters");
  assert.equal(p.deliveries[1]!.partitionKey, p.partitionKey, 'in the requisition\'s partition, so a cancel goes before its replacement');
  assert.deepEqual({ ...po, poNumber: 'x' }, {
    poNumber: 'x', orderDate: '2026-05-12', supplierId: 'SUP-0042', facility: NORTH, shipTo: { facility: NORTH, location: OR_CORE },
    priority: 'emergency', currency: 'USD',
    lines: [{ line: '1', itemId: ITEMS.knee, vendorItem: 'MO-TKF-PS5L', gtin: KNEE_GTIN14, description: s.items.get(ITEMS.knee)!.description, quantity: 3, uom: 'EA', unitPrice: KNEE_PRICE_FROM_APRIL }],
  });
});

test('requisitions made in the same millisecond get different PO numbers', () => {
  const ids = Array.from({ length: 1000 }, () => newId());
  assert.equal(new Set(ids.map(poNumberOf)).size, 1000);
});

test('a requisition that carries its own number keeps it as the PO number', () => {
  const po = requisition('routine', { requisitionNumber: 'REQ-55120' }).deliveries.find((d) => d.role === 'supplier')!;
  assert.equal(po.body.poNumber, 'REQ-55120');
});

test('routine and urgent requisitions go in the normal lane', () => {
  assert.equal(requisition('routine').priority, PRIORITIES.normal);
  assert.equal(requisition('urgent').priority, PRIORITIES.normal);
});

test('a requisition moves no stock', () => {
  const p = requisition('routine');
  assert.equal(p.stock, undefined);
  assert.equal(p.replenish, undefined);
});

test('a requisition for an unknown item is held, and an emergency stays critical while held', () => {
  const p = requisition('emergency', { item: { system: 'erp', code: 'ITM-999999' }, location: CATH_CABINET });
  assert.deepEqual(p.problems.map((x) => x.category), ['unmapped_item']);
  assert.deepEqual(p.deliveries, []);
  assert.equal(p.priority, PRIORITIES.critical);
});

test('every event type has a flow; master-data announcements travel in the bulk lane', () => {
  assert.deepEqual(Object.keys(FLOWS).sort(), [...EVENT_TYPES].sort());
  for (const type of ['item.upserted', 'supplier.upserted', 'costcenter.upserted', 'location.upserted'] as const) {
    const p = FLOWS[type](flowEvent(type, { id: ITEMS.knee }), s);
    assert.equal(p.priority, PRIORITIES.bulk, type);
    assert.deepEqual(p.deliveries, [], `${type}: nothing to send for an incomplete record`);
  }
});

test('a requisition for an item without a contract price is held as no_contract_price', () => {
  const p = requisition('routine', { item: { system: 'erp', code: ITEMS.foley }, location: OR_CORE });
  assert.deepEqual(p.problems.map((x) => [x.category, x.detail.itemId]), [['no_contract_price', ITEMS.foley]]);
  assert.deepEqual(p.deliveries, []);
});
