import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNetwork } from './build.ts';
import { gs1CheckDigit, isValidGs1 } from './gs1.ts';

test('same seed gives byte-identical data; another seed differs', () => {
  assert.equal(JSON.stringify(buildNetwork(42)), JSON.stringify(buildNetwork(42)));
  assert.notEqual(JSON.stringify(buildNetwork(42)), JSON.stringify(buildNetwork(43)));
});

test('GS1 check digit matches a known GTIN', () => {
  // GTIN-14 00012345600012: check digit 2.
  assert.equal(gs1CheckDigit('0001234560001'), 2);
  assert.ok(isValidGs1('00012345600012', 14));
  assert.ok(!isValidGs1('00012345600013', 14));
});

test('counts and invariants of the seeded network', () => {
  const { master, profile } = buildNetwork(7);
  assert.equal(master.facilities.length, 3);
  assert.ok(master.locations.length >= 12);
  assert.ok(master.suppliers.length >= 20);
  assert.ok(master.items.length >= 500);
  assert.ok(master['cost-centers'].some((c) => c.status === 'inactive'));

  const implants = master.items.filter((i) => i.implant);
  assert.ok(implants.length >= 50);
  for (const i of implants) {
    assert.ok(i.gtin !== null && i.lotControlled && i.serialControlled && i.expiryControlled && i.chargeable, i.id);
  }
  for (const i of master.items) if (i.gtin !== null) assert.ok(isValidGs1(i.gtin, 14), `${i.id} ${i.gtin}`);
  assert.equal(new Set(master.items.map((i) => i.gtin).filter((g) => g !== null)).size, master.items.filter((i) => i.gtin).length);
  assert.ok(master.items.some((i) => profile.items[i.id]?.category === 'routine' && !i.chargeable));
  assert.ok(master.items.some((i) => profile.items[i.id]?.category === 'sterile' && i.chargeable));

  // One chargemaster line per chargeable item, with the right revenue code and C-codes for implants.
  const chargeable = master.items.filter((i) => i.chargeable);
  assert.equal(master.chargemaster.length, chargeable.length);
  const itemsById = new Map(master.items.map((i) => [i.id, i]));
  for (const line of master.chargemaster) {
    const item = itemsById.get(line.itemId);
    assert.ok(item);
    assert.equal(line.revenueCode, item.implant ? '0278' : '0272');
    if (item.implant) assert.match(line.hcpcs ?? '', /^C(1[7-9]\d\d|2[0-6]\d\d)$/);
    assert.match(line.chargeCode, /^CDM27[28]\d{5}$/);
    assert.match(line.price, /^\d+\.\d{2}$/);
  }

  // Effective-dated prices: some items have an expired older price ending the day before the current one.
  const expired = master['contract-prices'].filter((p) => p.effectiveTo !== null);
  assert.ok(expired.length > 0);
  for (const p of master['contract-prices']) assert.match(p.price, /^\d+\.\d{2}$/);

  for (const p of master['par-levels']) {
    assert.ok(p.reorderPoint < p.par && Number.isInteger(p.par), p.id);
    assert.ok(master.locations.some((l) => l.id === p.locationId));
  }
  const perLocation = new Map<string, number>();
  for (const p of master['par-levels']) perLocation.set(p.locationId, (perLocation.get(p.locationId) ?? 0) + 1);
  for (const loc of master.locations) assert.ok((perLocation.get(loc.id) ?? 0) >= 20, loc.id);
});
