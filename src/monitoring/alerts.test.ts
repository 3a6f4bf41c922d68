// The alert state machine on a fixed clock: fires only after `for`, once; clears only after `clearAfter`, once;
// escalates once unless acknowledged; and never floods, whether the condition flaps or persists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { HubConfig } from '../config/schema.ts';
import { ALERT_RULES, AlertBook, conditionsOf, payloadOf, type Condition, type Transition } from './alerts.ts';
import type { DestinationFlow, Overview, ServiceLevelStatus } from './overview.ts';

const T0 = Date.parse('2026-11-21T08:00:00Z');
let ids = 0;
const book = () => new AlertBook(() => `a${++ids}`);

function condition(holds: boolean, over: Partial<Condition> = {}): Condition {
  return {
    rule: 'oldest-pending', subject: 'destination:billing', holds, clear: !holds, value: holds ? 900 : 0, threshold: 300,
    severity: 'critical', ownerRole: 'revenue-cycle', summary: 'billing: the oldest delivery has waited 15 min', runbook: 'docs/runbooks/oldest-pending.md',
    for: 30, clearAfter: 60, escalateAfter: 900, ...over,
  };
}

/** Evaluates every second from `from` for `seconds`, with the condition `holds(t)` (t in seconds since from). */
function run(b: AlertBook, from: number, seconds: number, holds: (t: number) => boolean, over: Partial<Condition> = {}): Transition[] {
  const out: Transition[] = [];
  for (let t = 0; t < seconds; t++) out.push(...b.evaluate([condition(holds(t), over)], from + t * 1000));
  return out;
}

const statuses = (ts: Transition[]) => ts.map((t) => t.status);

test('a condition must hold for `for` seconds before the alert fires, and then it fires once', () => {
  const b = book();
  assert.deepEqual(run(b, T0, 30, () => true, { escalateAfter: null }), [], 'nothing within the first 30 s');
  const fired = b.evaluate([condition(true, { escalateAfter: null })], T0 + 30_000);
  assert.deepEqual(statuses(fired), ['firing']);
  assert.equal(fired[0]!.alert.startedAt, T0 + 30_000);
  assert.deepEqual(run(b, T0 + 31_000, 600, () => true, { escalateAfter: null }), [], 'no repeat while it holds');
});

test('a blip shorter than `for` never fires', () => {
  const b = book();
  assert.deepEqual(run(b, T0, 3600, (t) => t >= 100 && t < 110), []);
  assert.deepEqual(b.firing(), []);
});

test('no flood: a condition persisting for an hour is one start and one clear (and one escalation)', () => {
  const b = book();
  const all = [...run(b, T0, 3600, () => true), ...run(b, T0 + 3600_000, 600, () => false)];
  assert.deepEqual(statuses(all), ['firing', 'escalated', 'resolved']);
  assert.equal(new Set(all.map((t) => t.alert.id)).size, 1, 'one alert throughout');
  const resolved = all[2]!.alert;
  assert.equal(resolved.clearedAt, T0 + 3600_000 + 60_000, 'cleared after clearAfter of quiet');
  assert.equal(resolved.summary, condition(true).summary, 'the clear still says what broke');
});

test('no flood: a condition flapping for an hour (on 20 s, off 20 s) is one start and one clear', () => {
  const b = book();
  const all = [...run(b, T0, 3600, (t) => t % 40 < 20, { escalateAfter: null }), ...run(b, T0 + 3600_000, 600, () => false, { escalateAfter: null })];
  assert.deepEqual(statuses(all), ['firing', 'resolved']);
  // 20 s on, 20 s off: 30 s of holding are reached during the second "on" (gaps shorter than clearAfter count as one incident).
  assert.equal(all[0]!.alert.startedAt, T0 + 50_000);
});

test('no flood: a condition flapping every second fires once it has held for `for` seconds in all, and clears once', () => {
  const b = book();
  const all = [...run(b, T0, 3600, (t) => t % 2 === 0, { escalateAfter: null }), ...run(b, T0 + 3600_000, 600, () => false, { escalateAfter: null })];
  assert.deepEqual(statuses(all), ['firing', 'resolved']);
});

test('hysteresis: a value between clearBelow and the threshold neither fires again nor clears', () => {
  const b = book();
  const band = (t: number) => ({ holds: t < 100, clear: t >= 400 }); // 0–100 s above, 100–400 s in the band, then below
  const out: Transition[] = [];
  for (let t = 0; t < 1000; t++) out.push(...b.evaluate([{ ...condition(false), ...band(t), escalateAfter: null }], T0 + t * 1000));
  assert.deepEqual(statuses(out), ['firing', 'resolved']);
  assert.equal(out[1]!.alert.clearedAt, T0 + 460_000, 'clears 60 s after it fell below clearBelow, not when it left the threshold');
});

test('a new incident after a clear is a new alert with its own id', () => {
  const b = book();
  const all = [...run(b, T0, 200, (t) => t < 50, { escalateAfter: null }), ...run(b, T0 + 200_000, 100, () => true, { escalateAfter: null })];
  assert.deepEqual(statuses(all), ['firing', 'resolved', 'firing']);
  assert.notEqual(all[0]!.alert.id, all[2]!.alert.id);
});

test('escalation: once, after escalateAfter unacknowledged; never once acknowledged', () => {
  const b = book();
  const early = run(b, T0, 600, () => true, { escalateAfter: 300 });
  assert.deepEqual(statuses(early), ['firing', 'escalated']);
  assert.equal(early[1]!.alert.escalatedAt, T0 + 330_000, 'escalateAfter counts from when it fired');

  const quiet = book();
  const [fired] = run(quiet, T0, 60, () => true, { escalateAfter: 300 });
  const acked = quiet.acknowledge(fired!.alert.id, 'ana', T0 + 60_000);
  assert.equal(acked?.acknowledgedBy, 'ana');
  assert.deepEqual(run(quiet, T0 + 60_000, 3600, () => true, { escalateAfter: 300 }), [], 'acknowledged: no escalation');
  assert.equal(quiet.acknowledge('no-such-alert', 'ana', T0), null);
});

test('a restart restores firing alerts: the start is not sent again and the clear is not lost', () => {
  const first = book();
  const [fired] = run(first, T0, 40, () => true, { escalateAfter: null });
  const again = book();
  again.restore(first.firing(), T0 + 100_000, () => ({ for: 30, clearAfter: 60, escalateAfter: null }));
  assert.deepEqual(run(again, T0 + 100_000, 30, () => true, { escalateAfter: null }), [], 'no second start');
  const cleared = run(again, T0 + 130_000, 120, () => false, { escalateAfter: null });
  assert.deepEqual(statuses(cleared), ['resolved']);
  assert.equal(cleared[0]!.alert.id, fired!.alert.id);
});

test('a subject that disappears (nothing open in a category any more) clears its alert', () => {
  const b = book();
  run(b, T0, 40, () => true, { escalateAfter: null });
  const out: Transition[] = [];
  for (let t = 40; t < 200; t++) out.push(...b.evaluate([], T0 + t * 1000));
  assert.deepEqual(statuses(out), ['resolved']);
});

// ── rules over an overview ─────────────────────────────────────────────────────────────────────────────────────

const config = HubConfig.parse({
  security: { phiKey: 'a'.repeat(64) }, masterData: { url: 'http://127.0.0.1:1' },
  destinations: [{ name: 'billing', role: 'billing', url: 'http://127.0.0.1:1', ownerRole: 'revenue-cycle' }],
  alerts: { rules: { 'queue-depth': { threshold: 100, clearBelow: 50 } } },
});

function destination(over: Partial<DestinationFlow> = {}): DestinationFlow {
  return {
    name: 'billing', role: 'billing', ownerRole: 'revenue-cycle', queued: 0, inFlight: 0, oldestPendingSeconds: 0, deliveredPerSecond: 10,
    failuresPerSecond: 0, attemptsPerSecond: 10, errorRate: 0, p95LatencyMs: 12, circuit: 'closed', paused: false, dead: 0, rejected: 0, ...over,
  };
}

function overview(over: Partial<Overview> = {}): Overview {
  return { at: new Date(T0).toISOString(), channels: [], destinations: [destination()], facilities: [], serviceLevels: [], alerts: [], exceptions: { open: 0, byCategory: [] }, ...over };
}

const find = (cs: Condition[], rule: string, subject: string) => cs.find((c) => c.rule === rule && c.subject === subject)!;

test('destination rules: thresholds with hysteresis, the owner of the destination, the business impact and the runbook', () => {
  const down = conditionsOf(overview({ destinations: [destination({ queued: 120, oldestPendingSeconds: 400, circuit: 'open', errorRate: 1, attemptsPerSecond: 1 })] }), config.alerts, config.serviceLevels);
  for (const rule of ['queue-depth', 'oldest-pending', 'error-rate', 'circuit-open']) {
    const c = find(down, rule, 'destination:billing');
    assert.equal(c.holds, true, rule);
    assert.equal(c.ownerRole, 'revenue-cycle');
    assert.equal(c.runbook, `docs/runbooks/${rule}.md`);
    assert.match(c.summary, /implants and supplies used but not billed/);
  }
  const band = find(conditionsOf(overview({ destinations: [destination({ queued: 70 })] }), config.alerts, config.serviceLevels), 'queue-depth', 'destination:billing');
  assert.deepEqual([band.holds, band.clear], [false, false], 'between clearBelow and the threshold');
  const quiet = find(conditionsOf(overview({ destinations: [destination({ errorRate: 1, attemptsPerSecond: 0.05 })] }), config.alerts, config.serviceLevels), 'error-rate', 'destination:billing');
  assert.equal(quiet.holds, false, 'a destination too quiet to judge is not judged by its error rate');
});

test('analytics trouble is never critical; a breached service level alerts its owner with its runbook section', () => {
  const level: ServiceLevelStatus = {
    name: 'charge-sync-latency', description: 'charges reach billing', measure: 'delivery-latency', target: 900, unit: 'seconds', current: 3600,
    compliance: 0.5, objective: 0.99, status: 'breached', breachesByFacility: { 'FAC-A': 12 }, ownerRole: 'revenue-cycle', windowMinutes: 60,
  };
  const cs = conditionsOf(overview({
    destinations: [destination({ name: 'stream', role: 'analytics', ownerRole: 'integration', circuit: 'open' })], serviceLevels: [level],
  }), config.alerts, config.serviceLevels);
  assert.equal(find(cs, 'circuit-open', 'destination:stream').severity, 'warning');
  const breach = find(cs, 'service-level-breach', 'service-level:charge-sync-latency');
  assert.equal(breach.holds, true);
  assert.equal(breach.ownerRole, 'revenue-cycle');
  assert.equal(breach.runbook, 'docs/runbooks/service-level-breach.md#charge-sync-latency');
  assert.match(breach.summary, /50% within 900 seconds .*FAC-A 12/);
});

test('the webhook payload', () => {
  const b = book();
  const [fired] = run(b, T0, 31, () => true, { escalateAfter: null });
  assert.deepEqual(Object.keys(payloadOf('firing', fired!.alert, 'hub-1')).sort(),
    ['clearedAt', 'hub', 'id', 'ownerRole', 'rule', 'runbook', 'severity', 'startedAt', 'status', 'subject', 'summary', 'threshold', 'value']);
});

test('every rule names a runbook that exists, and every named service level has its section', () => {
  const docs = new URL('../../docs/runbooks/', import.meta.url);
  for (const rule of ALERT_RULES) assert.ok(existsSync(new URL(`${rule}.md`, docs)), `docs/runbooks/${rule}.md`);
  const breach = readFileSync(new URL('service-level-breach.md', docs), 'utf8');
  for (const level of config.serviceLevels) assert.match(breach, new RegExp(`^## ${level.name}$`, 'm'), level.name);
});
