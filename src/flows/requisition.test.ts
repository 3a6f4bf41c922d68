import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import { CATH_CABINET, flowEvent, ITEMS, NORTH, OR_CORE, snapshot } from './fixtures.ts';
import { EVENT_TYPES } from '../model/events.ts';
import { FLOWS } from './index.ts';

const s = snapshot();
/** A requisition as the pipeline derives one after a use: the item named by its ERP id, sent by Tendon itself. */
const requisition = (priority: string, over: Record<string, unknown> = {}) => FLOWS['requisition.created'](flowEvent('requisition.created', {
  item: { system: 'erp', code: ITEMS.knee }, quantity: { value: 3, unit: 'EA' }, location: OR_CORE, priority,
  reason: 'on hand 1 below reorder point 2', ...over,
}, { sourceSystem: 'tendon' }), s);

test('an emergency requisition goes to the ERP in the critical lane', () => {
  const p = requisition('emergency');
  assert.equal(p.priority, PRIORITIES.critical);
  assert.deepEqual(p.deliveries.map((d) => [d.role, d.action]), [['erp', 'requisition.create']]);
  assert.deepEqual(p.deliveries[0]?.body, { locationId: OR_CORE, itemId: ITEMS.knee, quantity: 3, uom: 'EA', priority: 'emergency' });
  assert.equal(p.partitionKey, `${NORTH}|${OR_CORE}|${ITEMS.knee}`);
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

test('every event type has a flow; master-data events are recorded in the bulk lane with no deliveries', () => {
  assert.deepEqual(Object.keys(FLOWS).sort(), [...EVENT_TYPES].sort());
  for (const type of ['item.upserted', 'price.updated'] as const) {
    const p = FLOWS[type](flowEvent(type, { id: ITEMS.knee }), s);
    assert.deepEqual(p, { partitionKey: `${NORTH}|${type}`, priority: PRIORITIES.bulk, problems: [], deliveries: [] });
  }
});
