import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildMessage, MllpClient, mshSegment, parseMllpAddress } from './common/hl7.ts';
import { SIM_NAMES, startNetwork } from './main.ts';

const here = dirname(fileURLToPath(import.meta.url));

test('sim/ imports nothing from src/', () => {
  const files = readdirSync(here, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(here, file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? '';
      assert.ok(!/(^|\/)src(\/|$)/.test(spec), `${file} imports ${spec}`);
    }
  }
});

test('startNetwork runs all three sims in-process from one seed', async () => {
  const net = await startNetwork({ seed: 8 });
  try {
    for (const name of SIM_NAMES) assert.equal((await fetch(`${net.urls[name]}/_sim/health`)).status, 200);
    assert.match(net.urls.billingMllp, /^mllp:\/\/127\.0\.0\.1:\d+$/);
    const stock = (await fetch(`${net.urls.inventory}/stock`).then((r) => r.json())) as { data: unknown[] };
    assert.equal(stock.data.length, net.network.master['par-levels'].length);
  } finally {
    await net.close();
  }
});

test('node sim/main.ts prints its URLs as one JSON line and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [join(here, 'main.ts'), '--seed', '3', '--only', 'billing', '--billing-mllp-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const urls = JSON.parse(line ?? '{}');
  assert.deepEqual(Object.keys(urls), ['billing', 'billingMllp']);
  assert.equal((await fetch(`${urls.billing}/_sim/health`)).status, 200);
  const client = new MllpClient(parseMllpAddress(urls.billingMllp));
  const adt = buildMessage([mshSegment({ sendingApplication: 'T', sendingFacility: 'F', time: '20261121000000+0000', messageType: ['ADT', 'A01'], controlId: 'cli-1' })]);
  assert.equal((await client.sendAndWait(adt, 5000)).code, 'AR');
  client.close();
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('--help prints usage', async () => {
  const child = spawn(process.execPath, [join(here, 'main.ts'), '--help'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.match(out, /^Usage: node sim\/main.ts/);
});
