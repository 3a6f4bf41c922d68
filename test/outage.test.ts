// Destination outage: the ERP goes down for 30 s while traffic flows. Its deliveries wait and retry; inventory
// and billing keep receiving; after the ERP recovers every delivery has landed exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, fault, ledger, metricValue, type Sims, type TestHub } from './support/hub.ts';
import { withHub } from './support/world.ts';
import { plannedUses } from './support/load.ts';

let sims: Sims;
let hub: TestHub;
withHub((w) => ({ sims, hub } = w));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the ERP down for 30 s during traffic: its deliveries wait and retry, the others keep flowing, then all land exactly once', { timeout: 180_000 }, async () => {
  const planned = plannedUses(sims.network, 1600, 'outage');
  const started = Date.now();
  const at = (s: number) => sleep(Math.max(0, started + s * 1000 - Date.now()));
  // 40 events/s for 40 s; the ERP is down from second 5 to second 35.
  const traffic = (async () => {
    for (let i = 0; i < planned.length; i += 20) {
      await at(i / 40);
      const res = await api(hub, hub.tokens.operator, 'POST', '/v1/events', planned.slice(i, i + 20).map((p) => p.event));
      assert.equal(res.status, 202, 'ingest never waits for a destination');
    }
  })();

  await at(5);
  await fault(sims, 'erp', { down: true });
  const erpAtDown = (await ledger(sims, 'erp')).length;
  const othersAtDown = (await ledger(sims, 'inventory')).length + (await ledger(sims, 'billing')).length;
  await at(20);
  assert.equal(await metricValue(hub, 'tendon_circuit_state', { destination: 'erp' }), 1, 'the ERP circuit is open');
  assert.ok(await metricValue(hub, 'tendon_queue_depth', { destination: 'erp' }) > 100, 'the ERP backlog grows');
  await at(34);
  assert.equal((await ledger(sims, 'erp')).length, erpAtDown, 'nothing reached the ERP while it was down');
  const othersBeforeUp = (await ledger(sims, 'inventory')).length + (await ledger(sims, 'billing')).length;
  assert.ok(othersBeforeUp > othersAtDown + 1000, `inventory and billing kept flowing (${othersAtDown} → ${othersBeforeUp})`);
  await at(35);
  await fault(sims, 'erp', { reset: true });
  await traffic;
  await drained(hub, 120_000);

  const ids = new Map<string, string>();
  const events = await api<{ data: { eventId: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/deliveries?limit=10000&status=dead,rejected');
  assert.equal(events.body.data.length, 0, 'nothing went dead or was rejected');
  for (const name of ['erp', 'inventory', 'billing'] as const) {
    const entries = (await ledger(sims, name)).filter((e) => String(e.body.reference?.eventId ?? '') !== '');
    const keys = entries.map((e) => e.idempotencyKey);
    assert.equal(new Set(keys).size, keys.length, `${name}: no idempotency key twice`);
    const expected = planned.reduce((n, p) => n + p.expect[name], 0);
    assert.equal(entries.length, expected, `${name}: ledger entries equal the expected effects`);
    for (const e of entries) ids.set(`${name}:${e.body.reference!.eventId}`, e.id);
  }
  assert.equal(await metricValue(hub, 'tendon_circuit_state', { destination: 'erp' }), 0, 'the circuit closed again');
});
