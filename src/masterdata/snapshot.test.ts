import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATH_CABINET, CODES, GAUZE_GTINS, ITEMS, KNEE_GTIN13, KNEE_GTIN14, OR_CORE, PERIOP, records, snapshot, xrefs } from './fixtures.ts';
import { buildSnapshot, emptySnapshot, gtin14, parKey, xrefKey } from './snapshot.ts';

test('GTINs of every length compare as their zero-padded GTIN-14', () => {
  assert.equal(gtin14(KNEE_GTIN13), KNEE_GTIN14);
  assert.equal(gtin14('885556123454'), KNEE_GTIN14, 'a UPC-A (GTIN-12) too');
  assert.equal(gtin14(KNEE_GTIN14), KNEE_GTIN14, 'a GTIN-14 is unchanged');
  assert.equal(gtin14('12345670'), '00000012345670');
});

test('a snapshot indexes every record it was given', () => {
  const s = snapshot();
  assert.equal(s.facilities.size, 2);
  assert.equal(s.items.size, 7);
  assert.equal(s.locations.get(CATH_CABINET)?.managedBy, 'cabinet');
  assert.equal(s.locations.get(OR_CORE)?.managedBy, 'tendon', 'a location is Tendon-managed unless the ERP says otherwise');
  assert.equal(s.xrefs.get(xrefKey(PERIOP, CODES.knee)), ITEMS.knee);
  assert.equal(s.xrefs.size, xrefs.length);
  assert.equal(s.itemsByGtin.get(KNEE_GTIN14)?.id, ITEMS.knee);
  assert.equal(s.itemsByGtin.size, 5, 'only items that have a GTIN are indexed by it, at every packaging level');
  assert.equal(s.itemsByGtin.get(GAUZE_GTINS.case)?.id, ITEMS.gauze, 'a case GTIN finds the item');
  assert.equal(s.unitOfGtin.get(GAUZE_GTINS.case), 'CS', 'and says what it counts');
  assert.equal(s.itemsByHibcc.get('H123MESH1515')?.id, ITEMS.mesh);
  assert.equal(s.parLevels.get(parKey(OR_CORE, ITEMS.cement))?.orderUnit.quantity, 10);
});

test('contract prices are kept newest first, whatever order the ERP sent them in', () => {
  const reversed = buildSnapshot({ ...records, 'contract-prices': [...(records['contract-prices'] ?? [])].reverse() });
  for (const s of [snapshot(), reversed]) {
    assert.deepEqual(s.prices.get(ITEMS.knee)?.map((p) => p.effectiveFrom), ['2026-04-01', '2025-04-01']);
  }
});

test('only active chargemaster lines are indexed', () => {
  const s = snapshot();
  assert.equal(s.charges.get(ITEMS.knee)?.revenueCode, '0278');
  assert.equal(s.charges.has(ITEMS.foley), false, "the foley tray's only line is inactive");
});

test('an empty snapshot knows nothing', () => {
  const s = emptySnapshot();
  assert.equal(s.items.size + s.locations.size + s.xrefs.size + s.prices.size, 0);
});
