// Test support: a real hub (in this process or as a child process) on a temporary data folder, against the
// simulated hospital network started in this process. Real sockets and a real SQLite file: nothing mocked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { startNetwork } from '../../sim/main.ts';
import type { LedgerEntry as SimLedgerEntry } from '../../sim/common/store.ts';
import { demoConfig } from '../../src/cli/demo.ts';
import { ensureTokens } from '../../src/cli/actors.ts';
import { startHub, createLogger, type RunningHub } from '../../src/cli/hub.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { HubConfigInput } from '../../src/config/schema.ts';
import { newKey } from '../../src/security/phi.ts';
import { openSqliteStore } from '../../src/store/sqlite/store.ts';
import type { Role } from '../../src/core/types.ts';

export type Sims = Awaited<ReturnType<typeof startNetwork>>;
export type SimName = 'erp' | 'inventory' | 'billing' | 'supplier' | 'ehr' | 'cabinet';

/** A simulator's ledger entry, with the reference Tendon puts on every delivery. */
export type LedgerEntry = Omit<SimLedgerEntry, 'body'> & {
  body: Record<string, unknown> & { reference?: { eventId?: string; deliveryId?: string } };
};

export const SEED = 7;

export async function startSims(): Promise<Sims> {
  return startNetwork({ seed: SEED, host: '127.0.0.1' });
}

/** A hub configuration for tests: fast retries and circuit so outages resolve in seconds. */
export function testConfig(dataDir: string, sims: Sims, tune: (c: HubConfigInput, sims: Sims) => void = () => {}): HubConfigInput {
  const c = demoConfig(dataDir, '127.0.0.1', 0, newKey(), sims.urls, 0);
  for (const d of c.destinations) {
    d.retry = { maxAttempts: 1000, baseMs: 50, capMs: 1000, maxAgeSeconds: 3600 };
    d.circuit = { failures: 5, halfOpenAfterMs: 1000 };
  }
  c.log = { level: 'warn' };
  tune(c, sims);
  return c;
}

export async function tokensFor(dataDir: string): Promise<Record<Role, string>> {
  const store = openSqliteStore({ path: join(dataDir, 'tendon.db') });
  try {
    return await ensureTokens(store, {});
  } finally {
    await store.close();
  }
}

export interface TestHub {
  url: string;
  ports: Record<string, number>;
  tokens: Record<Role, string>;
  dataDir: string;
  config: HubConfigInput;
  stop(): Promise<void>;
}

export async function startTestHub(sims: Sims, tune?: (c: HubConfigInput, sims: Sims) => void): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-test-'));
  const config = testConfig(dataDir, sims, tune);
  const tokens = await tokensFor(dataDir);
  const hub: RunningHub = await startHub(parseConfig(config), createLogger('warn'));
  return { url: hub.url, ports: hub.ports, tokens, dataDir, config, stop: () => hub.stop() };
}

/** The same hub started again on the same data (a stop and start, as an operator does); ports may change. */
export async function restartTestHub(hub: TestHub): Promise<TestHub> {
  await hub.stop();
  const again = await startHub(parseConfig(hub.config), createLogger('warn'));
  return { ...hub, url: again.url, ports: again.ports, stop: () => again.stop() };
}

/**
 * The hub as a child process (`tendon start --config`), for tests that kill it: resolves once it answers
 * /readyz at `url`. `stderr()` is the tail of what it wrote there, for a failing assertion to show.
 */
export async function spawnHub(configFile: string, url: string): Promise<{ child: ChildProcess; stderr(): string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../src/cli/main.ts'), 'start', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  child.stderr!.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-4000)));
  child.stdout!.resume();
  await waitFor('the hub to be ready', async () => {
    try {
      const r = await request(`${url}/readyz`);
      await r.body.dump();
      return r.statusCode === 200;
    } catch {
      return false;
    }
  }, 30_000, 25);
  return { child, stderr: () => tail };
}

/** A hub child process a test kills with SIGKILL and starts again on the same data and address, as often as it likes. */
export async function crashableHub(configFile: string, url: string) {
  let current = await spawnHub(configFile, url);
  const exit = async (signal: NodeJS.Signals) => {
    const { child } = current;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    return exited;
  };
  return {
    /** kill -9, then start again: resolves once the new process answers /readyz. */
    async crash(): Promise<void> {
      await exit('SIGKILL');
      current = await spawnHub(configFile, url);
    },
    stop: () => exit('SIGTERM'),
    stderr: () => current.stderr(),
  };
}

export function writeConfig(dataDir: string, config: HubConfigInput): string {
  const file = join(dataDir, 'hub.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

export async function api<T = unknown>(hub: { url: string }, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; type: string }> {
  const res = await request(hub.url + path, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, body: (text && type.includes('json') ? JSON.parse(text) : text) as T, type };
}

export async function ledger(sims: Sims, name: SimName): Promise<LedgerEntry[]> {
  const res = await request(`${sims.urls[name]}/_sim/ledger`);
  return ((await res.body.json()) as { entries: LedgerEntry[] }).entries;
}

export async function fault(sims: Sims, name: SimName, body: Record<string, unknown>): Promise<void> {
  const res = await request(`${sims.urls[name]}/_sim/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.body.dump();
}

export async function metricValue(hub: { url: string }, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await request(`${hub.url}/metrics`)).body.text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (want.every((w) => line.includes(w))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until the hub has nothing left to send (no pending, in-flight or retrying delivery). */
export async function drained(hub: TestHub | { url: string; tokens: Record<Role, string> }, timeoutMs = 120_000): Promise<void> {
  await waitFor('every delivery to reach a final state', async () => {
    const r = await api<{ data: unknown[] }>(hub, hub.tokens.viewer, 'GET', '/v1/deliveries?status=pending,in_flight,retrying&limit=1');
    return r.status === 200 && r.body.data.length === 0;
  }, timeoutMs, 200);
}

/** A canonical supply.used event, as an EHR would send it. */
export function used(key: string, over: { item?: string; gtin?: string; location?: string; facility?: string; lot?: string | null; serial?: string | null; encounter?: string | null; mrn?: string; quantity?: number; caseId?: string } = {}) {
  return {
    type: 'supply.used', idempotencyKey: key, occurredAt: '2026-11-21T09:14:03.000-05:00', facility: over.facility ?? 'FAC-A',
    source: { system: 'ehr-optime' },
    payload: {
      item: over.gtin ? { gtin: over.gtin } : { system: 'erp', code: over.item ?? 'ITM-00001' },
      quantity: { value: over.quantity ?? 1, unit: 'EA' }, location: over.location ?? 'LOC-A-OR1',
      ...(over.lot === null ? {} : { lot: over.lot ?? 'L1' }), ...(over.serial === null ? {} : { serial: over.serial ?? `SN-${key}` }),
      ...(over.encounter === null ? {} : { encounter: over.encounter ?? 'ENC-1000001', patient: { identifier: over.mrn ?? 'MRN00012345' } }),
      caseId: over.caseId ?? `CASE-${key}`, procedureCode: '27447', surgeon: { id: 'NPI1234567890', name: 'Dr Test' },
      serviceLine: 'orthopaedics', payerClass: 'medicare',
    },
  };
}
