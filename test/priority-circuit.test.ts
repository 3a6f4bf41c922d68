// Priority lanes and the circuit breaker. An implant's delivery overtakes a backlog of routine traffic; a failing
// ERP opens its circuit, attempts fall to the probe rate, and the circuit closes when the ERP heals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, fault, ledger, metricValue, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];
withHub((w) => ({ sims, hub, p } = w));

test('with 10,000 routine ERP deliveries queued, an implant\'s delivery lands before the 100th of them', { timeout: 180_000 }, async () => {
  await api(hub, hub.tokens.operator, 'POST', '/v1/destinations/erp/pause');
  const m = sims.network.master;
  const routine = m.items.filter((i) => !i.implant && !i.lotControlled && !i.serialControlled && i.status === 'active').slice(0, 50);
  for (let i = 0; i < 10_000; i += 1000) {
    const batch = Array.from({ length: 1000 }, (_, n) => used(`prio-routine-${i + n}`, {
      item: routine[(i + n) % routine.length]!.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null,
    }));
    assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/events', batch)).status, 202);
  }
  const implant = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events',
    [used('prio-implant-1', { item: p.implant.id, location: p.location.id, facility: p.facility })]);
  assert.equal(await metricValue(hub, 'tendon_queue_depth', { destination: 'erp' }), 10_001);
  await api(hub, hub.tokens.operator, 'POST', '/v1/destinations/erp/resume');
  await drained(hub, 120_000);

  const erp = (await ledger(sims, 'erp')).filter((e) => e.body.reference?.eventId);
  const position = erp.findIndex((e) => e.body.reference!.eventId === implant.body.results[0]!.id);
  assert.ok(position >= 0, 'the implant was delivered');
  assert.equal(erp.length, 10_001);
  assert.ok(position < 100, `the implant landed at position ${position}, before the 100th routine delivery`);
});

test('a failing ERP opens its circuit, attempts fall to the probe rate, and it closes when the ERP heals', { timeout: 120_000 }, async () => {
  await fault(sims, 'erp', { errorRate: 1, errorStatus: 503 });
  const batch = Array.from({ length: 50 }, (_, n) => used(`circuit-${n}`, { item: p.implant.id, location: p.location.id, facility: p.facility }));
  const posted = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', batch);
  const ids = new Set(posted.body.results.map((r) => r.id));
  await waitFor('the circuit to open', async () => (await metricValue(hub, 'tendon_circuit_state', { destination: 'erp' })) === 1, 20_000);

  // Open: one probe per halfOpenAfterMs (1 s in the test configuration), whatever the backlog.
  const before = await metricValue(hub, 'tendon_delivery_attempts_total', { destination: 'erp' });
  await new Promise((r) => setTimeout(r, 5000));
  const probes = (await metricValue(hub, 'tendon_delivery_attempts_total', { destination: 'erp' })) - before;
  assert.ok(probes >= 2 && probes <= 7, `about one probe a second while open, saw ${probes} attempts in 5 s`);
  assert.equal(await metricValue(hub, 'tendon_queue_depth', { destination: 'erp' }), 50, 'all 50 wait');
  assert.ok((await metricValue(hub, 'tendon_delivery_attempts_total', { destination: 'inventory', outcome: 'success' })) >= 50, 'inventory was not held up');

  await fault(sims, 'erp', { reset: true });
  await waitFor('the circuit to close', async () => (await metricValue(hub, 'tendon_circuit_state', { destination: 'erp' })) === 0, 20_000);
  await drained(hub);
  const delivered = (await ledger(sims, 'erp')).filter((e) => ids.has(String(e.body.reference?.eventId)));
  assert.equal(delivered.length, 50, 'every waiting delivery landed once after the ERP healed');
  assert.equal(await metricValue(hub, 'tendon_queue_depth', { destination: 'erp' }), 0);
});
