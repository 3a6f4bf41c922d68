import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { buildNetwork } from './build.ts';
import { gs1CheckDigit, isValidGs1, packagingGtin } from './gs1.ts';
import { REFERENCE_DATE } from './finance.ts';
import { chargeCents } from './items.ts';
import { ITEMS_WITHOUT_CHARGE_LINE, OFF_CONTRACT_ITEMS, parseCents } from './pricing.ts';
import type { ContractPrice } from './types.ts';

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

  // At most one chargemaster line per chargeable item (a few have none on purpose), with the right revenue
  // code and C-codes for implants, priced either fixed or by a markup rule.
  const chargeable = master.items.filter((i) => i.chargeable);
  assert.equal(master.chargemaster.length, chargeable.length - ITEMS_WITHOUT_CHARGE_LINE);
  assert.equal(new Set(master.chargemaster.map((l) => l.itemId)).size, master.chargemaster.length);
  const itemsById = new Map(master.items.map((i) => [i.id, i]));
  for (const line of master.chargemaster) {
    const item = itemsById.get(line.itemId);
    assert.ok(item?.chargeable);
    assert.equal(line.revenueCode, item.implant ? '0278' : '0272');
    if (item.implant) assert.match(line.hcpcs ?? '', /^C(1[7-9]\d\d|2[0-6]\d\d)$/);
    assert.match(line.chargeCode, /^CDM27[28]\d{5}$/);
    if (line.price !== null) assert.match(line.price, /^\d+\.\d{2}$/);
    else assert.ok(line.markup !== null && line.markup.percent > 0, line.id);
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

test('the network does not depend on the clock: budgets are dated from the reference date', () => {
  const at = (iso: string): string => {
    mock.timers.enable({ apis: ['Date'], now: Date.parse(iso) });
    try {
      return JSON.stringify(buildNetwork(42));
    } finally {
      mock.timers.reset();
    }
  };
  assert.equal(at('2024-02-29T23:59:59Z'), at('2031-07-04T12:00:00Z'));
});

test('a packaging GTIN is a valid GTIN-14 of the item under another indicator digit', () => {
  assert.equal(packagingGtin('00012345600012', 1), '10012345600019');
  assert.ok(isValidGs1(packagingGtin('00012345600012', 8), 14));
  assert.throws(() => packagingGtin('00012345600013', 1), /not a GTIN-14/);
  assert.throws(() => packagingGtin('00012345600012', 9), /indicator/);
});

test('packaging: boxes and cases with their own valid GTINs, a case a whole number of boxes', () => {
  for (const seed of [7, 11]) {
    const { master } = buildNetwork(seed);
    const packed = master.items.filter((i) => i.packaging.length > 0);
    assert.ok(packed.length > master.items.length / 2, 'most items come in boxes or cases');
    assert.ok(master.items.filter((i) => i.packaging.length === 2).length > master.items.length / 3);
    const allGtins = new Set(master.items.map((i) => i.gtin).filter((g) => g !== null));
    for (const item of packed) {
      assert.deepEqual(item.packaging.map((p) => p.uom), item.packaging.length === 2 ? ['BX', 'CS'] : ['CS'], item.id);
      for (const level of item.packaging) {
        if (item.gtin === null) {
          assert.equal(level.gtin, null, `${item.id}: no item GTIN, no packaging GTIN`);
          continue;
        }
        assert.ok(level.gtin !== null && isValidGs1(level.gtin, 14), `${item.id} ${level.uom} ${level.gtin}`);
        assert.notEqual(level.gtin, item.gtin);
        assert.match(level.gtin.charAt(0), /^[1-8]$/);
        assert.equal(level.gtin.slice(1, 13), item.gtin.slice(1, 13), 'same company prefix and item reference');
        assert.ok(!allGtins.has(level.gtin), `${level.gtin} is used twice`);
        allGtins.add(level.gtin);
      }
      const [box, pack] = item.packaging;
      if (item.packaging.length === 2 && box && pack) {
        const boxes = pack.quantity / box.quantity;
        assert.ok(Number.isInteger(boxes) && boxes >= 2 && boxes <= 10, `${item.id}: case of ${pack.quantity} is not 2–10 boxes of ${box.quantity}`);
      }
    }
    for (const item of master.items.filter((i) => i.implant)) assert.deepEqual(item.packaging, [], `${item.id}: implants come by the each`);
    // Floor par levels order by the item's own box (or by the each when it has none).
    const itemsById = new Map(master.items.map((i) => [i.id, i]));
    for (const par of master['par-levels']) {
      const box = itemsById.get(par.itemId)?.packaging.find((p) => p.uom === 'BX');
      assert.deepEqual(par.orderUnit, box ? { uom: 'BX', quantity: box.quantity } : { uom: 'EA', quantity: 1 }, par.id);
    }
  }
});

test('HIBCC: about a third of items, the labeler id of their maker and the catalog number', () => {
  const { master } = buildNetwork(7);
  const labelled = master.items.filter((i) => i.hibcc !== null);
  assert.ok(labelled.length > master.items.length * 0.2 && labelled.length < master.items.length * 0.45, String(labelled.length));
  const licOf = new Map<string, string>();
  for (const item of labelled) {
    const hibcc = item.hibcc as string;
    assert.match(hibcc, /^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}$/);
    assert.equal(hibcc.slice(4), item.catalogNumber.replace(/[^A-Z0-9]/g, '').slice(0, 18));
    const lic = hibcc.slice(0, 4);
    assert.equal(licOf.get(item.manufacturer) ?? lic, lic, `${item.manufacturer} has one labeler id`);
    licOf.set(item.manufacturer, lic);
  }
  assert.equal(new Set(licOf.values()).size, licOf.size, 'each maker its own labeler id');
  const makers = new Set(licOf.keys());
  for (const item of master.items) assert.equal(item.hibcc !== null, makers.has(item.manufacturer), item.id);
});

test('finance: GL accounts, cost centers booked to them, monthly budgets for this year and the next', () => {
  const { master } = buildNetwork(7);
  const accounts = new Map(master['gl-accounts'].map((a) => [a.id, a]));
  assert.ok(master['gl-accounts'].some((a) => a.status === 'inactive'));
  for (const cc of master['cost-centers']) assert.ok(cc.glAccountId !== null && accounts.has(cc.glAccountId), cc.id);
  for (const f of master.facilities) assert.match(f.purchasingGroup ?? '', /^GPO-(EAST|WEST)$/);
  assert.equal(new Set(master.facilities.map((f) => f.purchasingGroup)).size, 2);

  const year = Number(REFERENCE_DATE.slice(0, 4));
  const current = REFERENCE_DATE.slice(0, 7);
  const byCostCenter = new Map<string, string[]>();
  for (const b of master.budgets) byCostCenter.set(b.costCenterId, [...(byCostCenter.get(b.costCenterId) ?? []), b.period]);
  assert.ok(byCostCenter.size >= master['cost-centers'].length - 1);
  for (const [cc, periods] of byCostCenter) {
    assert.ok(master['cost-centers'].some((c) => c.id === cc), cc);
    assert.equal(periods.length, 24, cc);
    assert.deepEqual(new Set(periods.map((p) => p.slice(0, 4))), new Set([String(year), String(year + 1)]));
  }
  const over = master.budgets.filter((b) => parseCents(b.consumed) > parseCents(b.amount));
  assert.ok(over.length >= 1 && over.length <= 2, `over budget: ${over.map((b) => b.id).join(', ')}`);
  for (const b of master.budgets) {
    assert.match(b.amount, /^\d+\.\d{2}$/);
    assert.match(b.consumed, /^\d+\.\d{2}$/);
    assert.equal(b.currency, 'USD');
    if (b.period > current) assert.equal(b.consumed, '0.00', `${b.id}: nothing is spent in a month still to come`);
    if (b.period <= current) assert.ok(parseCents(b.consumed) > 0, b.id);
  }
});

test('data problems on purpose: a closed cost center in use, chargeable items without a charge line, items off contract', () => {
  const { master, profile } = buildNetwork(7);
  const costCenters = new Map(master['cost-centers'].map((c) => [c.id, c]));
  const departments = new Map(master.departments.map((d) => [d.id, d]));
  const inUseButClosed = master.locations.filter((l) => costCenters.get(departments.get(l.departmentId)?.costCenterId ?? '')?.status === 'inactive');
  assert.ok(inUseButClosed.length >= 1 && inUseButClosed.length <= 2, inUseButClosed.map((l) => l.id).join(', '));
  assert.ok(master['par-levels'].some((p) => p.locationId === inUseButClosed[0]?.id), 'the location is stocked, so traffic reaches it');

  const lined = new Set(master.chargemaster.map((l) => l.itemId));
  const unlined = master.items.filter((i) => i.chargeable && !lined.has(i.id));
  assert.equal(unlined.length, ITEMS_WITHOUT_CHARGE_LINE);
  for (const item of unlined) assert.ok(master['par-levels'].some((p) => p.itemId === item.id), `${item.id} is stocked somewhere`);
  assert.ok(unlined.every((i) => profile.items[i.id]?.serviceLine !== null));

  const priced = new Set(master['contract-prices'].map((p) => p.itemId));
  const offContract = master.items.filter((i) => !priced.has(i.id));
  assert.equal(offContract.length, OFF_CONTRACT_ITEMS);
  // A markup needs a cost: no off-contract item is charged.
  for (const item of offContract) assert.ok(!item.chargeable && item.status === 'active', item.id);
});

test('contract tiers: lower than the network-wide price, same effective dates, for one group or one facility', () => {
  const { master } = buildNetwork(7);
  const isTier = (p: ContractPrice) => p.facilityId !== null || p.purchasingGroup !== null;
  const tiers = master['contract-prices'].filter(isTier);
  assert.ok(tiers.some((t) => t.purchasingGroup !== null) && tiers.some((t) => t.facilityId !== null));
  const groups = new Set(master.facilities.map((f) => f.purchasingGroup));
  const facilities = new Set(master.facilities.map((f) => f.id));
  for (const tier of tiers) {
    assert.ok((tier.facilityId === null) !== (tier.purchasingGroup === null), `${tier.id}: one scope, not both`);
    if (tier.facilityId !== null) assert.ok(facilities.has(tier.facilityId), tier.id);
    if (tier.purchasingGroup !== null) assert.ok(groups.has(tier.purchasingGroup), tier.id);
    const base = master['contract-prices'].find((p) => !isTier(p) && p.itemId === tier.itemId && p.effectiveFrom === tier.effectiveFrom);
    assert.ok(base, `${tier.id} undercuts a network-wide price`);
    assert.equal(tier.effectiveTo, base.effectiveTo);
    assert.ok(parseCents(tier.price) < parseCents(base.price), `${tier.id} ${tier.price} < ${base.price}`);
  }
  // Re-negotiated items keep their history: an expired network-wide price still precedes the current one.
  assert.ok(master['contract-prices'].some((p) => !isTier(p) && p.effectiveTo !== null));
});

test('markup lines give the price the fixed lines were made with, at the network-wide cost', () => {
  const { master } = buildNetwork(7);
  const cost = new Map(
    master['contract-prices'].filter((p) => p.effectiveTo === null && p.facilityId === null && p.purchasingGroup === null).map((p) => [p.itemId, p.price]),
  );
  const marked = master.chargemaster.filter((l) => l.markup !== null);
  assert.ok(marked.length > 10 && master.chargemaster.some((l) => l.price !== null));
  for (const line of marked) {
    const { percent, roundTo, minimum } = line.markup as NonNullable<typeof line.markup>;
    assert.equal(line.price, null);
    const costCents = parseCents(cost.get(line.itemId) ?? '');
    // cost × (1 + percent/100), rounded up to roundTo, at least minimum: as Tendon computes it.
    const step = parseCents(roundTo);
    const raw = Math.ceil((costCents * (100 + percent)) / 100 / step) * step;
    assert.equal(Math.max(raw, parseCents(minimum ?? '0')), chargeCents(costCents), line.id);
  }
});

test('par levels at cabinet-managed locations say so; elsewhere the field is unset', () => {
  const { master } = buildNetwork(7);
  const locations = new Map(master.locations.map((l) => [l.id, l]));
  for (const p of master['par-levels']) {
    const cabinet = locations.get(p.locationId)?.managedBy === 'cabinet';
    if (cabinet) assert.equal(p.managedBy, 'cabinet', p.id);
    else assert.ok(!('managedBy' in p), p.id);
  }
  assert.ok(master['par-levels'].some((p) => p.managedBy === 'cabinet'));
});
