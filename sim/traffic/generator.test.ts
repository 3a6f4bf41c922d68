import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNetwork } from '../network/build.ts';
import { canonicalEventSchema, isoWithOffset, type CanonicalEvent } from './events.ts';
import { BAD_KINDS, createTrafficState, nextBatch, type BadKind } from './generator.ts';
import { initialCounts, receiptFor } from './stock-events.ts';

const network = buildNetwork(21);
const NOW = Date.parse('2026-11-21T14:00:00Z');
const generate = (n: number, badRate = 0.02, seed = 21): { events: CanonicalEvent[]; state: ReturnType<typeof createTrafficState> } => {
  const state = createTrafficState({ seed, network, badRate, now: () => NOW });
  const events: CanonicalEvent[] = [];
  while (events.length < n) events.push(...nextBatch(state));
  return { events, state };
};

test('isoWithOffset prints local time with the facility offset', () => {
  assert.equal(isoWithOffset(Date.parse('2026-11-21T14:14:03Z'), 'America/New_York'), '2026-11-21T09:14:03.000-05:00');
  assert.equal(isoWithOffset(Date.parse('2026-07-01T12:00:00Z'), 'America/Denver'), '2026-07-01T06:00:00.000-06:00');
  assert.equal(isoWithOffset(Date.parse('2026-07-01T12:00:00Z'), 'UTC'), '2026-07-01T12:00:00.000+00:00');
});

test('every generated event has the canonical shape, with unique idempotency keys', () => {
  const { events, state } = generate(5000);
  const all = [...initialCounts(state), ...events];
  for (const e of all) {
    const parsed = canonicalEventSchema.safeParse(e);
    assert.ok(parsed.success, `${JSON.stringify(e)}\n${parsed.error?.message}`);
  }
  assert.equal(new Set(all.map((e) => e.idempotencyKey)).size, all.length);
  const counts = initialCounts(state);
  assert.equal(counts.length, network.master['par-levels'].length);
  assert.ok(events.every((e) => Date.parse(e.occurredAt) <= NOW));
});

test('same seed and clock give the same events', () => {
  assert.deepEqual(generate(300).events, generate(300).events);
  const [a, b] = [generate(20000, 0.1), generate(20000, 0.1)];
  assert.deepEqual(a.events, b.events);
  assert.deepEqual(a.state.stats, b.state.stats);
  assert.notDeepEqual(generate(300).events, generate(300, 0.02, 22).events);
});

test('cases are realistic: one correlation id, implants with lot/serial/expiry of the right service line', () => {
  const { events } = generate(3000, 0);
  const items = new Map(network.master.items.map((i) => [i.id, i]));
  const byGtin = new Map(network.master.items.filter((i) => i.gtin).map((i) => [i.gtin, i]));
  const cases = new Map<string, CanonicalEvent[]>();
  for (const e of events) if (e.correlationId) cases.set(e.correlationId, [...(cases.get(e.correlationId) ?? []), e]);
  assert.ok(cases.size > 50);
  for (const [caseId, lines] of cases) {
    const used = lines.filter((l) => l.type === 'supply.used');
    const implants = used.filter((l) => {
      const ref = l.payload.item as { code?: string; gtin?: string };
      return (ref.code ? items.get(ref.code) : byGtin.get(ref.gtin ?? ''))?.implant;
    });
    if (used.length === 0) continue; // only a return of this case was generated
    assert.ok(implants.length >= 1 && implants.length <= 3, caseId);
    for (const l of implants) assert.ok(l.payload.lot && l.payload.serial && l.payload.expiry, caseId);
    assert.equal(new Set(used.map((l) => (l.payload.patient as { identifier: string }).identifier)).size, 1);
    const line = used[0]?.payload.serviceLine;
    for (const l of implants) {
      const ref = l.payload.item as { code?: string; gtin?: string };
      const item = ref.code ? items.get(ref.code) : byGtin.get(ref.gtin ?? '');
      assert.equal(network.profile.items[item?.id ?? '']?.serviceLine, line);
    }
  }
  // Non-chargeable cabinet withdrawals carry no patient; chargeable ones do.
  for (const e of events.filter((x) => x.source.system === 'cabinet-omnicell' && x.type === 'supply.used')) {
    const item = items.get((e.payload.item as { code: string }).code);
    assert.equal(e.payload.patient !== undefined, item?.chargeable);
  }
  const returns = events.filter((e) => e.type === 'supply.returned');
  assert.ok(returns.length / events.length > 0.01 && returns.length / events.length < 0.04);
  for (const r of returns) assert.ok(events.some((e) => `${e.idempotencyKey}:return` === r.idempotencyKey));
});

/** What is wrong with a use, read from the event alone the way the hub would find it; null when nothing is. */
function damageFinder() {
  const items = new Map(network.master.items.map((i) => [i.id, i]));
  const byGtin = new Map(network.master.items.filter((i) => i.gtin).map((i) => [i.gtin, i]));
  const locations = new Set(network.master.locations.map((l) => l.id));
  const usedSerials = new Set<string>();
  return (e: CanonicalEvent): BadKind | null => {
    const p = e.payload as { item: { code?: string; gtin?: string }; location: string; quantity: { unit: string }; lot?: string; serial?: string; expiry?: string };
    const item = p.item.code ? items.get(p.item.code) : byGtin.get(p.item.gtin ?? '');
    const serialKey = `${item?.id}|${p.serial}`;
    if (e.type === 'supply.returned') {
      usedSerials.delete(serialKey);
      return null;
    }
    if (e.type !== 'supply.used') return null;
    const reused = p.serial !== undefined && usedSerials.has(serialKey);
    if (p.serial !== undefined) usedSerials.add(serialKey);
    if (!item) return 'unknown-item';
    if (item.status !== 'active') return 'inactive-item';
    if (item.implant && (!p.lot || !p.serial)) return 'implant-without-lot';
    if (!locations.has(p.location)) return 'unknown-location';
    if (p.expiry !== undefined && p.expiry < e.occurredAt.slice(0, 10)) return 'expired';
    if (p.quantity.unit !== item.uom && !item.packaging.some((k) => k.uom === p.quantity.unit)) return 'unconvertible-unit';
    if (reused) return 'duplicate-serial';
    return null;
  };
}

test('bad data appears at about the configured rate, every kind of it, each counted in the stats', () => {
  for (const rate of [0.02, 0.1]) {
    const { events, state } = generate(20000, rate);
    const uses = events.filter((e) => e.type === 'supply.used');
    const damageOf = damageFinder();
    const found = Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>;
    for (const e of events) {
      const kind = damageOf(e);
      if (kind) found[kind]++;
    }
    assert.deepEqual(found, state.stats.bad, `rate ${rate}: what the events carry is what the stats say`);
    for (const kind of BAD_KINDS) assert.ok(found[kind] > 0, `rate ${rate}: no ${kind} in ${JSON.stringify(found)}`);
    const observed = Object.values(found).reduce((a, b) => a + b, 0) / uses.length;
    assert.ok(Math.abs(observed - rate) < rate * 0.3, `rate ${rate}: observed ${observed}`);
    // A reused serial is the rare kind.
    assert.ok(found['duplicate-serial'] < found['unknown-item'] / 2, JSON.stringify(found));
  }
  const { state } = generate(20000, 0);
  assert.deepEqual(Object.values(state.stats.bad), BAD_KINDS.map(() => 0), 'badRate 0: no damaged message');
});

test('a reused serial names the same item and serial as a use in an earlier case', () => {
  const { events, state } = generate(20000, 0.1);
  const uses = events.filter((e) => e.type === 'supply.used' && e.payload.serial !== undefined);
  const itemOf = (e: CanonicalEvent) => {
    const ref = e.payload.item as { code?: string; gtin?: string };
    return ref.code ?? network.master.items.find((i) => i.gtin === ref.gtin)?.id;
  };
  let reused = 0;
  uses.forEach((e, i) => {
    const earlier = uses.slice(0, i).find((x) => x.payload.serial === e.payload.serial && itemOf(x) === itemOf(e));
    if (!earlier) return;
    reused++;
    assert.notEqual(earlier.correlationId, e.correlationId, 'another case');
    assert.match(String(e.correlationId), /^CASE-/);
    assert.equal(e.payload.lot, earlier.payload.lot);
    assert.ok(!events.some((r) => r.type === 'supply.returned' && r.idempotencyKey === `${earlier.idempotencyKey}:return`), 'a reused use is never returned');
  });
  assert.equal(reused, state.stats.bad['duplicate-serial']);
});

test('good traffic runs into the master data\'s own problems: a closed cost center, charge lines missing, off-contract reorders', () => {
  const { events, state } = generate(20000, 0);
  const { master } = network;
  const items = new Map(master.items.map((i) => [i.id, i]));
  const byGtin = new Map(master.items.filter((i) => i.gtin).map((i) => [i.gtin, i]));
  const uses = events.filter((e) => e.type === 'supply.used');
  const itemOf = (e: CanonicalEvent) => {
    const ref = e.payload.item as { code?: string; gtin?: string };
    return ref.code ? items.get(ref.code) : byGtin.get(ref.gtin ?? '');
  };
  // invalid_cost_center: uses at a location whose department's cost center is inactive.
  const costCenter = new Map(master.departments.map((d) => [d.id, master['cost-centers'].find((c) => c.id === d.costCenterId)]));
  const closed = new Set(master.locations.filter((l) => costCenter.get(l.departmentId)?.status !== 'active').map((l) => l.id));
  assert.ok(closed.size > 0);
  assert.ok(uses.filter((e) => closed.has(String(e.payload.location))).length > 20);
  // charge_without_cdm: a chargeable item without a chargemaster line, used on a patient account.
  const charged = new Set(master.chargemaster.map((c) => c.itemId));
  const uncharged = uses.filter((e) => itemOf(e)?.chargeable && !charged.has(itemOf(e)?.id ?? '') && e.payload.encounter && e.payload.patient);
  assert.ok(uncharged.length > 20, `${uncharged.length} uses of chargeable items without a charge line`);
  // no_contract_price: cabinets reorder, now and then an item that has no contract price.
  const priced = new Set(master['contract-prices'].map((p) => p.itemId));
  const requisitions = events.filter((e) => e.type === 'requisition.created');
  const cabinets = new Set(master.locations.filter((l) => l.managedBy === 'cabinet').map((l) => l.id));
  const pars = new Map(master['par-levels'].map((p) => [`${p.locationId}|${p.itemId}`, p]));
  assert.equal(requisitions.length, state.stats.requisitions);
  assert.ok(requisitions.length > 30, `${requisitions.length} requisitions`);
  for (const r of requisitions) {
    const p = r.payload as { item: { code: string }; location: string; quantity: { value: number; unit: string }; requisitionNumber: string };
    assert.ok(cabinets.has(p.location), p.location);
    assert.equal(r.source.system, 'cabinet-omnicell');
    assert.equal(p.quantity.unit, items.get(p.item.code)?.uom);
    const par = pars.get(`${p.location}|${p.item.code}`);
    if (par) assert.equal(p.quantity.value % par.orderUnit.quantity, 0, 'whole order units');
    else assert.ok(!priced.has(p.item.code), 'only a spot buy is off par');
  }
  const offContract = requisitions.filter((r) => !priced.has((r.payload.item as { code: string }).code));
  assert.ok(offContract.length > 0);
  assert.equal(offContract.length, state.stats.offContractRequisitions);
});

test('floor stock is sometimes taken by the box, only for items that come in a box', () => {
  const { events, state } = generate(20000, 0);
  const items = new Map(network.master.items.map((i) => [i.id, i]));
  const boxed = events.filter((e) => e.type === 'supply.used' && (e.payload.quantity as { unit: string }).unit === 'BX');
  assert.equal(boxed.length, state.stats.boxed);
  assert.ok(boxed.length > 100, `${boxed.length} boxes`);
  for (const e of boxed) {
    const item = items.get((e.payload.item as { code: string }).code);
    assert.ok(item?.packaging.some((p) => p.uom === 'BX'), item?.id);
    assert.equal(e.source.system, 'cabinet-omnicell');
    assert.equal(item?.chargeable, false);
  }
});

test('receiptFor keys the receipt by requisition number', () => {
  const state = createTrafficState({ seed: 21, network, now: () => NOW });
  const req = { requisitionNumber: 'PR-00000042', locationId: 'LOC-B-OR1', itemId: 'ITM-00003', quantity: 10, uom: 'EA' };
  const event = receiptFor(state, req);
  assert.ok(canonicalEventSchema.safeParse(event).success);
  assert.equal(event.idempotencyKey, 'scanner:receipt:PR-00000042');
  assert.equal(event.facility, 'FAC-B');
  assert.match(event.occurredAt, /-06:00$/);
});
