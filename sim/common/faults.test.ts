import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBilling } from '../billing/server.ts';
import { applyFaultPatch, decideFault, NO_FAULTS } from './faults.ts';
import type { SimHandle } from './runtime.ts';
import { get, post } from './test-client.ts';

let sim: SimHandle;
before(async () => {
  sim = await startBilling({ seed: 1 });
});
after(() => sim.close());

test('decideFault: /_sim is never faulted; reset clears everything first', () => {
  const down = applyFaultPatch(NO_FAULTS, { down: true, latencyMs: 10 });
  assert.deepEqual(decideFault(down, '/_sim/faults', 0), { action: 'pass', delayMs: 0 });
  assert.deepEqual(decideFault(down, '/charges', 0), { action: 'reset' });
  assert.deepEqual(applyFaultPatch(down, { reset: true, errorRate: 0.5 }), { ...NO_FAULTS, errorRate: 0.5 });
});

test('down: the connection is reset, while /_sim keeps answering and can heal it', async () => {
  assert.equal((await post(sim.url, '/_sim/faults', { down: true })).body.down, true);
  await assert.rejects(fetch(`${sim.url}/accounts/ENC-1`), (err: Error & { cause?: { code?: string } }) => {
    assert.match(String(err.cause?.code ?? err.message), /UND_ERR_SOCKET|ECONNRESET|other side closed/);
    return true;
  });
  assert.equal((await get(sim.url, '/_sim/health')).status, 200);
  assert.equal((await get(sim.url, '/_sim/faults')).body.down, true);
  await post(sim.url, '/_sim/faults', { reset: true });
  assert.equal((await get(sim.url, '/accounts/ENC-1')).status, 200);
});

test('errorRate answers errorStatus with Retry-After as problem+json; nothing is applied', async () => {
  await post(sim.url, '/_sim/faults', { errorRate: 1, errorStatus: 503, retryAfterSeconds: 2 });
  const res = await post(sim.url, '/charges', {}, 'k');
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '2');
  assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
  assert.equal(res.body.status, 503);
  assert.equal((await get(sim.url, '/_sim/ledger')).body.entries.length, 0);

  // A fractional rate fails about that fraction of requests.
  await post(sim.url, '/_sim/faults', { reset: true, errorRate: 0.3, errorStatus: 500 });
  let failed = 0;
  for (let i = 0; i < 200; i++) if ((await get(sim.url, '/accounts/ENC-2')).status === 500) failed++;
  assert.ok(failed > 30 && failed < 90, `failed ${failed}/200`);
  await post(sim.url, '/_sim/faults', { reset: true });
});

test('latencyMs delays answers; bad fault bodies are 400', async () => {
  await post(sim.url, '/_sim/faults', { latencyMs: 120 });
  const t0 = performance.now();
  assert.equal((await get(sim.url, '/accounts/ENC-3')).status, 200);
  assert.ok(performance.now() - t0 >= 110);
  assert.equal((await post(sim.url, '/_sim/faults', { errorRate: 2 })).status, 400);
  assert.equal((await post(sim.url, '/_sim/faults', { bogus: true })).status, 400);
  await post(sim.url, '/_sim/faults', { reset: true });
});
