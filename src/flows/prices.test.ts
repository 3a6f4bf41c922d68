import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRIORITIES } from '../core/types.ts';
import { flowEvent, GAUZE_GTINS, ITEMS, KNEE_PRICE_FROM_APRIL, snapshot, SOUTH } from './fixtures.ts';
import { FLOWS } from './index.ts';

const s = snapshot();
/** A supplier's 832 price for an item, as the X12 codec makes it. */
const catalog = (over: Record<string, unknown> = {}, event: Record<string, unknown> = {}) => FLOWS['price.updated'](flowEvent('price.updated', {
  itemId: ITEMS.knee, supplierId: 'SUP-0042', price: { amount: KNEE_PRICE_FROM_APRIL, currency: 'USD' }, uom: 'EA', effectiveFrom: '2026-05-01', ...over,
}, { sourceSystem: 'supplier-0042', ...event }), s, { priceVariancePercent: 2 });

test('a catalog price equal to the contract, or within tolerance, is recorded and changes nothing', () => {
  for (const amount of [KNEE_PRICE_FROM_APRIL, '2529.00', '2431.00']) {
    const p = catalog({ price: { amount, currency: 'USD' } });
    assert.deepEqual(p.problems, [], amount);
    assert.deepEqual(p.deliveries, []);
    assert.equal(p.priority, PRIORITIES.bulk);
  }
});

test('a catalog price beyond tolerance is held as price_variance for the contract owner, with both prices side by side', () => {
  const p = catalog({ price: { amount: '2600.00', currency: 'USD' } });
  assert.deepEqual(p.problems.map((x) => x.category), ['price_variance']);
  assert.deepEqual(p.problems[0]!.detail, {
    itemId: ITEMS.knee, supplierId: 'SUP-0042', contractId: 'CP-2', contractPrice: KNEE_PRICE_FROM_APRIL, contractUom: 'EA',
    catalogPrice: '2600.00', catalogUom: 'EA', variancePercent: 4.84, tolerancePercent: 2, effectiveFrom: '2026-05-01',
  });
});

test('a case price is compared per each with an each contract', () => {
  // Gauze: contract 0.62 per each; a case holds 100.
  const gauze = (amount: string, uom: string) => catalog({ itemId: GAUZE_GTINS.case, price: { amount, currency: 'USD' }, uom });
  assert.deepEqual(gauze('62.00', 'CS').problems, []);
  assert.deepEqual(gauze('70.00', 'CS').problems.map((x) => x.category), ['price_variance']);
  assert.deepEqual(gauze('6.20', 'PK').problems.map((x) => x.category), ['uom_unconvertible']);
});

test("the price in force is the facility's tier, then its purchasing group's, then the network's", () => {
  // Southlake's own cement price is 105.00 (the group's 108.00, the network's 112.40).
  const cement = (amount: string) => catalog({ itemId: ITEMS.cement, price: { amount, currency: 'USD' } }, { facility: SOUTH });
  assert.deepEqual(cement('105.00').problems, []);
  assert.equal(cement('112.40').problems[0]?.detail.contractId, 'CP-7');
});

test('the ERP announcing its own price is recorded without comparison; an unknown item is held as unmapped_item', () => {
  assert.deepEqual(catalog({ price: { amount: '9999.00', currency: 'USD' } }, { sourceSystem: 'erp' }).problems, []);
  assert.deepEqual(catalog({ itemId: 'VND-77731' }).problems.map((x) => x.category), ['unmapped_item']);
});
