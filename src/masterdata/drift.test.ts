import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driftOf } from './drift.ts';
import { COST_CENTERS, ITEMS, snapshot } from './fixtures.ts';

const s = snapshot();
const volumes = { itemEvents: 200, unmappedEvents: 5, unmappedCodes: [{ system: 'periop', code: 'KN-FEM-9Z', gtin: null, events: 4 }] };
const drift = driftOf(s, volumes, '2026-05-12');

test('mapping coverage is the share of item events that mapped; unmapped codes come by volume', () => {
  assert.equal(drift.mappingCoveragePercent, 97.5);
  assert.deepEqual(drift.unmappedCodes, volumes.unmappedCodes);
  assert.equal(driftOf(s, { itemEvents: 0, unmappedEvents: 0, unmappedCodes: [] }, '2026-05-12').mappingCoveragePercent, null, 'no traffic, no figure');
});

test('an inactive item still mapped from a sender is listed with what references it', () => {
  assert.deepEqual(drift.inactiveItemsReferenced, [{ itemId: ITEMS.gown, referencedBy: ['xref periop|GWN-STD'] }]);
});

test('financial dimensions that would be refused: a department on a closed cost center, a cost center on a retired GL account', () => {
  assert.deepEqual(drift.invalidFinancialDimensions, [
    { kind: 'department', id: 'DEP-N-ENDO', problem: `cost center ${COST_CENTERS.closedEndo} is inactive` },
    { kind: 'cost-center', id: COST_CENTERS.southOr, problem: 'GL account GL-6990 is inactive' },
  ]);
});

test('a chargeable item with no active chargemaster line is listed', () => {
  assert.deepEqual(drift.chargeableWithoutChargemaster.map((c) => c.itemId), [ITEMS.foley]);
});
