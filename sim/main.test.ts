import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startNetwork } from './main.ts';

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
    for (const url of Object.values(net.urls)) assert.equal((await fetch(`${url}/_sim/health`)).status, 200);
    const stock = (await fetch(`${net.urls.inventory}/stock`).then((r) => r.json())) as { data: unknown[] };
    assert.equal(stock.data.length, net.network.master['par-levels'].length);
  } finally {
    await net.close();
  }
});

test('node sim/main.ts prints its URLs as one JSON line and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [join(here, 'main.ts'), '--seed', '3', '--only', 'billing'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const urls = JSON.parse(line ?? '{}');
  assert.deepEqual(Object.keys(urls), ['billing']);
  assert.equal((await fetch(`${urls.billing}/_sim/health`)).status, 200);
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
