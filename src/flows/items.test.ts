import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowEvent, ITEMS, snapshot } from './fixtures.ts';
import { FLOWS } from './index.ts';

const item = { id: 'ITM-NEW-1', description: 'Suture, Absorbable, 3-0', uom: 'EA', gtin: null, implant: false, chargeable: false, status: 'active' };

test('an item from an item master feed is offered to master data as a valid item record', () => {
  const p = FLOWS['item.upserted'](flowEvent('item.upserted', item, { sourceSystem: 'mfn-itemmaster' }), snapshot());
  assert.equal(p.master?.entity, 'items');
  assert.equal(p.master?.record.id, 'ITM-NEW-1');
  assert.equal((p.master?.record.data as { lotControlled: boolean }).lotControlled, false, 'defaults applied, as a pull would');
  assert.deepEqual(p.deliveries, []);
});

test('a record that does not make an item is recorded but offers nothing', () => {
  const p = FLOWS['item.upserted'](flowEvent('item.upserted', { id: ITEMS.knee }), snapshot());
  assert.equal(p.master, undefined);
  assert.deepEqual(p.problems, []);
});
