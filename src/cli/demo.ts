// `tendon demo` (what `npm start` runs): the hub on its embedded store, the simulated hospital network, and steady
// realistic traffic. Everything on loopback. Its URLs, console users and API tokens go to <dataDir>/demo.json; a
// second run resumes from the same data (same keys, users, tokens, simulator state).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { request } from 'undici';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../config/load.ts';
import { KIND_RULES, type HubConfig, type HubConfigInput } from '../config/schema.ts';
import { newKey } from '../security/phi.ts';
import type { Role } from '../core/types.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import { ensureTokens, ensureUsers, type User } from './actors.ts';
import { createLogger, logLevel, startHub, type RunningHub } from './hub.ts';
import { spawnSim, stopChild } from './processes.ts';

export interface DemoOptions {
  dataDir: string;
  port: number;
  host: string;
  seed: number;
  rate: number;
  badRate: number;
  traffic: boolean;
  mllpPort: number;
  /** Simulator ports; 0 (the default) takes any free port. */
  simPorts: { erp: number; inventory: number; billing: number; billingMllp: number; supplier: number };
}

interface DemoFile {
  phiKey?: string;
  tokens?: Partial<Record<Role, string>>;
  users?: Partial<Record<Role, User>>;
}

/** The configuration the demo runs, shipped beside the code: every channel of the network in its own format. */
export const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo.yaml', import.meta.url));

/**
 * The demo network's three core systems (ERP, inventory, billing) over REST, and the EHR over MLLP: the hub that
 * tests and the benchmark start, adding the channels they exercise.
 */
export function demoConfig(dataDir: string, host: string, port: number, phiKey: string, sims: Record<string, string>, mllpPort = 2575): HubConfigInput {
  return {
    dataDir,
    http: { host, port },
    // The EHR's perioperative supply interface: DFT^P03 over MLLP, lot and serial in a ZQD, location in a ZPA.
    inbound: [{ name: 'ehr', kind: 'mllp', host, port: mllpPort, hl7: { facilities: {} } }],
    security: { phiKey },
    masterData: { url: sims.erp!, intervalSeconds: 30 },
    destinations: [
      { name: 'erp', role: 'erp', url: sims.erp!, ownerRole: 'finance', retry: { maxAttempts: 50 } },
      { name: 'inventory', role: 'inventory', url: sims.inventory!, ownerRole: 'supply-chain', retry: { maxAttempts: 50 } },
      { name: 'billing', role: 'billing', url: sims.billing!, phi: true, ownerRole: 'revenue-cycle', retry: { maxAttempts: 50 } },
    ],
  };
}

export async function runDemo(o: DemoOptions): Promise<void> {
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const demoPath = join(dataDir, 'demo.json');
  const previous: DemoFile = existsSync(demoPath) ? JSON.parse(readFileSync(demoPath, 'utf8')) : {};
  const phiKey = previous.phiKey ?? process.env.TENDON_PHI_KEY ?? newKey();
  const log = createLogger(logLevel('info'));

  // Tokens first, on the store the hub is about to open: the traffic generator needs one to post with.
  const store = openSqliteStore({ path: join(dataDir, 'tendon.db') });
  const tokens = await ensureTokens(store, previous.tokens ?? {});
  const users = await ensureUsers(store, previous.users ?? {});
  await store.close();

  // The simulators (and, in the same process, the traffic generator, which retries until the hub answers).
  const port = o.port === 0 ? await freePort(o.host) : o.port;
  const hubUrl = `http://${o.host}:${port}`;
  // Surgical cases arrive as the EHR sends them, DFT^P03 over MLLP; cabinets, counts and receipts as JSON.
  // Surgical cases come from the EHR over MLLP, cabinet dispenses as CSV files, the supplier's documents as X12.
  const traffic = o.traffic
    ? ['--traffic', '--hub', hubUrl, '--token', tokens.operator, '--rate', String(o.rate), '--bad-rate', String(o.badRate), '--mllp', `${o.host}:${o.mllpPort}`,
      '--cabinet-dir', join(dataDir, 'cabinets')]
    : [];
  const ports = ['--erp-port', String(o.simPorts.erp), '--inventory-port', String(o.simPorts.inventory), '--billing-port', String(o.simPorts.billing),
    '--billing-mllp-port', String(o.simPorts.billingMllp), '--supplier-port', String(o.simPorts.supplier),
    '--supplier-hub', `${hubUrl}/v1/x12/supplier`, '--supplier-token', tokens.operator,
    // The EHR's and the cabinet system's item-master doors (MFN^M16), on any free ports.
    '--ehr-port', '0', '--ehr-mllp-port', '0', '--cabinet-port', '0', '--cabinet-mllp-port', '0',
    // The procurement tool: requisitions people raise there go through approval and procure-to-pay; statuses come back.
    '--procurement-port', '0'];
  const sims = await spawnSim(['--seed', String(o.seed), '--host', o.host, '--state-dir', join(dataDir, 'sim'), ...ports, ...traffic]);
  const config = loadConfigFile(DEMO_CONFIG, {
    ...process.env, DATA_DIR: dataDir, HOST: o.host, PORT: String(port), MLLP_PORT: String(o.mllpPort), PHI_KEY: phiKey,
    ERP_URL: sims.ready.erp, INVENTORY_URL: sims.ready.inventory, BILLING_MLLP_URL: sims.ready.billingMllp, SUPPLIER_URL: `${sims.ready.supplier}/x12`,
    EHR_MLLP_URL: sims.ready.ehrMllp, CABINET_MLLP_URL: sims.ready.cabinetMllp, PROCUREMENT_URL: sims.ready.procurement,
  });
  let hub: RunningHub;
  try {
    hub = await startHub(config, log);
  } catch (error) {
    await stopChild(sims.child);
    throw error;
  }
  const info = {
    console: `${hub.url}/`, hub: hub.url, health: `${hub.url}/healthz`, ready: `${hub.url}/readyz`, metrics: `${hub.url}/metrics`,
    api: `${hub.url}/v1`, channels: channelsOf(config, hub, o.host), configFile: DEMO_CONFIG,
    simulators: sims.ready, users, tokens, phiKey, dataDir,
  };
  writeFileSync(demoPath, JSON.stringify(info, null, 2), { mode: 0o600 });
  // The tool submits its requisitions to the hub once it knows where the hub is.
  await request(`${sims.ready.procurement}/_sim/hub`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: hub.url, token: tokens.operator }),
  }).then((r) => r.body.dump(), (e: Error) => log.warn({ err: e.message }, 'the procurement tool could not be told where the hub is'));
  printUrls(info, o.traffic ? o.rate : 0);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping: the hub (what was acknowledged is committed), then the simulators and traffic');
    await hub.stop();
    await stopChild(sims.child);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Where each inbound channel and each destination of the running configuration is, in words. */
function channelsOf(config: HubConfig, hub: RunningHub, host: string): Record<string, string> {
  const inbound = config.inbound.map((c) => [`in ${c.name}`, {
    mllp: () => `mllp://${host}:${hub.ports[c.name]}   (HL7 v2 DFT^P03, DFT^P11, MFN^M16)`,
    csv: () => `${'path' in c ? c.path : ''}   (CSV files; read ones go to archive/, bad rows to error/)`,
    x12: () => `${hub.url}/v1/x12/${c.name}   (X12 997/999, 855, 856, 810, 832)`,
    webhook: () => `${hub.url}/v1/webhooks/${c.name}   (signed canonical JSON)`,
    nats: () => `${'stream' in c ? c.stream : ''} on ${'url' in c ? c.url : ''}   (canonical JSON from JetStream)`,
  }[c.kind]()]);
  const out = config.destinations.map((d) => [`to ${d.name}`, `${d.url}   (${KIND_RULES[d.kind].what})`]);
  return Object.fromEntries([...inbound, ...out]);
}

function printUrls(info: { hub: string; users: Record<Role, User>; channels: Record<string, string>; simulators: Record<string, string>; tokens: Record<Role, string>; dataDir: string; configFile: string }, rate: number) {
  const lines = [
    '',
    'Tendon demo is running',
    `  console        ${info.hub}/   (sign in as one of the users below)`,
    ...Object.entries(info.users).map(([role, u]) => `  ${`${role} user`.padEnd(14)} ${u.username} / ${u.password}`),
    `  hub API        ${info.hub}/v1   (health ${info.hub}/healthz, metrics ${info.hub}/metrics)`,
    `  configuration  ${info.configFile}`,
    ...Object.entries(info.channels).map(([name, where]) => `  ${name.padEnd(14)} ${where}`),
    ...Object.entries(info.simulators).map(([name, url]) => `  ${`sim ${name}`.padEnd(14)} ${url}`),
    `  traffic        ${rate > 0 ? `${rate} events/s` : 'off'}`,
    ...Object.entries(info.tokens).map(([role, token]) => `  ${`${role} token`.padEnd(14)} ${token}`),
    `  written to     ${join(info.dataDir, 'demo.json')}`,
    '',
    `  try: curl -H "Authorization: Bearer ${info.tokens.viewer}" ${info.hub}/v1/destinations`,
    '  Ctrl-C stops everything; npm start again resumes from the same data.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** A free port on the host, for `--port 0`: the traffic generator must know the hub's address before it starts. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
