import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookupItem, validateCostCenter, type Scan } from './lookup.ts';
import { CODES, COST_CENTERS, GAUZE_GTINS, ITEMS, KNEE_GTIN13, PERIOP, snapshot } from './fixtures.ts';

const s = snapshot();
const found = (r: ReturnType<typeof lookupItem>) => {
  if (!r.found) assert.fail(`expected a match, got: ${r.reason}`);
  return r;
};
const scan = (over: Partial<Scan>): Scan => ({ gtin: null, hibc: null, lot: null, serial: null, expiry: null, ...over });

test("an item is found by the sender's code, by an ERP id, and by any GTIN it is sold under", () => {
  assert.deepEqual([found(lookupItem(s, { system: PERIOP, code: CODES.knee })).item.id, found(lookupItem(s, { system: PERIOP, code: CODES.knee })).matchedBy], [ITEMS.knee, 'xref']);
  assert.equal(found(lookupItem(s, { code: ITEMS.cement })).matchedBy, 'erp', 'without a system, the code is an ERP id');
  assert.equal(found(lookupItem(s, { gtin: KNEE_GTIN13 })).item.id, ITEMS.knee);
  const box = found(lookupItem(s, { gtin: GAUZE_GTINS.box }));
  assert.deepEqual([box.item.id, box.unit], [ITEMS.gauze, 'BX'], 'the box GTIN says the scan counts boxes');
});

test('a scanned GS1 or HIBCC barcode finds the item and carries its lot, serial and expiry', () => {
  const gs1 = found(lookupItem(s, { scan: scan({ gtin: GAUZE_GTINS.case, lot: 'L1', expiry: '2027-01-31' }) }));
  assert.deepEqual([gs1.item.id, gs1.unit, gs1.scanned?.lot], [ITEMS.gauze, 'CS', 'L1']);
  const hibcc = found(lookupItem(s, { scan: scan({ hibc: { labelerId: 'H123', product: 'MESH1515', unitOfMeasure: 0 }, serial: 'S9' }) }));
  assert.deepEqual([hibcc.item.id, hibcc.matchedBy, hibcc.unit, hibcc.scanned?.serial], [ITEMS.mesh, 'hibcc', 'EA', 'S9']);
});

test('an unknown code or GTIN is not found, with the reason; a malformed query is invalid', () => {
  const r = lookupItem(s, { system: PERIOP, code: 'NOPE' });
  assert.equal(r.found, false);
  assert.match(!r.found ? r.reason : '', /periop code NOPE/);
  assert.deepEqual(lookupItem(s, { gtin: '12ab' }), { found: false, invalid: true, reason: 'a GTIN is 8, 12, 13 or 14 digits' });
  assert.equal((lookupItem(s, {}) as { invalid?: boolean }).invalid, true);
});

test('a cost center with budget left is valid; a spent budget, a closed cost center or a missing budget is not, with why', () => {
  const ok = validateCostCenter(s, COST_CENTERS.northOr, '2026-05');
  assert.deepEqual([ok.valid, ok.budget?.remaining, ok.reasons], [true, '38000.00', []]);
  assert.deepEqual(validateCostCenter(s, COST_CENTERS.northOr, '2026-05', '40000').reasons, ['40000 is more than the 38000.00 left in 2026-05']);
  assert.deepEqual(validateCostCenter(s, COST_CENTERS.northCath, '2026-05').reasons, ['the 2026-05 budget is spent (0.00 left)']);
  const closed = validateCostCenter(s, COST_CENTERS.closedEndo, '2026-05');
  assert.deepEqual([closed.valid, closed.active], [false, false]);
  assert.match(closed.reasons.join('; '), /inactive.*no budget/);
  assert.equal(validateCostCenter(s, 'CC-NONE', '2026-05').costCenter, null);
});
