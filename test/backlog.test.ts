// A destination's backlog beyond what the dispatcher holds in memory waits in the store and is read back in commit
// order: an outage of any length neither grows the heap without bound nor loses, reorders or repeats a delivery,
// across a restart too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, ledger, metricValue, restartTestHub, waitFor, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';
import { plannedUses } from './support/load.ts';

const HELD = 20;
let world: World; // the restart replaces its hub, which the world stops after the test
withHub((w) => (world = w), (config) => {
  for (const d of config.destinations) if (d.name === 'erp') d.held = HELD;
});

interface Status { destination: string; queued: number; held: number }
interface Listed { id: string; seq: number; partitionKey: string; idempotencyKey: string }

const erpStatus = async (): Promise<Status> => {
  const r = await api<{ data: Status[] }>(world.hub, world.hub.tokens.viewer, 'GET', '/v1/destinations');
  return r.body.data.find((d) => d.destination === 'erp')!;
};

test('an ERP backlog fifteen times what the dispatcher holds: counted whole, held to the bound, then all delivered once, in order per partition, after a restart', { timeout: 120_000 }, async () => {
  const { sims } = world;
  let hub: TestHub = world.hub;
  // Routine uses only: a critical one (an implant's) is held at once, ahead of the bound (test/priority-circuit.test.ts).
  const implants = new Set(sims.network.master.items.filter((i) => i.implant).map((i) => i.id));
  const planned = plannedUses(sims.network, 400, 'backlog').filter((p) => !implants.has(p.event.payload.item.code!)).slice(0, 300);
  assert.equal(planned.length, 300);
  const expected = planned.reduce((n, p) => n + p.expect.erp, 0);
  assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/destinations/erp/pause')).status, 200);
  for (let i = 0; i < planned.length; i += 50) {
    const res = await api(hub, hub.tokens.operator, 'POST', '/v1/events', planned.slice(i, i + 50).map((p) => p.event));
    assert.equal(res.status, 202);
  }

  let status = await waitFor('the whole backlog to be counted', async () => {
    const s = await erpStatus();
    return s.queued === expected && s;
  });
  assert.ok(status.held <= HELD, `at most ${HELD} held in memory (held ${status.held} of ${status.queued})`);
  assert.equal(await metricValue(hub, 'tendon_queue_depth', { destination: 'erp' }), expected, 'the depth metric counts what waits in the store too');

  // A restart reads the backlog a page at a time: it is counted whole again and held to the bound.
  hub = world.hub = await restartTestHub(hub);
  status = await erpStatus();
  assert.equal(status.queued, expected, 'after the restart the backlog is counted whole');
  assert.ok(status.held <= HELD, `after the restart at most ${HELD} are held (held ${status.held})`);

  assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/destinations/erp/resume')).status, 200);
  await drained(hub, 90_000);
  assert.equal((await erpStatus()).queued, 0);

  const deliveries = (await api<{ data: Listed[] }>(hub, hub.tokens.viewer, 'GET', '/v1/deliveries?destination=erp&status=delivered&limit=10000')).body.data;
  const byKey = new Map(deliveries.map((d) => [d.idempotencyKey, d]));
  const entries = (await ledger(sims, 'erp')).filter((e) => byKey.has(e.idempotencyKey));
  assert.equal(entries.length, expected, 'every ERP delivery landed');
  assert.equal(new Set(entries.map((e) => e.idempotencyKey)).size, expected, 'none landed twice');

  // The ERP received each partition's deliveries in the order they were committed.
  const lastSeq = new Map<string, number>();
  for (const e of entries) {
    const d = byKey.get(e.idempotencyKey)!;
    assert.ok((lastSeq.get(d.partitionKey) ?? 0) < d.seq, `partition ${d.partitionKey} kept its commit order`);
    lastSeq.set(d.partitionKey, d.seq);
  }
});
