// Measures how many effect-creating POSTs per second one simulator answers over keep-alive connections.
// The sim runs in a child process (so client and server don't share one event loop):
//   node sim/tools/post-rate.ts [--sim billing|erp|inventory] [--seconds 5] [--concurrency 64] [--state]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    sim: { type: 'string', default: 'billing' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    state: { type: 'boolean', default: false },
  },
});
const sim = values.sim as 'billing' | 'erp' | 'inventory';
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const reference = { eventId: 'evt', correlationId: 'CASE-000001' };
const occurredAt = '2026-11-21T09:14:03.000-05:00';
const BODIES = {
  billing: ['/charges', { account: 'ENC-1234567', patient: { mrn: 'MRN00012345' }, facilityId: 'FAC-A', chargeCode: 'CDM27800017', revenueCode: '0278', hcpcs: 'C1776', quantity: 1, unitPrice: '5325.00', serviceDate: '2026-11-21', itemId: 'ITM-00017', lot: 'L2406A', serial: 'SN12345678', reference }],
  erp: ['/inventory-transactions', { type: 'issue', itemId: 'ITM-00001', quantity: 1, uom: 'EA', locationId: 'LOC-A-OR1', costCenterId: 'CC-A-7010', unitCost: '1234.50', currency: 'USD', occurredAt, reference }],
  inventory: ['/movements', { type: 'decrement', locationId: 'LOC-A-OR1', itemId: 'ITM-00001', quantity: 1, uom: 'EA', occurredAt, reference }],
} as const;
const [path, body] = BODIES[sim];
const payload = JSON.stringify(body);

const stateDir = values.state ? mkdtempSync(join(tmpdir(), 'sim-rate-')) : undefined;
const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
const child = spawn(process.execPath, [main, '--only', sim, ...(stateDir ? ['--state-dir', stateDir] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
const line = (await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()).value as string;
const url = (JSON.parse(line) as Record<string, string>)[sim] as string;

const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
let sent = 0;
let ok = 0;
let other = 0;
const run = async (deadline: number, count: boolean) => {
  while (Date.now() < deadline) {
    const res = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `k-${sent++}` },
      body: payload,
    });
    await res.body.dump();
    if (!count) continue;
    if (res.statusCode === 201) ok++;
    else other++;
  }
};
// One second of warm-up (JIT, connection set-up), then the measured window.
await Promise.all(Array.from({ length: concurrency }, () => run(Date.now() + 1000, false)));
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => run(Date.now() + seconds * 1000, true)));
const elapsed = (performance.now() - t0) / 1000;
process.stdout.write(
  `${sim}${stateDir ? ' (sqlite)' : ' (memory)'}: ${Math.round(ok / elapsed)} POST 201/s over ${elapsed.toFixed(1)} s, ${concurrency} keep-alive connections${other ? `, ${other} non-201` : ''}\n`,
);
await pool.close();
child.kill('SIGTERM');
await new Promise((resolve) => child.on('exit', resolve));
if (stateDir) rmSync(stateDir, { recursive: true, force: true });
