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

test('startNetwork runs every sim in-process from one seed', async () => {
  const net = await startNetwork({ seed: 8 });
  try {
    for (const name of SIM_NAMES) assert.equal((await fetch(`${net.urls[name]}/_sim/health`)).status, 200);
    for (const door of [net.urls.billingMllp, net.urls.ehrMllp, net.urls.cabinetMllp]) assert.match(door, /^mllp:\/\/127\.0\.0\.1:\d+$/);
    // What reaches a door over MLLP is in the ledger at the sim's HTTP URL, like every other sim's.
    const client = new MllpClient(parseMllpAddress(net.urls.ehrMllp));
    const m16 = buildMessage([
      mshSegment({ sendingApplication: 'T', sendingFacility: 'F', time: '20261121000000+0000', messageType: ['MFN', 'M16'], controlId: 'net-item-1' }),
      'MFI|ITM||UPD|||AL', 'MFE|MUP||20261121|ITM-00001|CWE', 'ITM|ITM-00001|Knee femoral component|A', 'PKG|1|EA||1',
    ]);
    assert.equal((await client.sendAndWait(m16, 5000)).code, 'AA');
    client.close();
    const { entries } = (await fetch(`${net.urls.ehr}/_sim/ledger`).then((r) => r.json())) as { entries: { kind: string; idempotencyKey: string }[] };
    assert.deepEqual(entries.map((e) => [e.kind, e.idempotencyKey]), [['item', 'net-item-1']]);
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

/** The keys of the JSON line `node sim/main.ts ARGS` prints, then SIGTERM. */
async function printedKeys(args: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [join(here, 'main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  return Object.keys(JSON.parse(line ?? '{}'));
}

test('the CLI starts the EHR and the cabinets\' item files only when an option asks for them', async () => {
  assert.deepEqual(await printedKeys(['--ehr-mllp-port', '0']), ['erp', 'inventory', 'billing', 'ehr', 'ehrMllp']);
  assert.deepEqual(await printedKeys(['--only', 'cabinet']), ['cabinet', 'cabinetMllp']);
});

test('--help prints usage', async () => {
  const child = spawn(process.execPath, [join(here, 'main.ts'), '--help'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.match(out, /^Usage: node sim\/main.ts/);
});
