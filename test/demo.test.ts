// `npm start` as a user runs it: `tendon demo` starts the hub, the simulators and traffic, writes demo.json,
// stops cleanly on Ctrl-C, and a second start resumes from the same data and tokens. Also `tendon replay`
// against it, and no patient identifier in anything it prints.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { api, waitFor } from './support/hub.ts';

const MAIN = join(import.meta.dirname, '../src/cli/main.ts');

interface DemoInfo {
  hub: string;
  simulators: Record<string, string>;
  tokens: { viewer: string; operator: string; admin: string };
  users: Record<'viewer' | 'operator' | 'admin', { username: string; password: string }>;
  console: string;
}

function runDemo(dataDir: string, port: number) {
  const child = spawn(process.execPath, [MAIN, 'demo', '--rate', '20'], {
    env: { ...process.env, TENDON_DATA_DIR: dataDir, TENDON_HTTP_PORT: String(port), TENDON_MLLP_PORT: String(port + 1) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  return { child, output: () => output };
}

async function delivered(info: DemoInfo): Promise<number> {
  const r = await api<{ data: unknown[] }>({ url: info.hub }, info.tokens.viewer, 'GET', '/v1/deliveries?status=delivered&limit=10000');
  return r.body.data.length;
}

const stop = (child: ReturnType<typeof spawn>) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

const started: ReturnType<typeof spawn>[] = [];
after(() => {
  // Whatever happened, leave no demo behind (its simulators are its children and stop with it).
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

test('tendon demo runs the network with traffic, stops on Ctrl-C, and resumes from the same data', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-demo-'));
  const port = 21_000 + Math.floor(Math.random() * 20_000);
  const first = runDemo(dataDir, port);
  const file = join(dataDir, 'demo.json');
  await waitFor('demo.json', async () => existsSync(file), 30_000);
  const info = JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
  assert.equal(info.hub, `http://127.0.0.1:${port}`);
  assert.deepEqual(Object.keys(info.simulators).sort(), ['billing', 'billingMllp', 'cabinet', 'cabinetMllp', 'ehr', 'ehrMllp', 'erp', 'inventory', 'procurement', 'supplier']);
  for (const url of Object.values(info.simulators)) assert.match(url, /^(http|mllp):\/\/127\.0\.0\.1:\d+$/, 'simulators on loopback');
  await waitFor('traffic to be delivered', async () => (await delivered(info)) >= 50, 60_000, 250);
  // Surgical cases came in as HL7 over MLLP, and charges went to billing as HL7 too.
  await waitFor('a charge to reach billing over MLLP', async () =>
    (await api<{ data: unknown[] }>({ url: info.hub }, info.tokens.viewer, 'GET', '/v1/deliveries?destination=billing&status=delivered&limit=1')).body.data.length === 1, 60_000, 250);
  const metrics = await (await import('undici')).request(`${info.hub}/metrics`).then((r) => r.body.text());
  assert.match(metrics, /tendon_messages_received_total\{channel="ehr",result="AA"\} [1-9]/, 'cases arrived over MLLP');
  // The rest of the network speaks its own formats too: cabinets drop CSV files, the supplier answers 850s in X12.
  await waitFor('cabinet CSV files and the supplier\'s X12 documents', async () => {
    const m = await (await import('undici')).request(`${info.hub}/metrics`).then((r) => r.body.text());
    return /channel="cabinets",result="(accepted|partial)"\} [1-9]/.test(m) && /channel="supplier",result="accepted"\} [1-9]/.test(m);
  }, 60_000, 500);
  for (const role of ['viewer', 'operator', 'admin']) assert.ok(first.output().includes(info.tokens[role as 'viewer']), `the ${role} token is printed`);
  assert.ok(first.output().includes(`http://127.0.0.1:${port}`));
  // One console user per role, printed and in demo.json, signing in to the console the hub serves.
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    const u = info.users[role];
    assert.ok(first.output().includes(`${u.username} / ${u.password}`), `the ${role} user is printed`);
    const session = await (await import('undici')).request(`${info.hub}/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(u),
    });
    assert.equal(session.statusCode, 200);
    assert.equal(((await session.body.json()) as { actor: { role: string } }).actor.role, role);
  }
  const page = await (await import('undici')).request(info.console);
  assert.match(await page.body.text(), /<div id="root">/, 'the console is at /');

  // tendon replay, with the demo's URL and token taken from demo.json.
  const replay = spawnSync(process.execPath, [MAIN, 'replay', '--status', 'delivered', '--destination', 'inventory'], {
    env: { ...process.env, TENDON_DATA_DIR: dataDir }, encoding: 'utf8',
  });
  assert.equal(replay.status, 0, replay.stderr);
  assert.ok(JSON.parse(replay.stdout).replayed > 0);

  assert.equal(await stop(first.child), 0, 'Ctrl-C stops cleanly');
  const before = await (async () => {
    const second = runDemo(dataDir, port);
    await waitFor('the hub again', async () => {
      try {
        return (await api({ url: info.hub }, info.tokens.viewer, 'GET', '/v1/destinations')).status === 200;
      } catch {
        return false;
      }
    }, 30_000, 200);
    const again = JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
    assert.deepEqual(again.tokens, info.tokens, 'the same tokens still work');
    assert.deepEqual(again.users, info.users, 'the same users still sign in');
    const count = await delivered(info);
    assert.ok(count >= 50, 'what was delivered before is still there');
    await waitFor('new traffic on top', async () => (await delivered(info)) > count, 30_000, 250);
    assert.equal(await stop(second.child), 0);
    return second.output();
  })();
  // Traffic carries MRNs; neither the hub nor the demo ever prints one.
  assert.doesNotMatch(first.output() + before, /MRN\d/);
});
