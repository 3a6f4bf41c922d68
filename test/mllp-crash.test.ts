// ACK after commit, proven the hard way: a sender streams DFT^P03 messages over MLLP while the hub is killed with
// SIGKILL; after a restart, every message that was answered AA has its events, and resending everything creates
// no second event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { api, spawnHub, startSims, testConfig, tokensFor, waitFor, writeConfig } from './support/hub.ts';
import { field, MllpTestClient } from './support/mllp-client.ts';
import { picks } from './support/picks.ts';

test('messages answered AA before a kill -9 are all there after the restart; resending them adds nothing', { timeout: 120_000 }, async () => {
  const sims = await startSims();
  const p = picks(sims);
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-mllp-crash-'));
  const base = 22_000 + Math.floor(Math.random() * 20_000);
  const config = testConfig(dataDir, sims);
  config.http = { host: '127.0.0.1', port: base };
  config.inbound = [{ name: 'ehr', kind: 'mllp', host: '127.0.0.1', port: base + 1 }];
  const file = writeConfig(dataDir, config);
  const tokens = await tokensFor(dataDir);
  const hub = { url: `http://127.0.0.1:${base}`, tokens };
  let child: ChildProcess | undefined;
  const start = async () => {
    ({ child } = await spawnHub(file, hub.url));
  };
  const message = (n: number) => [
    `MSH|^~\\&|OPTIME|${p.facility}|TENDON|NET|20261121091500-0500||DFT^P03|CRASH-${n}|P|2.5.1`,
    `PID|1||MRN${n}^^^H^MR||DOE^J||||||||||||ENC-${n}`,
    `PV1|1|O|${p.location.id}||||||||||||||||CRASHCASE-${n}`,
    `ZPA|${p.location.id}`,
    `FT1|1|||20261121091400-0500||CG|CDM|||1|||SURG||||||||||CRASHCASE-${n}||||||||||||${p.implant.id}^^erp`,
    `ZQD|SN-${n}|LOT-${n}|20290131`,
  ].join('\r');

  try {
    await start();
    const acked = new Set<number>();
    const client = await MllpTestClient.connect(base + 1);
    const sender = (async () => {
      for (let n = 0; n < 3000 && !client.closed; n++) {
        try {
          const ack = await client.request(message(n), 5000);
          if (field(ack, 'MSA', 1) === 'AA') acked.add(n);
        } catch {
          return;
        }
      }
    })();
    await waitFor('some messages acknowledged', async () => acked.size >= 200, 30_000, 10);
    child!.kill('SIGKILL');
    await sender;
    const ackedBeforeKill = [...acked];
    assert.ok(ackedBeforeKill.length >= 200);

    await start();
    for (const n of ackedBeforeKill) {
      const trace = await api<{ events: unknown[] }>(hub, tokens.viewer, 'GET', `/v1/trace/CRASHCASE-${n}`);
      assert.equal(trace.status, 200, `message ${n} was answered AA, so it must have survived`);
      assert.equal(trace.body.events.length, 1);
    }
    // The sender did not see an ACK for its last message and sends everything again: duplicates, no new events.
    const again = await MllpTestClient.connect(base + 1);
    const last = Math.max(...ackedBeforeKill) + 1;
    for (let n = 0; n <= last; n++) assert.equal(field(await again.request(message(n)), 'MSA', 1), 'AA');
    for (const n of [0, Math.floor(last / 2), last]) {
      const trace = await api<{ events: unknown[] }>(hub, tokens.viewer, 'GET', `/v1/trace/CRASHCASE-${n}`);
      assert.equal(trace.body.events.length, 1, `message ${n}: one event after the resend`);
    }
    again.close();
    client.close();
  } finally {
    child?.kill('SIGKILL');
    await sims.close();
  }
});
