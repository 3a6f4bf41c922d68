// Crash safety: the hub (a separate process) is killed with SIGKILL at random moments while 20,000 events pour
// in and deliveries go out, and restarted each time. Every acknowledged event must be delivered exactly once to
// every system that must know: nothing acknowledged is lost, no effect is doubled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { drained, ledger, crashableHub, startSims, testConfig, tokensFor, writeConfig, type Sims } from './support/hub.ts';
import { plannedUses, type Planned } from './support/load.ts';

const EVENTS = 20_000;
const KILLS = 10;
const BATCH = 100;
const CONCURRENCY = 4;

let sims: Sims;
before(async () => {
  sims = await startSims();
});
after(async () => {
  await sims?.close();
});

test(`kill -9 of the hub ${KILLS} times across ${EVENTS} events loses nothing acknowledged and doubles no effect`, { timeout: 600_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-crash-'));
  const config = testConfig(dataDir, sims, (c) => {
    c.http = { host: '127.0.0.1', port: 0 };
  });
  // A fixed port: the load generator keeps sending to the same address across restarts.
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  config.http = { host: '127.0.0.1', port };
  const file = writeConfig(dataDir, config);
  const tokens = await tokensFor(dataDir);
  const url = `http://127.0.0.1:${port}`;

  const hub = await crashableHub(file, url);
  t.after(() => hub.stop()); // also when the test fails: a hub left running would keep the test process alive

  const planned = plannedUses(sims.network, EVENTS, 'crash');
  const batches: Planned[][] = [];
  for (let i = 0; i < planned.length; i += BATCH) batches.push(planned.slice(i, i + BATCH));
  const acked = new Map<string, string>(); // idempotency key → event id
  let next = 0;
  let inFlightPosts = 0;

  async function sendAll(): Promise<void> {
    for (;;) {
      const batch = batches[next++];
      if (!batch) return;
      // A batch is sent until it is acknowledged: across a crash, the same keys go again.
      for (;;) {
        inFlightPosts++;
        try {
          const res = await request(`${url}/v1/events`, {
            method: 'POST', body: JSON.stringify(batch.map((b) => b.event)),
            headers: { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' },
            headersTimeout: 30_000,
          });
          const body = (await res.body.json()) as { results: { id: string }[] };
          if (res.statusCode !== 202) throw new Error(`HTTP ${res.statusCode}: ${JSON.stringify(body)}`);
          body.results.forEach((r, i) => acked.set(batch[i]!.key, r.id));
          break;
        } catch (error) {
          if (String(error).includes('HTTP 4')) throw error;
          await new Promise((r) => setTimeout(r, 50));
        } finally {
          inFlightPosts--;
        }
      }
    }
  }

  const kills: { atEvents: number; postsInFlight: number }[] = [];
  const killer = (async () => {
    for (let k = 0; k < KILLS; k++) {
      // Random moments spread over the load: ingest commits and dispatch are both under way almost always.
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      kills.push({ atEvents: acked.size, postsInFlight: inFlightPosts });
      await hub.crash();
    }
  })();
  await Promise.all([...Array.from({ length: CONCURRENCY }, sendAll), killer]);

  assert.equal(kills.length, KILLS);
  assert.ok(kills.some((k) => k.postsInFlight > 0), 'at least one kill landed while messages were being committed');
  assert.ok(kills.some((k) => k.atEvents > 0 && k.atEvents < EVENTS), 'kills were spread across the load');
  assert.equal(acked.size, EVENTS, 'every event was finally acknowledged');

  await drained({ url, tokens }, 300_000);
  await hub.stop();

  for (const name of ['erp', 'inventory', 'billing'] as const) {
    const entries = await ledger(sims, name);
    const keys = entries.map((e) => e.idempotencyKey);
    assert.equal(new Set(keys).size, keys.length, `${name}: no idempotency key twice`);
    const perEvent = new Map<string, number>();
    for (const e of entries) {
      const id = e.body.reference?.eventId;
      if (id) perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
    }
    const wrong = planned.filter((p) => (perEvent.get(acked.get(p.key)!) ?? 0) !== p.expect[name]);
    assert.equal(wrong.length, 0, `${name}: ${wrong.length} events without exactly their expected effect, e.g. ${wrong[0]?.key}; hub stderr: ${hub.stderr().slice(-500)}`);
    const expected = planned.reduce((n, p) => n + p.expect[name], 0);
    assert.equal(entries.filter((e) => e.body.reference?.eventId).length, expected, `${name}: effects equal the expected effects`);
  }
});
