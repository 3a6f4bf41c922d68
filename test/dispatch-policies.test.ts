// The dispatcher's per-destination policies, observed from outside: a rate limit, Retry-After, dead after a number
// of attempts or an age, and strict partitions that wait for a replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, fault, ledger, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];

withHub((w) => ({ sims, hub, p } = w), (c) => {
  const [erp, inventory, billing] = c.destinations;
  erp!.rps = 20;
  inventory!.retry = { maxAttempts: 3, baseMs: 20, capMs: 50, maxAgeSeconds: 3600 };
  inventory!.circuit = { failures: 1000, halfOpenAfterMs: 1000 };
  billing!.strict = true;
  billing!.retry = { maxAttempts: 1000, baseMs: 20, capMs: 50, maxAgeSeconds: 1 };
  billing!.circuit = { failures: 1000, halfOpenAfterMs: 1000 };
});

type Delivery = { id: string; eventId: string; destination: string; status: string; attempts: number; partitionKey: string };
const post = (events: unknown[]) => api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', events);
const deliveriesOf = async (eventIds: string[], destination: string) =>
  (await api<{ data: Delivery[] }>(hub, hub.tokens.viewer, 'GET', `/v1/deliveries?destination=${destination}&limit=10000`)).body.data.filter((d) => eventIds.includes(d.eventId));

test('a destination limited to 20 requests per second gets no more than that', { timeout: 60_000 }, async () => {
  const res = await post(Array.from({ length: 60 }, (_, n) => used(`rps-${n}`, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null })));
  await drained(hub);
  const ids = new Set(res.body.results.map((r) => r.id));
  const times = (await ledger(sims, 'erp')).filter((e) => ids.has(String(e.body.reference?.eventId))).map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  assert.equal(times.length, 60);
  // A full bucket allows a burst of 20, then 20 a second: 60 requests take at least two seconds.
  assert.ok(times.at(-1)! - times[0]! >= 1900, `60 requests spread over ${times.at(-1)! - times[0]!} ms`);
});

test('a Retry-After answer holds the destination back for that long', { timeout: 60_000 }, async () => {
  await fault(sims, 'erp', { errorRate: 1, errorStatus: 429, retryAfterSeconds: 2 });
  const res = await post([used('retry-after-1', { item: p.implant.id, location: p.location.id, facility: p.facility })]);
  const id = res.body.results[0]!.id;
  const [erp] = await waitFor('a first refused attempt', async () => {
    const ds = await deliveriesOf([id], 'erp');
    return ds[0] && ds[0].attempts >= 1 ? ds : undefined;
  });
  await fault(sims, 'erp', { reset: true });
  await drained(hub);
  const detail = await api<{ attemptLog: { at: string; statusCode: number }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/deliveries/${erp!.id}`);
  const [first, second] = detail.body.attemptLog;
  assert.equal(first!.statusCode, 429);
  assert.equal(second!.statusCode, 201);
  assert.ok(Date.parse(second!.at) - Date.parse(first!.at) >= 1900, 'the retry waited for Retry-After');
});

test('a delivery goes dead after its attempts run out; later deliveries of its partition still flow, and a replay lands it once', { timeout: 60_000 }, async () => {
  await fault(sims, 'inventory', { errorRate: 1, errorStatus: 503 });
  const first = await post([used('dead-1', { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null })]);
  const deadId = first.body.results[0]!.id;
  await waitFor('the delivery to go dead', async () => (await deliveriesOf([deadId], 'inventory'))[0]?.status === 'dead');
  assert.equal((await deliveriesOf([deadId], 'inventory'))[0]!.attempts, 3);
  await fault(sims, 'inventory', { reset: true });
  const later = await post([used('dead-2', { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null })]);
  await drained(hub);
  assert.equal((await deliveriesOf([later.body.results[0]!.id], 'inventory'))[0]!.status, 'delivered', 'not strict: the dead one does not block');
  const replay = await api<{ replayed: number }>(hub, hub.tokens.operator, 'POST', '/v1/replay', { mode: 'redeliver', status: 'dead', destination: 'inventory' });
  assert.equal(replay.body.replayed, 1);
  await drained(hub);
  assert.equal((await ledger(sims, 'inventory')).filter((e) => e.body.reference?.eventId === deadId).length, 1);
});

test('on a strict destination a dead delivery (here: too old) holds its partition until it is replayed; other partitions flow', { timeout: 60_000 }, async () => {
  await fault(sims, 'billing', { down: true });
  const a1 = await post([used('strict-a1', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-9100001' })]);
  await waitFor('the charge to go dead by age', async () => (await deliveriesOf([a1.body.results[0]!.id], 'billing'))[0]?.status === 'dead', 20_000);
  await fault(sims, 'billing', { reset: true });
  const more = await post([
    used('strict-a2', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-9100001' }),
    used('strict-b1', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-9100002' }),
  ]);
  const [a2, b1] = more.body.results.map((r) => r.id);
  await waitFor('the other account to be charged', async () => (await deliveriesOf([b1!], 'billing'))[0]?.status === 'delivered');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await deliveriesOf([a2!], 'billing'))[0]!.status, 'pending', 'the second charge on the account waits behind the dead one');
  const dead = (await deliveriesOf([a1.body.results[0]!.id], 'billing'))[0]!;
  await api(hub, hub.tokens.operator, 'POST', `/v1/deliveries/${dead.id}/replay`);
  await drained(hub);
  const charges = (await ledger(sims, 'billing')).filter((e) => e.body.account === 'ENC-9100001').map((e) => e.body.reference?.eventId);
  assert.deepEqual(charges, [a1.body.results[0]!.id, a2], 'both landed, in order');
});
