// Service levels from samples: delivered latencies in the window, what still waits beyond the target (an outage is
// a breach while it lasts), exception age per category, supplier acknowledgments past due; and the histogram math.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HubConfig, type ServiceLevelConfig } from '../config/schema.ts';
import { countWithin, quantile, Samples, SERVICE_LATENCY_BOUNDS } from './histogram.ts';
import { deliveryLatency, exceptionAge, selects, supplierAckLateness, waitingBeyond, type WaitingGroup } from './service-levels.ts';

const config = HubConfig.parse({
  security: { phiKey: 'a'.repeat(64) }, masterData: { url: 'http://127.0.0.1:1' },
  destinations: [{ name: 'billing', role: 'billing', url: 'http://127.0.0.1:1' }],
});
const level = (name: string): ServiceLevelConfig => config.serviceLevels.find((l) => l.name === name)!;
const NOW = Date.parse('2026-11-21T12:00:00Z');

/** Cumulative counts for observations (seconds) in SERVICE_LATENCY_BOUNDS. */
function histogram(observations: number[]): number[] {
  return [...SERVICE_LATENCY_BOUNDS.map((b) => observations.filter((o) => o <= b).length), observations.length];
}

test('the five named service levels are there by default', () => {
  assert.deepEqual(config.serviceLevels.map((l) => l.name),
    ['inventory-update-latency', 'charge-sync-latency', 'financial-posting-window', 'supplier-ack-lateness', 'exception-age']);
});

test('histogram math: quantiles and counts within a target interpolate within a bucket', () => {
  const counts = histogram([...Array(90).fill(1), ...Array(10).fill(600)]);
  assert.equal(quantile(SERVICE_LATENCY_BOUNDS, counts, 0.5), 0.5 + 0.5 * (50 / 90));
  assert.equal(quantile(SERVICE_LATENCY_BOUNDS, counts, 0.95), 300 + 300 * 0.5);
  assert.equal(countWithin(SERVICE_LATENCY_BOUNDS, counts, 900), 100);
  assert.equal(countWithin(SERVICE_LATENCY_BOUNDS, counts, 60), 90);
  assert.equal(quantile(SERVICE_LATENCY_BOUNDS, histogram([]), 0.95), null);
  assert.equal(quantile(SERVICE_LATENCY_BOUNDS, histogram([200_000]), 0.95), 86400, 'beyond the last bound: at least that');
});

test('samples: the baseline of a window is the newest sample at least that old', () => {
  const s = new Samples<number>(60_000, 3_600_000);
  for (let m = 0; m <= 120; m++) s.add(NOW + m * 60_000, m);
  assert.equal(s.baseline(NOW + 120 * 60_000, 3_600_000)!.value, 60);
  assert.equal(s.baseline(NOW + 120 * 60_000, 10 * 3_600_000)!.value, 60, 'samples older than the longest window are gone');
  s.add(NOW + 120 * 60_000 + 1000, 999);
  assert.equal(s.baseline(NOW + 121 * 60_000, 0)!.value, 120, 'at most one sample per minute');
});

test('delivery latency: the flows selected, compliance within the target, p95', () => {
  const charge = level('charge-sync-latency');
  assert.equal(selects(charge, { destination: 'billing', role: 'billing', action: 'charge.post' }), true);
  assert.equal(selects(charge, { destination: 'billing', role: 'billing', action: 'chargemaster.update' }), false);
  assert.equal(selects(charge, { destination: 'erp', role: 'erp', action: 'charge.post' }), false);

  const fine = deliveryLatency(charge, { delivered: histogram(Array(1000).fill(2)), waitingBeyondTarget: {}, oldestWaitingSeconds: 1 });
  assert.equal(fine.status, 'ok');
  assert.equal(fine.compliance, 1);
  assert.equal(fine.current, 1 + 1.5 * 0.95, 'p95 interpolated in the 1–2.5 s bucket');
  assert.equal(fine.ownerRole, 'revenue-cycle');
  assert.equal(fine.windowMinutes, 60);

  const idle = deliveryLatency(charge, { delivered: histogram([]), waitingBeyondTarget: {}, oldestWaitingSeconds: null });
  assert.equal(idle.status, 'no-data');
  assert.equal(idle.compliance, null);
});

test('an outage is a breach while it lasts: nothing delivered, deliveries waiting beyond the target, by facility', () => {
  const charge = level('charge-sync-latency');
  const bucketMs = 10_000;
  const minutesAgo = (m: number) => NOW - m * 60_000;
  const groups: WaitingGroup[] = [
    { destination: 'billing', role: 'billing', action: 'charge.post', facility: 'FAC-A', buckets: new Map([[minutesAgo(40), 30], [minutesAgo(5), 10]]) },
    { destination: 'billing', role: 'billing', action: 'charge.post', facility: 'FAC-B', buckets: new Map([[minutesAgo(20), 4]]) },
    { destination: 'billing', role: 'billing', action: 'chargemaster.update', facility: 'FAC-A', buckets: new Map([[minutesAgo(60), 99]]) },
  ];
  const waiting = waitingBeyond(charge, groups, bucketMs, NOW - 900_000, NOW);
  assert.deepEqual(waiting.byFacility, { 'FAC-A': 30, 'FAC-B': 4 }, 'only charges, only those older than 15 min');
  assert.equal(waiting.oldestSeconds, 40 * 60 - 10, 'the oldest charge, counted from the end of its bucket');

  const s = deliveryLatency(charge, { delivered: histogram(Array(100).fill(1)), waitingBeyondTarget: waiting.byFacility, oldestWaitingSeconds: waiting.oldestSeconds });
  assert.equal(s.status, 'breached');
  assert.equal(s.compliance, Math.round((100 / 134) * 10_000) / 10_000);
  assert.equal(s.current, 2390, 'the oldest waiting, not the p95 of what landed');
  assert.deepEqual(s.breachesByFacility, { 'FAC-A': 30, 'FAC-B': 4 });

  const nothingLanded = deliveryLatency(charge, { delivered: histogram([]), waitingBeyondTarget: waiting.byFacility, oldestWaitingSeconds: waiting.oldestSeconds });
  assert.equal(nothingLanded.status, 'breached');
  assert.equal(nothingLanded.compliance, 0);
});

test('financial posting window: a target in hours is shown in hours', () => {
  const s = deliveryLatency(level('financial-posting-window'), { delivered: histogram([3600, 3600, 30_000]), waitingBeyondTarget: {}, oldestWaitingSeconds: null });
  assert.equal(s.unit, 'hours');
  assert.equal(s.target, 4);
  assert.equal(s.compliance, 0.6667);
  assert.equal(s.status, 'breached');
});

test('exception age: one status per category with open exceptions, against its SLA; an empty queue is ok', () => {
  const ownerOf = (category: string) => ({ ownerRole: category === 'unmapped_item' ? 'item-master' : 'finance', slaHours: 24 });
  const rows = exceptionAge(level('exception-age'), [
    { category: 'unmapped_item', ownerRole: 'item-master', slaHours: 24, open: 10, oldestSeconds: 30 * 3600, beyondTargetByFacility: { 'FAC-A': 2 } },
    { category: 'missing_lot_serial', ownerRole: 'perioperative', slaHours: 8, open: 4, oldestSeconds: 3600, beyondTargetByFacility: {} },
  ], ownerOf);
  assert.deepEqual(rows.map((r) => [r.name, r.status, r.target, r.current, r.compliance, r.ownerRole]), [
    ['exception-age:unmapped_item', 'breached', 24, 30, 0.8, 'item-master'],
    ['exception-age:missing_lot_serial', 'ok', 8, 1, 1, 'perioperative'],
  ]);
  const none = exceptionAge(level('exception-age'), [], ownerOf);
  assert.deepEqual(none.map((r) => [r.name, r.status, r.current]), [['exception-age', 'ok', 0]]);
  const listed = exceptionAge({ ...level('exception-age'), categories: ['invalid_cost_center'] }, [], ownerOf);
  assert.deepEqual(listed.map((r) => [r.name, r.status, r.ownerRole]), [['exception-age:invalid_cost_center', 'ok', 'finance']]);
});

test('supplier acknowledgment lateness: orders past their 855 due time against all awaiting one', () => {
  const s = supplierAckLateness(level('supplier-ack-lateness'), { awaiting: 20, oldestLateSeconds: 7200, beyondTargetByFacility: { 'FAC-A': 2 }, ownerRole: 'supply-chain' });
  assert.deepEqual([s.status, s.compliance, s.current, s.unit, s.ownerRole], ['breached', 0.9, 2, 'hours', 'supply-chain']);
  const none = supplierAckLateness(level('supplier-ack-lateness'), { awaiting: 0, oldestLateSeconds: null, beyondTargetByFacility: {}, ownerRole: 'supply-chain' });
  assert.equal(none.status, 'ok');
});
