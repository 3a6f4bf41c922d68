import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chargePriceOf, enrichLine, localDate, priceOn, resolveItem, unitsPer, type LineIn } from './enrich.ts';
import {
  CATH_CABINET, CHARGES, CODES, COST_CENTERS, GAUZE_GTINS, ITEMS, KNEE_GTIN13, KNEE_GTIN14, KNEE_PRICE_BEFORE_APRIL, KNEE_PRICE_FROM_APRIL,
  KNEE_UPC12, NORTH, OR_CORE, PERIOP, SOUTH, snapshot,
} from './fixtures.ts';

const s = snapshot();
const MAY = '2026-05-12T09:41:00-05:00';

const kneeLine = (over: Partial<LineIn> = {}): LineIn =>
  ({ item: { code: CODES.knee }, location: OR_CORE, lot: 'L240917A', serial: 'SN-0048213', ...over });

/** The facility the location belongs to (the usual case); tests of a mismatch pass their own. */
const facilityOf = (line: LineIn) => s.locations.get(line.location)?.facilityId ?? NORTH;

const ctx = (line: LineIn, occurredAt = MAY) => ({ facility: facilityOf(line), sourceSystem: PERIOP, occurredAt });
const enriched = (line: LineIn, occurredAt = MAY, requireTraceability = true) => {
  const r = enrichLine(s, line, ctx(line, occurredAt), { traceability: requireTraceability });
  if (!r.ok) assert.fail(`expected the line to enrich, got ${r.problems.map((p) => p.message).join('; ')}`);
  return r.value;
};
const problems = (line: LineIn, requireTraceability = true) => {
  const r = enrichLine(s, line, ctx(line), { traceability: requireTraceability });
  if (r.ok) assert.fail('expected the line to be held');
  return r.problems;
};

test("a sender's own code resolves through its cross-reference", () => {
  assert.equal(resolveItem(s, { code: CODES.knee }, PERIOP)?.id, ITEMS.knee, 'the source system is implied');
  assert.equal(resolveItem(s, { system: PERIOP, code: CODES.cement }, 'hl7-gateway')?.id, ITEMS.cement, 'or named on the item');
});

test('the same code means what its own system says it means', () => {
  assert.equal(resolveItem(s, { code: '1001' }, 'ehr')?.id, ITEMS.knee);
  assert.equal(resolveItem(s, { code: '1001' }, 'cabinet')?.id, ITEMS.gauze);
  assert.equal(resolveItem(s, { system: 'cabinet', code: '1001' }, 'ehr')?.id, ITEMS.gauze, 'an explicit system wins over the sender');
});

test('an ERP item id resolves when the code is said to be an ERP code, and only then', () => {
  assert.equal(resolveItem(s, { system: 'erp', code: ITEMS.cement }, PERIOP)?.id, ITEMS.cement);
  assert.equal(resolveItem(s, { code: ITEMS.stent }, 'erp')?.id, ITEMS.stent, 'the ERP itself sends its own ids');
  assert.equal(resolveItem(s, { code: ITEMS.cement }, PERIOP), undefined, 'a perioperative code is not an ERP id');
  assert.equal(resolveItem(s, { system: 'erp', code: 'ITM-999999' }, PERIOP), undefined);
});

test('a scanned GTIN-13, UPC-A or GTIN-14 finds the same item', () => {
  for (const gtin of [KNEE_GTIN13, KNEE_UPC12, KNEE_GTIN14]) assert.equal(resolveItem(s, { gtin }, PERIOP)?.id, ITEMS.knee, gtin);
});

test('an unknown GTIN falls back to the code beside it; alone it resolves nothing', () => {
  assert.equal(resolveItem(s, { gtin: '00012345678905', code: CODES.cement }, PERIOP)?.id, ITEMS.cement);
  assert.equal(resolveItem(s, { gtin: '00012345678905' }, PERIOP), undefined);
  assert.equal(resolveItem(s, { code: 'NOT-A-CODE' }, PERIOP), undefined);
});

test('a contract price applies from its first day through its last day', () => {
  const prices = s.prices.get(ITEMS.knee);
  assert.equal(priceOn(prices, '2025-03-31'), undefined, 'before any contract');
  assert.equal(priceOn(prices, '2025-04-01')?.price, KNEE_PRICE_BEFORE_APRIL);
  assert.equal(priceOn(prices, '2026-03-31')?.price, KNEE_PRICE_BEFORE_APRIL, 'the last day of the expired price');
  assert.equal(priceOn(prices, '2026-04-01')?.price, KNEE_PRICE_FROM_APRIL);
  assert.equal(priceOn(prices, '2031-01-01')?.price, KNEE_PRICE_FROM_APRIL, 'an open-ended price has no last day');
  assert.equal(priceOn(undefined, '2026-04-01'), undefined);
});

test("the local date of a time is the site's calendar day, not UTC's", () => {
  assert.equal(localDate('2026-03-31T22:30:00-05:00'), '2026-03-31');
  assert.equal(localDate('2026-04-01T00:15:00+09:00'), '2026-04-01');
});

test('a use late in the evening is priced on that local day, even when it is already the next day in UTC', () => {
  // 22:30 at -05:00 on 31 March is 03:30 UTC on 1 April, when the new price applies; the site's day is still 31 March.
  assert.equal(enriched(kneeLine(), '2026-03-31T22:30:00-05:00').unitCost?.amount, KNEE_PRICE_BEFORE_APRIL);
  assert.equal(enriched(kneeLine(), '2026-04-01T00:30:00-05:00').unitCost?.amount, KNEE_PRICE_FROM_APRIL);
});

test('a use is enriched with its location, department, cost center, contract price and chargemaster line', () => {
  const x = enriched(kneeLine());
  assert.equal(x.item.id, ITEMS.knee);
  assert.equal(x.location.id, OR_CORE);
  assert.equal(x.department?.id, 'DEP-N-OR');
  assert.equal(x.costCenter?.id, COST_CENTERS.northOr);
  assert.deepEqual(x.unitCost, { amount: KNEE_PRICE_FROM_APRIL, currency: 'USD' });
  assert.equal(x.charge?.chargeCode, CHARGES.knee.chargeCode);
  assert.equal(x.charge?.hcpcs, 'C1776');
});

test('the cost center follows the location, so the cath lab cabinet charges the cath lab', () => {
  const x = enriched({ item: { system: 'cabinet', code: 'DES-3015' }, location: CATH_CABINET, lot: 'DES2511', serial: 'S-77120' });
  assert.equal(x.costCenter?.id, COST_CENTERS.northCath);
});

test('no chargemaster line for a supply that is not chargeable, or whose line is inactive', () => {
  assert.equal(enriched({ item: { code: CODES.gauze }, location: OR_CORE }).charge, null);
  assert.equal(enriched({ item: { code: CODES.foley }, location: OR_CORE }).charge, null);
  assert.equal(enriched({ item: { code: CODES.gauze }, location: OR_CORE }).unitCost?.amount, '0.62');
});

test('a use before any contract price has no unit cost rather than a wrong one', () => {
  assert.equal(enriched(kneeLine(), '2025-01-15T10:00:00-06:00').unitCost, null);
});

test('an unknown code is held as unmapped_item, naming the system and code to map', () => {
  const [p, ...rest] = problems({ item: { code: 'KN-FEM-9Z' }, location: OR_CORE });
  assert.deepEqual(rest, []);
  assert.equal(p?.category, 'unmapped_item');
  assert.deepEqual(p?.detail, { system: PERIOP, code: 'KN-FEM-9Z', gtin: null });
  assert.match(p?.message ?? '', /periop code KN-FEM-9Z/);
});

test('an unknown GTIN alone is held as unmapped_item, naming the GTIN', () => {
  const [p] = problems({ item: { gtin: '00012345678905' }, location: OR_CORE });
  assert.equal(p?.category, 'unmapped_item');
  assert.deepEqual(p?.detail, { system: PERIOP, code: null, gtin: '00012345678905' });
  assert.match(p?.message ?? '', /GTIN 00012345678905/);
});

test('a discontinued item is held as inactive_item', () => {
  assert.deepEqual(problems({ item: { code: CODES.gown }, location: OR_CORE }).map((p) => [p.category, p.detail]),
    [['inactive_item', { itemId: ITEMS.gown }]]);
});

test('an implant used without lot or serial is held, listing what is missing', () => {
  const none = problems(kneeLine({ lot: null, serial: undefined }));
  assert.deepEqual(none.map((p) => [p.category, p.detail]), [['missing_lot_serial', { itemId: ITEMS.knee, missing: ['lot', 'serial'] }]]);
  assert.match(none[0]?.message ?? '', /implant ITM-100234 was used without lot and serial/);
  assert.deepEqual(problems(kneeLine({ serial: '' }))[0]?.detail, { itemId: ITEMS.knee, missing: ['serial'] });
  assert.deepEqual(problems(kneeLine({ lot: undefined }))[0]?.detail, { itemId: ITEMS.knee, missing: ['lot'] });
});

test('a lot-controlled supply needs only its lot; an uncontrolled one needs nothing', () => {
  const [p] = problems({ item: { code: CODES.cement }, location: OR_CORE });
  assert.deepEqual(p?.detail, { itemId: ITEMS.cement, missing: ['lot'] });
  assert.match(p?.message ?? '', /^item ITM-200118/, 'not called an implant');
  assert.equal(enriched({ item: { code: CODES.cement }, location: OR_CORE, lot: 'BC2406' }).item.id, ITEMS.cement);
  assert.equal(enriched({ item: { code: CODES.gauze }, location: OR_CORE }).item.id, ITEMS.gauze);
});

test('lot and serial are not required when the caller does not ask for traceability (receipts, counts)', () => {
  assert.equal(enriched(kneeLine({ lot: null, serial: null }), MAY, false).item.id, ITEMS.knee);
});

test('an unknown par location is held as unknown_location', () => {
  assert.deepEqual(problems(kneeLine({ location: 'LOC-N-OR-ANNEX' })).map((p) => [p.category, p.detail]),
    [['unknown_location', { location: 'LOC-N-OR-ANNEX' }]]);
});

test('every problem of a line is reported at once, so the data is fixed in one go', () => {
  assert.deepEqual(problems({ item: { code: 'KN-FEM-9Z' }, location: 'LOC-X' }).map((p) => p.category), ['unmapped_item', 'unknown_location']);
  assert.deepEqual(problems(kneeLine({ serial: null, location: 'LOC-X' })).map((p) => p.category), ['missing_lot_serial', 'unknown_location']);
  assert.deepEqual(problems({ item: { code: CODES.gown }, location: 'LOC-X' }).map((p) => p.category), ['inactive_item', 'unknown_location']);
});

test("a code named with another system never falls back to the sender's own cross-reference", () => {
  assert.equal(resolveItem(s, { system: 'omnicell', code: '1001' }, 'ehr'), undefined);
});

test('a par location of another facility holds the event instead of charging the wrong cost center', () => {
  const r = enrichLine(s, kneeLine(), { facility: SOUTH, sourceSystem: PERIOP, occurredAt: MAY }, { traceability: true });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual(r.problems.map((p) => p.category), ['unknown_location']);
    assert.match(r.problems[0]!.message, new RegExp(`belongs to ${NORTH}, not ${SOUTH}`));
  }
});

test('a contract price tier for the facility wins over its purchasing group, which wins over the network price', () => {
  const prices = s.prices.get(ITEMS.cement);
  assert.equal(priceOn(prices, '2026-05-12')?.price, '112.40', 'no scope: the network price');
  assert.equal(priceOn(prices, '2026-05-12', { facility: NORTH })?.price, '112.40', 'a tier for others does not apply');
  assert.equal(priceOn(prices, '2026-05-12', { facility: 'FAC-OTHER', purchasingGroup: 'GPO-WEST' })?.price, '108.00');
  assert.equal(priceOn(prices, '2026-05-12', { facility: SOUTH, purchasingGroup: 'GPO-WEST' })?.price, '105.00');
});

test('a scanned box GTIN resolves to the item, and quantities convert to the base unit', () => {
  const x = enriched({ item: { gtin: GAUZE_GTINS.box }, location: OR_CORE, quantity: { value: 3, unit: 'bx' } });
  assert.equal(x.item.id, ITEMS.gauze);
  assert.deepEqual(x.baseQuantity, { value: 30, unit: 'EA' }, 'units compare without regard to case');
  assert.equal(unitsPer(x.item, 'CS'), 100);
  assert.equal(unitsPer(x.item, 'PK'), null);
});

test('markup charges: cost × (1 + percent), rounded up to the step, never under the minimum; a fixed price wins', () => {
  const line = { ...s.charges.get(ITEMS.mesh)! };
  assert.equal(chargePriceOf(line, { amount: '41.30', currency: 'USD' }), '124.00');
  assert.equal(chargePriceOf(line, { amount: '5.00', currency: 'USD' }), '25.00', 'the minimum');
  assert.equal(chargePriceOf({ ...line, markup: { percent: 50, roundTo: '0.25', minimum: null } }, { amount: '10.10', currency: 'USD' }), '15.25');
  assert.equal(chargePriceOf(line, null), null, 'a markup needs a cost');
  assert.equal(chargePriceOf({ ...line, price: '99.00' }, null), '99.00');
});

test('a chargeable item whose markup has no cost to work from is held as no_contract_price when a charge is due', () => {
  const r = enrichLine(s, { item: { system: 'erp', code: ITEMS.mesh }, location: OR_CORE }, ctx(kneeLine(), '2025-06-01T10:00:00-05:00'), { charge: true });
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual(r.problems.map((p) => p.category), ['no_contract_price']);
});
