import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ITEMS, OR_CORE, snapshot } from '../masterdata/fixtures.ts';
import { parKey } from '../masterdata/snapshot.ts';
import type { ParLevel } from '../model/masterdata.ts';
import { replenishmentNeed } from './replenishment.ts';

const s = snapshot();
const par = (itemId: string): ParLevel => {
  const p = s.parLevels.get(parKey(OR_CORE, itemId));
  assert.ok(p, `a par level for ${itemId}`);
  return p;
};
const knee = par(ITEMS.knee); // par 4, reorder point 2, each, critical
const cement = par(ITEMS.cement); // par 20, reorder point 8, boxes of 10
const gauze = par(ITEMS.gauze); // par 200, reorder point 80, cases of 50

test('at or above the reorder point nothing is ordered', () => {
  assert.equal(replenishmentNeed(2, knee), null);
  assert.equal(replenishmentNeed(3, knee), null);
  assert.equal(replenishmentNeed(8, cement), null);
  assert.equal(replenishmentNeed(500, gauze), null);
});

test('below the reorder point the location is filled back to par', () => {
  assert.deepEqual(replenishmentNeed(1, knee), { quantity: 3, priority: 'routine' }, 'critical, but not yet out');
});

test('a site whose emergency threshold is higher orders a critical item as emergency before it runs out', () => {
  assert.deepEqual(replenishmentNeed(1, knee, 1), { quantity: 3, priority: 'emergency' });
  assert.deepEqual(replenishmentNeed(1, cement, 1), { quantity: 20, priority: 'routine' }, 'not critical: the threshold does not apply');
});

test('the order is rounded up to whole order units', () => {
  assert.deepEqual(replenishmentNeed(7, cement), { quantity: 20, priority: 'routine' }, '13 short: two boxes of 10');
  assert.deepEqual(replenishmentNeed(79, gauze), { quantity: 150, priority: 'routine' }, '121 short: three cases of 50');
  assert.deepEqual(replenishmentNeed(50, gauze), { quantity: 150, priority: 'routine' }, 'exactly three cases');
});

test('at least one order unit is ordered even when par is nearly reached', () => {
  const tight: ParLevel = { ...cement, par: 10, reorderPoint: 10 };
  assert.deepEqual(replenishmentNeed(9, tight), { quantity: 10, priority: 'routine' });
});

test('a critical item at zero (or below, after a miscount) is an emergency', () => {
  assert.deepEqual(replenishmentNeed(0, knee), { quantity: 4, priority: 'emergency' });
  assert.deepEqual(replenishmentNeed(-1, knee), { quantity: 5, priority: 'emergency' });
});

test('a non-critical item at zero is routine', () => {
  assert.deepEqual(replenishmentNeed(0, cement), { quantity: 20, priority: 'routine' });
});
