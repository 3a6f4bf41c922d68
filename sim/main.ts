// Entry point of the simulated hospital network: starts the ERP, inventory, billing, supplier, EHR, cabinet and
// procurement simulators (all, or one with --only), prints their URLs as one JSON line on stdout (the hub's CLI reads it),
// optionally drives traffic at a hub (JSON, and HL7 over MLLP with --mllp), and stops cleanly on SIGINT/SIGTERM.
// `startNetwork` is the in-process API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBilling } from './billing/server.ts';
import { startCabinet } from './cabinet/server.ts';
import { startCabinetExports, type CabinetExporter } from './cabinet/writer.ts';
import { parseMllpAddress } from './common/hl7.ts';
import { DEFAULT_HOST, type SimHandle } from './common/runtime.ts';
import { startEhr } from './ehr/server.ts';
import { startErp } from './erp/server.ts';
import { startInventory } from './inventory/server.ts';
import { startProcurement, type ProcurementHandle } from './procurement/server.ts';
import { startSupplier, type CatalogOptions, type SupplierDelays, type SupplierHandle } from './supplier/server.ts';
import type { LineRates } from './supplier/plan.ts';
import { buildNetwork, DEFAULT_SEED } from './network/build.ts';
import type { Network } from './network/types.ts';
import { runTraffic } from './traffic/poster.ts';

export type SimName = 'erp' | 'inventory' | 'billing' | 'supplier' | 'ehr' | 'cabinet' | 'procurement';
export const SIM_NAMES: readonly SimName[] = ['erp', 'inventory', 'billing', 'supplier', 'ehr', 'cabinet', 'procurement'];
/** The sims with an MLLP door, whose `mllp://` URL is `urls.<name>Mllp`. */
type MllpUrls = { billingMllp: string; ehrMllp: string; cabinetMllp: string };

export type NetworkOptions = {
  seed?: number;
  host?: string;
  erpPort?: number;
  /** How long after its posting the ERP pays an AP invoice (default 30000). */
  erpPaymentDelayMs?: number;
  inventoryPort?: number;
  billingPort?: number;
  /** Port of billing's HL7 (DFT^P03 over MLLP) listener: 0 (the default) a free one, null for none. */
  billingMllpPort?: number | null;
  supplierPort?: number;
  /** The EHR's HTTP control plane (ledger, faults, GET /items) and its item-master door (MFN^M16 over MLLP; 0, the
   *  default, a free port). */
  ehrPort?: number;
  ehrMllpPort?: number;
  /** The same for the cabinets' server (its item file; not the CSV exports of `cabinet`). */
  cabinetPort?: number;
  cabinetMllpPort?: number;
  /** The hub's X12 endpoint (e.g. http://127.0.0.1:8080/v1/x12/supplier) and token for the supplier's documents;
   *  when the hub starts after the sims, call `connectSupplier` instead. */
  supplierHub?: { url: string; token: string };
  /** Milliseconds between the supplier's documents (997 → 855 → 856 → 810); seconds by default. */
  supplierDelays?: Partial<SupplierDelays>;
  /** How often the supplier changes, backorders, rejects, splits and misprices (see sim/supplier/plan.ts). */
  supplierRates?: Partial<LineRates>;
  /** The supplier's price catalogs (832): every `intervalMs` (off by default; the CLI sends one a minute). */
  supplierCatalog?: CatalogOptions;
  /** The procurement tool (requisitions it submits to the hub's POST /v1/events; status updates back). */
  procurementPort?: number;
  /** Directory for <sim>.sqlite state files; in memory when absent. */
  stateDir?: string;
  /** Start only these simulators (default: all of them). */
  only?: readonly SimName[];
  /** Cabinet dispense exports (CSV) written into a folder on an interval; off unless a folder is given. */
  cabinet?: { folder: string; intervalMs?: number; badRate?: number; runTag?: string; completion?: 'rename' | 'done-marker' };
};

export type RunningNetwork = {
  /** HTTP base URLs (each sim's /_sim/ledger and /_sim/faults among them), and `billingMllp`, `ehrMllp`,
   *  `cabinetMllp`: `mllp://host:port` of their HL7 doors ("" when not started). */
  urls: Record<SimName, string> & MllpUrls;
  network: Network;
  sims: SimHandle[];
  /** The cabinet export job, when `cabinet` was given. */
  cabinet: CabinetExporter | null;
  /** Points the supplier's outbox at the hub's X12 endpoint (no-op when the supplier is not started). */
  connectSupplier(hubX12Url: string, token: string): void;
  /** Points the procurement tool at the hub (its base URL; no-op when the tool is not started). */
  connectProcurement(hubUrl: string, token: string): void;
  close(): Promise<void>;
};

/** Starts the simulators in this process. With `only`, the URLs of the others are absent (""). */
export async function startNetwork(options: NetworkOptions = {}): Promise<RunningNetwork> {
  const seed = options.seed ?? DEFAULT_SEED;
  const network = buildNetwork(seed);
  const host = options.host ?? DEFAULT_HOST;
  if (options.stateDir) mkdirSync(options.stateDir, { recursive: true });
  const stateFile = (name: SimName) => (options.stateDir ? join(options.stateDir, `${name}.sqlite`) : undefined);
  const wanted = new Set(options.only ?? SIM_NAMES);
  const sims: SimHandle[] = [];
  let supplier: SupplierHandle | undefined;
  let procurement: ProcurementHandle | undefined;
  let cabinet: CabinetExporter | null = null;
  const close = async () => {
    await cabinet?.close();
    await Promise.all(sims.map((s) => s.close()));
  };
  try {
    if (wanted.has('erp')) sims.push(await startErp({ seed, network, host, port: options.erpPort, stateFile: stateFile('erp'), paymentDelayMs: options.erpPaymentDelayMs }));
    if (wanted.has('inventory')) {
      sims.push(await startInventory({ seed, network, host, port: options.inventoryPort, stateFile: stateFile('inventory') }));
    }
    if (wanted.has('billing')) {
      const mllpPort = options.billingMllpPort === undefined ? 0 : options.billingMllpPort;
      sims.push(await startBilling({ seed, host, port: options.billingPort, mllpPort, stateFile: stateFile('billing') }));
    }
    if (wanted.has('ehr')) {
      sims.push(await startEhr({ seed, host, port: options.ehrPort, mllpPort: options.ehrMllpPort ?? 0, stateFile: stateFile('ehr') }));
    }
    if (wanted.has('cabinet')) {
      sims.push(await startCabinet({ seed, host, port: options.cabinetPort, mllpPort: options.cabinetMllpPort ?? 0, stateFile: stateFile('cabinet') }));
    }
    if (wanted.has('supplier')) {
      supplier = await startSupplier({
        seed, network, host, port: options.supplierPort, stateFile: stateFile('supplier'), hub: options.supplierHub, delays: options.supplierDelays,
        rates: options.supplierRates,
        catalog: options.supplierCatalog,
      });
      sims.push(supplier);
    }
    if (wanted.has('procurement')) {
      procurement = await startProcurement({ seed, host, port: options.procurementPort, stateFile: stateFile('procurement') });
      sims.push(procurement);
    }
    if (options.cabinet) cabinet = await startCabinetExports({ ...options.cabinet, network, seed });
  } catch (err) {
    await close();
    throw err;
  }
  const urls = { erp: '', inventory: '', billing: '', supplier: '', ehr: '', cabinet: '', procurement: '', billingMllp: '', ehrMllp: '', cabinetMllp: '' };
  for (const s of sims) {
    urls[s.name as SimName] = s.url;
    if (s.mllpUrl !== undefined) urls[`${s.name}Mllp` as keyof MllpUrls] = s.mllpUrl;
  }
  const connectSupplier = (hubX12Url: string, token: string) => supplier?.connect(hubX12Url, token);
  const connectProcurement = (hubUrl: string, token: string) => procurement?.connect(hubUrl, token);
  return { urls, network, sims, cabinet, connectSupplier, connectProcurement, close };
}

const USAGE = `Usage: node sim/main.ts [options]

Simulated hospital systems for Tendon: ERP, inventory, billing (and supplier, EHR, cabinet) servers built from one
seed. Prints {"erp":"http://…","inventory":"http://…","billing":"http://…"} on stdout once listening
(plus "billingMllp":"mllp://…" with --billing-mllp-port, "supplier":"http://…" with a --supplier-* option,
"ehr":"http://…","ehrMllp":"mllp://…" with an --ehr-* option, "cabinet":"http://…","cabinetMllp":"mllp://…" with
--cabinet-port or --cabinet-mllp-port).

  --seed N              network seed (default ${DEFAULT_SEED}); same seed, same data
  --host H              bind address (default ${DEFAULT_HOST})
  --erp-port P          port of the ERP sim (default 0: any free port)
  --erp-payment-delay-ms N
                        the ERP pays a posted AP invoice N ms after posting it (default 30000)
  --inventory-port P    port of the inventory sim (default 0)
  --billing-port P      port of the billing sim (default 0)
  --billing-mllp-port P also take DFT^P03 over MLLP on this port (0: any free port; default: no MLLP)
  --ehr-port P          also start the EHR sim (its item file, kept by MFN^M16 over MLLP): HTTP control plane
                        on this port (0: any free port); any --ehr-* option (or --only ehr) starts it
  --ehr-mllp-port P     the EHR's MFN^M16 listener (default 0: any free port)
  --cabinet-port P      also start the cabinets' server (its item file, MFN^M16 over MLLP), likewise
  --cabinet-mllp-port P the cabinets' MFN^M16 listener (default 0: any free port)
  --supplier-port P     also start the supplier sim, which takes X12 850s at POST /x12, on this port (0: any
                        free port); any --supplier-* option (or --only supplier) starts it
  --supplier-hub URL    the hub's X12 endpoint for the supplier's 997/999, 855, 856 and 810
                        (e.g. http://127.0.0.1:8080/v1/x12/supplier; later: POST /_sim/hub on the supplier)
  --supplier-token T    bearer token for --supplier-hub (default: --token, or env TENDON_TOKEN)
  --supplier-delay-ms N between the supplier's documents (default 1000, 3000, 5000, 5000; backorders 15000,
                        credit memos 20000; with N: N each, backorders and credit memos 3×N)
  --supplier-catalog-interval S
                        seconds between the supplier's price catalogs (X12 832) to the hub (default 60; 0: none)
  --supplier-price-variance F
                        fraction of catalog prices a few percent off the contract price (default 0.1)
  --procurement-port P  also start the procurement tool (requisitions to the hub, status updates back) on this
                        port (0: any free port); point it at the hub with POST /_sim/hub
  --state-dir DIR       persist each sim to DIR/<sim>.sqlite (default: in memory)
  --only SIM            start only erp | inventory | billing | supplier | ehr | cabinet | procurement
  --traffic             also generate traffic at a hub:
    --hub URL           the hub's base URL (required with --traffic)
    --token T           bearer token (or env TENDON_TOKEN)
    --rate R            events per second (default 5)
    --bad-rate F        fraction of events with bad data (default 0.02)
    --duration S        stop generating after S seconds (sims keep running)
    --count N           stop generating after N events
    --run-tag TAG       prefix for case/transaction numbers (default: a per-run tag; "" for none)
    --erp-url URL       ERP to play the warehouse against (default: this process's ERP)
    --mllp HOST:PORT    send the EHR's surgical cases as DFT^P03 to the hub's MLLP listener (default: JSON)
  --cabinet-dir DIR     write the cabinets' dispense exports (CSV) into DIR, for a hub's CSV folder channel
    --cabinet-interval S  seconds between export files (default 10)
    --cabinet-done-marker write NAME.done beside each file (default: write a dotfile, then rename it)
  --exit-with-parent    stop when the process that started this one is gone
  --help                this text
`;

function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number, got "${value}"`);
  return n;
}

function parseNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} must be a non-negative number, got "${value}"`);
  return n;
}

/** Is this sim started by the CLI without --only? The first three always; the others when an option names them. */
function askedFor(name: SimName, flags: string[]): boolean {
  if (name === 'supplier') return flags.some((flag) => flag.startsWith('supplier-'));
  if (name === 'ehr') return flags.some((flag) => flag.startsWith('ehr-'));
  // Not --cabinet-dir: that is the cabinets' CSV exports, which need no server.
  if (name === 'cabinet') return flags.includes('cabinet-port') || flags.includes('cabinet-mllp-port');
  if (name === 'procurement') return flags.includes('procurement-port');
  return true;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      host: { type: 'string' },
      'erp-port': { type: 'string' },
      'erp-payment-delay-ms': { type: 'string' },
      'inventory-port': { type: 'string' },
      'billing-port': { type: 'string' },
      'billing-mllp-port': { type: 'string' },
      'supplier-port': { type: 'string' },
      'ehr-port': { type: 'string' },
      'ehr-mllp-port': { type: 'string' },
      'cabinet-port': { type: 'string' },
      'cabinet-mllp-port': { type: 'string' },
      'procurement-port': { type: 'string' },
      'supplier-hub': { type: 'string' },
      'supplier-token': { type: 'string' },
      'supplier-delay-ms': { type: 'string' },
      'supplier-catalog-interval': { type: 'string' },
      'supplier-price-variance': { type: 'string' },
      'state-dir': { type: 'string' },
      only: { type: 'string' },
      traffic: { type: 'boolean' },
      hub: { type: 'string' },
      token: { type: 'string' },
      rate: { type: 'string' },
      'bad-rate': { type: 'string' },
      duration: { type: 'string' },
      count: { type: 'string' },
      'run-tag': { type: 'string' },
      'cabinet-dir': { type: 'string' },
      'cabinet-interval': { type: 'string' },
      'cabinet-done-marker': { type: 'boolean' },
      'erp-url': { type: 'string' },
      mllp: { type: 'string' },
      'exit-with-parent': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.only !== undefined && !(SIM_NAMES as readonly string[]).includes(values.only)) {
    throw new Error(`--only must be one of ${SIM_NAMES.join(', ')}`);
  }
  const token = values.token ?? process.env.TENDON_TOKEN;
  if (values.traffic && (!values.hub || !token)) throw new Error('--traffic needs --hub URL and --token T (or TENDON_TOKEN)');
  if (values.mllp !== undefined) parseMllpAddress(values.mllp); // fail before starting anything
  const supplierToken = values['supplier-token'] ?? token;
  if (values['supplier-hub'] !== undefined && !supplierToken) throw new Error('--supplier-hub needs --supplier-token T (or --token, or TENDON_TOKEN)');
  const step = parseNumber(values['supplier-delay-ms'], '--supplier-delay-ms');
  const catalogSeconds = parseNumber(values['supplier-catalog-interval'], '--supplier-catalog-interval') ?? 60;
  const varianceRate = parseNumber(values['supplier-price-variance'], '--supplier-price-variance');
  if (varianceRate !== undefined && varianceRate > 1) throw new Error(`--supplier-price-variance must be a fraction (0 to 1), got "${varianceRate}"`);

  const running = await startNetwork({
    seed: parseNumber(values.seed, '--seed'),
    host: values.host,
    erpPort: parsePort(values['erp-port'], '--erp-port'),
    erpPaymentDelayMs: parseNumber(values['erp-payment-delay-ms'], '--erp-payment-delay-ms'),
    inventoryPort: parsePort(values['inventory-port'], '--inventory-port'),
    billingPort: parsePort(values['billing-port'], '--billing-port'),
    // The CLI starts billing's MLLP listener only when asked, so its JSON line stays as it was otherwise.
    billingMllpPort: parsePort(values['billing-mllp-port'], '--billing-mllp-port') ?? null,
    supplierPort: parsePort(values['supplier-port'], '--supplier-port'),
    ehrPort: parsePort(values['ehr-port'], '--ehr-port'),
    ehrMllpPort: parsePort(values['ehr-mllp-port'], '--ehr-mllp-port'),
    cabinetPort: parsePort(values['cabinet-port'], '--cabinet-port'),
    cabinetMllpPort: parsePort(values['cabinet-mllp-port'], '--cabinet-mllp-port'),
    procurementPort: parsePort(values['procurement-port'], '--procurement-port'),
    supplierHub: values['supplier-hub'] && supplierToken ? { url: values['supplier-hub'], token: supplierToken } : undefined,
    supplierDelays: step === undefined ? undefined : { ack: step, poAck: step, shipNotice: step, invoice: step, backorder: 3 * step, credit: 3 * step },
    supplierCatalog: { intervalMs: catalogSeconds * 1000, ...(varianceRate === undefined ? {} : { varianceRate }) },
    stateDir: values['state-dir'],
    // Likewise the supplier, the EHR and the cabinets' server: only when one of their options (or --only) asks.
    only: values.only !== undefined ? [values.only as SimName] : SIM_NAMES.filter((name) => askedFor(name, Object.keys(values))),
    cabinet: values['cabinet-dir'] === undefined ? undefined : {
      folder: values['cabinet-dir'],
      intervalMs: (parseNumber(values['cabinet-interval'], '--cabinet-interval') ?? 10) * 1000,
      badRate: parseNumber(values['bad-rate'], '--bad-rate'),
      runTag: values['run-tag'] ?? Date.now().toString(36), // new transaction ids on every run with the same seed
      completion: values['cabinet-done-marker'] ? 'done-marker' : 'rename',
    },
  });
  const traffic = new AbortController();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sim: ${signal}, stopping\n`);
    traffic.abort();
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (values['exit-with-parent']) {
    // Started by another process (the hub's demo): if that process dies without stopping us, so do we.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void stop('parent exited');
    }, 1000).unref();
  }
  // Printed once the signal handlers are in place: whoever reads this line may stop us at once.
  const printed = Object.fromEntries(Object.entries(running.urls).filter(([, url]) => url !== ''));
  process.stdout.write(`${JSON.stringify(printed)}\n`);

  if (values.traffic && values.hub && token) {
    const duration = parseNumber(values.duration, '--duration');
    const stats = await runTraffic({
      hubUrl: values.hub,
      token,
      erpUrl: values['erp-url'] ?? (running.urls.erp || undefined),
      rate: parseNumber(values.rate, '--rate'),
      badRate: parseNumber(values['bad-rate'], '--bad-rate'),
      seed: parseNumber(values.seed, '--seed'),
      network: running.network,
      runTag: values['run-tag'] ?? Date.now().toString(36),
      durationMs: duration === undefined ? undefined : duration * 1000,
      count: parseNumber(values.count, '--count'),
      mllp: values.mllp,
      signal: traffic.signal,
    });
    if (!stopping) process.stderr.write(`sim: traffic done ${JSON.stringify(stats)}\n`);
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`sim: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exit(2);
  });
}
