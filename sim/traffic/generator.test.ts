import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNetwork } from '../network/build.ts';
import { canonicalEventSchema, isoWithOffset, type CanonicalEvent } from './events.ts';
import { createTrafficState, nextBatch } from './generator.ts';
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

test('bad data appears at about the configured rate', () => {
  const items = new Set(network.master.items.map((i) => i.id));
  const gtins = new Set(network.master.items.map((i) => i.gtin));
  const locations = new Set(network.master.locations.map((l) => l.id));
  const implantIds = new Set(network.master.items.filter((i) => i.implant).map((i) => i.id));
  const implantGtins = new Set(network.master.items.filter((i) => i.implant).map((i) => i.gtin));
  for (const rate of [0.02, 0.1]) {
    const { events, state } = generate(20000, rate);
    const uses = events.filter((e) => e.type === 'supply.used');
    const bad = uses.filter((e) => {
      const ref = e.payload.item as { code?: string; gtin?: string };
      const knownItem = ref.code ? items.has(ref.code) : gtins.has(ref.gtin ?? '');
      const implant = ref.code ? implantIds.has(ref.code) : implantGtins.has(ref.gtin ?? '');
      return !knownItem || !locations.has(String(e.payload.location)) || (implant && (!e.payload.lot || !e.payload.serial));
    });
    const observed = bad.length / uses.length;
    assert.ok(Math.abs(observed - rate) < rate * 0.3, `rate ${rate}: observed ${observed}`);
    const counted = Object.values(state.stats.bad).reduce((a, b) => a + b, 0);
    assert.equal(counted, bad.length);
    assert.ok(state.stats.bad['implant-without-lot'] > 0);
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
