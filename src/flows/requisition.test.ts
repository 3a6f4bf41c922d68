import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import { CATH_CABINET, flowEvent, ITEMS, NORTH, OR_CORE, snapshot } from './fixtures.ts';
import { KNEE_GTIN14, KNEE_PRICE_FROM_APRIL } from '../masterdata/fixtures.ts';
import { EVENT_TYPES } from '../model/events.ts';
import { FLOWS } from './index.ts';
import { orderKeyOf } from './requisition.ts';
import { newId } from '../core/ids.ts';

const s = snapshot();
/** A requisition as the pipeline derives one after a use: the item named by its ERP id, sent by Tendon itself. */
const requisition = (priority: string, over: Record<string, unknown> = {}) => FLOWS['requisition.created'](flowEvent('requisition.created', {
  item: { system: 'erp', code: ITEMS.knee }, quantity: { value: 3, unit: 'EA' }, location: OR_CORE, priority,
  reason: 'on hand 1 below reorder point 2', ...over,
}, { sourceSystem: 'tendon' }), s);

test('an emergency requisition for a supplier\'s item goes to the requisition workflow in the critical lane, with its line priced', () => {
  const p = requisition('emergency');
  assert.equal(p.priority, PRIORITIES.critical);
  assert.deepEqual(p.deliveries, [], 'the purchase order is the workflow\'s; the ERP gets the order, not the requisition');
  assert.equal(p.partitionKey, `${NORTH}|${OR_CORE}|${ITEMS.knee}`);
  const [signal] = p.signals!;
  assert.ok(signal && 'key' in signal && signal.start);
  assert.equal(signal.workflow, 'requisition');
  const line = signal.data as Record<string, unknown>;
  assert.match(String(line.orderKey), /^T[0-9A-Z]{21}$/, "within X12 BEG03's 22 characters");
  assert.deepEqual({ ...line, orderKey: 'x' }, {
    facility: NORTH, itemId: ITEMS.knee, description: s.items.get(ITEMS.knee)!.description, supplierId: 'SUP-0042', vendorItem: 'MO-TKF-PS5L',
    gtin: KNEE_GTIN14, quantity: 3, uom: 'EA', unitPrice: KNEE_PRICE_FROM_APRIL, currency: 'USD', locationId: OR_CORE,
    costCenterId: line.costCenterId, budgetAvailable: line.budgetAvailable, period: '2026-05', priority: 'emergency', requisitionNumber: null, line: null,
    replyTo: null, orderKey: 'x', replenishment: true,
  });
});

test('requisitions made in the same millisecond get different order keys', () => {
  const ids = Array.from({ length: 1000 }, () => newId());
  assert.equal(new Set(ids.map(orderKeyOf)).size, 1000);
});

test('a requisition a procurement tool numbered is keyed by its number and line, and its status goes back to that tool', () => {
  const p = FLOWS['requisition.created'](flowEvent('requisition.created', {
    item: { system: 'erp', code: ITEMS.knee }, quantity: { value: 1, unit: 'EA' }, location: OR_CORE, priority: 'routine',
    requisitionNumber: 'PRQ-000007', line: '2',
  }, { sourceSystem: 'procurement' }), s);
  const [signal] = p.signals!;
  assert.ok(signal && 'key' in signal);
  assert.equal(signal.key, 'procurement:PRQ-000007:2');
  assert.equal((signal.data as { replyTo: string }).replyTo, 'procurement');
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
