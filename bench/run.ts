// `npm run bench`: Tendon end to end, with the hub and each simulator in its own process, against the physical
// limits measured in the same run. Prints a table and writes JSON under bench/results/.
//   1. throughput: events posted as fast as the hub takes them; time until every delivery is acknowledged
//   2. latency: a fixed offered rate; per event, from the moment it was sent to its last delivery's ledger time
//   3. mllp: HL7 v2 over MLLP, ingest with durable commit and ACK, and ACK latency at a fixed offered rate
//   4. masterdata: enrichment and flow decisions per second on one core (pure, in this process)
//   5. workflows: purchase orders through the whole procure-to-pay path; durable timers firing against their due time
//   6. limits: raw SQLite commits with the same rows and durability; the rows of one HL7 use through the store alone;
//      raw HTTP round trips to a simulator; raw MLLP echo
//   7. search: trace search by business key through GET /v1/search, on a hub whose store holds a million messages
// `--only mllp,limits` runs some of the parts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Pool, request } from 'undici';
import { buildNetwork } from '../sim/network/build.ts';
import { plannedUses, type Planned } from '../test/support/load.ts';
import { demoConfig } from '../src/cli/demo.ts';
import { ensureTokens } from '../src/cli/actors.ts';
import { newKey } from '../src/security/phi.ts';
import { openSqliteStore } from '../src/store/sqlite/store.ts';
import { rawHttp, rawSqlite, rawStore } from './limits.ts';
import { mllpIngest, mllpLatency, rawMllpEcho } from './mllp.ts';
import { enrichmentRate, itemMasterCsv } from './masterdata.ts';
import { purchaseOrderPath, timerFiring } from './workflows.ts';
import { searchLatency } from './search.ts';

const { values: args } = parseArgs({ options: {
  events: { type: 'string', default: '40000' },
  rate: { type: 'string', default: '500' },
  seconds: { type: 'string', default: '20' },
  batch: { type: 'string', default: '200' },
  'mllp-messages': { type: 'string', default: '40000' },
  'mllp-window': { type: 'string', default: '16' },
  'item-master': { type: 'string', default: '100000' },
  'purchase-orders': { type: 'string', default: '10000' },
  timers: { type: 'string', default: '100000' },
  'timer-spread': { type: 'string', default: '60' },
  'search-messages': { type: 'string', default: '1000000' },
  only: { type: 'string', default: 'throughput,latency,mllp,masterdata,workflows,limits,search' },
  help: { type: 'boolean', default: false },
} });
if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --events N         throughput: events posted (default 40000), --batch N per request (200)
  --rate N           latency: events/s offered (500) for --seconds N (20)
  --mllp-messages N  MLLP ingest: messages per measurement (40000)
  --mllp-window N    MLLP ingest: messages each streaming sender keeps awaiting ACKs (16)
  --item-master N    items in the CSV item master load (100000)
  --purchase-orders N  orders driven through procure-to-pay (10000)
  --timers N         workflow timers (100000), falling due evenly over --timer-spread S seconds (60)
  --search-messages N  messages seeded into the store the search part searches (1000000)
  --only PARTS       some of throughput,latency,mllp,masterdata,workflows,limits,search
  BENCH_HUB_FLAGS    node flags for the hub process, e.g. BENCH_HUB_FLAGS='--cpu-prof'
`);
  process.exit(0);
}
const PARTS = new Set(args.only.split(','));
const EVENTS = Number(args.events);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BATCH = Number(args.batch);
const MLLP_MESSAGES = Number(args['mllp-messages']);
const MLLP_WINDOW = Number(args['mllp-window']);
const ITEM_MASTER = Number(args['item-master']);
const PURCHASE_ORDERS = Number(args['purchase-orders']);
const TIMERS = Number(args.timers);
const TIMER_SPREAD = Number(args['timer-spread']);
const SEARCH_MESSAGES = Number(args['search-messages']);
const SEED = 11;
const root = join(import.meta.dirname, '..');

function spawnLine(argv: string[]): Promise<{ child: ChildProcess; line: Record<string, string> }> {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (b: Buffer) => resolve({ child, line: JSON.parse(b.toString().split('\n')[0]!) }));
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await request(`${url}/readyz`);
      await r.body.dump();
      if (r.statusCode === 200) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('hub not ready');
}

async function deliveredCount(url: string): Promise<number> {
  const text = await (await request(`${url}/metrics`)).body.text();
  return text.split('\n').filter((l) => l.startsWith('tendon_deliveries_total{') && l.includes('outcome="delivered"'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function acceptedCount(url: string): Promise<number> {
  const text = await (await request(`${url}/metrics`)).body.text();
  return text.split('\n').filter((l) => l.startsWith('tendon_events_ingested_total{') && l.includes('result="accepted"'))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
/**
 * CPU seconds used (user + system) by a whole process, or by its main thread alone (`/proc/PID/task/PID`):
 * per-message costs hold even on a shared machine, and the main thread's is the one that bounds throughput.
 */
const cpuSeconds = (stat: string) => readFileSync(stat, 'utf8').split(') ')[1]!.split(' ').slice(11, 13)
  .reduce((s, ticks) => s + Number(ticks) / 100, 0);
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main() {
  // Three simulators, one process each: a hospital's systems do not share a CPU with each other.
  const sims: Record<string, string> = {};
  const simProcs: ChildProcess[] = [];
  for (const name of ['erp', 'inventory', 'billing']) {
    const { child, line } = await spawnLine([join(root, 'sim/main.ts'), '--seed', String(SEED), '--only', name]);
    simProcs.push(child);
    Object.assign(sims, line);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-bench-'));
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const config = demoConfig(dataDir, '127.0.0.1', port, newKey(), sims, port + 1);
  // An item master folder for the master-data part: a 100,000-item file is about 10 MB.
  const itemFolder = join(dataDir, 'itemmaster');
  config.inbound = [...(config.inbound ?? []), { name: 'itemmaster', kind: 'csv', format: 'items', path: itemFolder, stableMs: 200, pollMs: 50, maxFileBytes: 64 * 1024 * 1024 }];
  config.log = { level: 'warn' };
  for (const d of config.destinations) d.concurrency = 64;
  const configFile = join(dataDir, 'hub.json');
  writeFileSync(configFile, JSON.stringify(config));
  const store = openSqliteStore({ path: join(dataDir, 'tendon.db') });
  const tokens = await ensureTokens(store, {});
  await store.close();
  const hub = spawn(process.execPath, [...(process.env.BENCH_HUB_FLAGS?.split(' ').filter(Boolean) ?? []), join(root, 'src/cli/main.ts'), 'start', '--config', configFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  const client = new Pool(url, { connections: 16 });
  const post = async (events: Planned[]) => {
    const res = await client.request({ method: 'POST', path: '/v1/events', body: JSON.stringify(events.map((e) => e.event)),
      headers: { authorization: `Bearer ${tokens.operator}`, 'content-type': 'application/json' } });
    const body = (await res.body.json()) as { results: { id: string }[] };
    if (res.statusCode !== 202) throw new Error(`ingest answered ${res.statusCode}: ${JSON.stringify(body).slice(0, 300)}`);
    return body.results;
  };
  const network = buildNetwork(SEED);

  // 1. Throughput
  async function measureThroughput() {
    const load = plannedUses(network, EVENTS, `bench-${Date.now()}`, true);
    const expected = load.reduce((n, p) => n + p.expect.erp + p.expect.inventory + p.expect.billing, 0);
    const base = await deliveredCount(url);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < load.length) {
        const slice = load.slice(next, (next += BATCH));
        await post(slice);
      }
    }));
    const ingested = performance.now();
    while ((await deliveredCount(url)) - base < expected) await new Promise((r) => setTimeout(r, 50));
    const t1 = performance.now();
    const seconds = (t1 - t0) / 1000;
    return {
      events: EVENTS, deliveries: expected, seconds: +seconds.toFixed(2),
      eventsPerSecond: Math.round(EVENTS / seconds), deliveriesPerSecond: Math.round(expected / seconds),
      ingestOnlyEventsPerSecond: Math.round(EVENTS / ((ingested - t0) / 1000)),
    };
  }

  // 2. Latency at a fixed offered rate: one request every 10 ms carrying rate/100 events.
  async function measureLatency() {
    const perTick = Math.max(1, Math.round(RATE / 100));
    const ticks = SECONDS * 100;
    const latencyLoad = plannedUses(network, perTick * ticks, `lat-${Date.now()}`, true);
    const sentAt = new Map<string, number>();
    const since: Record<string, number> = {};
    for (const [name, u] of Object.entries(sims)) {
      const all = (await (await request(`${u}/_sim/ledger`)).body.json()) as { entries: { seq: number }[] };
      since[name] = all.entries.at(-1)?.seq ?? 0;
    }
    const start = Date.now();
    const posts: Promise<void>[] = [];
    for (let t = 0; t < ticks; t++) {
      const wait = start + t * 10 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const slice = latencyLoad.slice(t * perTick, (t + 1) * perTick);
      const at = Date.now();
      posts.push(post(slice).then((results) => results.forEach((r) => sentAt.set(r.id, at))));
    }
    await Promise.all(posts);
    const target = latencyLoad.reduce((n, p) => n + p.expect.erp + p.expect.inventory + p.expect.billing, 0);
    const lastAt = new Map<string, number>();
    let seen = 0;
    for (let i = 0; i < 600 && seen < target; i++) {
      seen = 0;
      lastAt.clear();
      for (const [name, u] of Object.entries(sims)) {
        const l = (await (await request(`${u}/_sim/ledger?since=${since[name]}`)).body.json()) as { entries: { at: string; body: { reference?: { eventId?: string } } }[] };
        for (const e of l.entries) {
          const id = e.body.reference?.eventId;
          if (!id || !sentAt.has(id)) continue;
          seen++;
          lastAt.set(id, Math.max(lastAt.get(id) ?? 0, Date.parse(e.at)));
        }
      }
      if (seen < target) await new Promise((r) => setTimeout(r, 200));
    }
    const lat = [...lastAt.entries()].map(([id, at]) => at - sentAt.get(id)!).sort((a, b) => a - b);
    return {
      offeredEventsPerSecond: perTick * 100, seconds: SECONDS, events: latencyLoad.length, measured: lat.length,
      p50ms: percentile(lat, 50), p95ms: percentile(lat, 95), p99ms: percentile(lat, 99), maxMs: lat.at(-1),
    };
  }

  // 3. HL7 over MLLP: ingest with durable commit and ACK over 8 connections. Destinations are paused so the
  // figure is the ingest path alone: each message's deliveries are committed and queued, not sent.
  async function measureMllp() {
    const call = (path: string) => request(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.operator}` } }).then((r) => r.body.dump());
    for (const d of ['erp', 'inventory', 'billing']) await call(`/v1/destinations/${d}/pause`);
    const charged = new Set(network.master.chargemaster.filter((c) => c.status === 'active').map((c) => c.itemId));
    const implant = network.master.items.find((i) => i.implant && i.status === 'active' && i.chargeable && charged.has(i.id))!;
    const use = plannedUses(network, 1, 'fixture', true)[0]!.event;
    const fixture = { facility: use.facility, location: use.payload.location, item: implant.id };
    const tag = Date.now().toString(36);
    const acceptedBefore = await acceptedCount(url);
    const ingest = async (name: string, window: number) => {
      // CPU per message, read from /proc: it holds on a shared machine, where the rate depends on the neighbours.
      const [whole, main] = [`/proc/${hub.pid}/stat`, `/proc/${hub.pid}/task/${hub.pid}/stat`];
      const cpu = [cpuSeconds(whole), cpuSeconds(main)];
      const senders = process.cpuUsage();
      const rate = await mllpIngest(port + 1, fixture, MLLP_MESSAGES, 8, `${name}-${tag}`, window);
      const sendersCpu = process.cpuUsage(senders);
      const perMessage = (seconds: number) => Math.round((seconds * 1e6) / MLLP_MESSAGES);
      return {
        messagesPerSecond: Math.round(rate),
        cpuMicrosecondsPerMessage: {
          hub: perMessage(cpuSeconds(whole) - cpu[0]!), hubMainThread: perMessage(cpuSeconds(main) - cpu[1]!),
          senders: perMessage((sendersCpu.user + sendersCpu.system) / 1e6),
        },
      };
    };
    // Senders as interface engines (Mirth, Rhapsody) run by default: one message in flight per connection, the
    // next sent when its ACK comes. At most the messages of the 8 connections share a commit.
    const sendAndWait = await ingest('ing', 1);
    // Senders that stream: up to `window` messages awaiting ACKs per connection. The listener answers each
    // connection in order, and many frames share one commit.
    const windowed = await ingest('win', MLLP_WINDOW);
    // A held event (an unmapped item, say) writes an exception instead of deliveries: lighter, and not the path
    // this figure claims. Every message must have become an accepted event.
    const accepted = (await acceptedCount(url)) - acceptedBefore;
    if (accepted !== 2 * MLLP_MESSAGES) throw new Error(`${accepted} of ${2 * MLLP_MESSAGES} MLLP messages were accepted`);
    const ackLatency = await mllpLatency(port + 1, fixture, 2000, 10, 8, `lat-${tag}`);
    return {
      connections: 8, messages: MLLP_MESSAGES, window: MLLP_WINDOW, sendAndWait, windowed,
      ackLatencyAt2000: { p50ms: +percentile(ackLatency, 50).toFixed(1), p95ms: +percentile(ackLatency, 95).toFixed(1), p99ms: +percentile(ackLatency, 99).toFixed(1) },
    };
  }

  // 4. The limits, with the hub idle.
  async function measureLimits() {
    const sqliteSingle = rawSqlite(3, 1);
    const sqliteGrouped = rawSqlite(3, 100);
    const store100 = await rawStore(3, 100);
    const store1000 = await rawStore(3, 1000);
    return {
      rawSqliteCommitsPerSecond: Math.round(sqliteSingle.commitsPerSecond),
      rawSqliteEventsPerSecondGrouped100: Math.round(sqliteGrouped.eventsPerSecond),
      rawStoreHl7UsesPerSecond: { per100: Math.round(store100.messagesPerSecond), per1000: Math.round(store1000.messagesPerSecond), rowsPerMessage: store100.rowsPerMessage },
      rawHttpRoundTripsPerSecond: Math.round(await rawHttp(sims.inventory!, 3, 64)),
      rawMllpEchoPerSecond: Math.round(await rawMllpEcho(40_000, 8)),
    };
  }

  const part = async <T>(name: string, measure: () => Promise<T>): Promise<T | undefined> => {
    if (!PARTS.has(name)) return undefined;
    const value = await measure();
    process.stderr.write(`${name}: ${JSON.stringify(value)}\n`);
    return value;
  };
  const throughput = await part('throughput', measureThroughput);
  const latency = await part('latency', measureLatency);
  const peakRss = peakRssMb(hub.pid!);
  const mllp = await part('mllp', measureMllp);
  // 4. Master data: a 100,000-item master dropped as CSV, timed until the last item answers the lookup API (stored,
  // snapshot rebuilt); lookup latency over HTTP; and enrichment on one core.
  async function measureMasterData() {
    const { csv, lastId } = itemMasterCsv(ITEM_MASTER, Date.now().toString(36));
    const started = performance.now();
    writeFileSync(join(itemFolder, 'items.csv'), csv);
    const lookup = (path: string) => request(`${url}${path}`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    for (;;) {
      const r = await lookup(`/v1/items?code=${lastId}`);
      await r.body.dump();
      if (r.statusCode === 200) break;
      if (performance.now() - started > 120_000) throw new Error('the item master load did not finish in 120 s');
      await new Promise((r) => setTimeout(r, 25));
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const gtinItem = network.master.items.find((i) => i.gtin)!;
    const scan = encodeURIComponent(`(01)${gtinItem.gtin!.padStart(14, '0')}(17)280131(10)LOT1(21)SN1`);
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      const r = await lookup(i % 2 ? `/v1/items?barcode=${scan}` : `/v1/items?code=${gtinItem.id}`);
      await r.body.dump();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return {
      itemMasterLoad: { items: ITEM_MASTER, seconds: +loadSeconds.toFixed(2) },
      lookupLatencyMs: { p50: +percentile(times, 50).toFixed(2), p99: +percentile(times, 99).toFixed(2) },
      enrichment: enrichmentRate(network, 3),
    };
  }
  const masterdata = await part('masterdata', measureMasterData);
  const workflows = await part('workflows', async () => ({
    purchaseOrders: await purchaseOrderPath(buildNetwork(SEED), PURCHASE_ORDERS),
    timers: await timerFiring(TIMERS, TIMER_SPREAD),
  }));
  const limits = await part('limits', measureLimits);
  // 7. Search, after the limits (seeding writes gigabytes): its own hub on its own store, the simulators shared.
  const search = await part('search', () => searchLatency(SEARCH_MESSAGES, sims));

  const hubExited = new Promise((resolve) => hub.once('exit', resolve));
  hub.kill('SIGTERM');
  await client.close();
  for (const p of simProcs) p.kill('SIGTERM');
  await hubExited;
  rmSync(dataDir, { recursive: true, force: true }); // hundreds of MB of bench data nobody reads again

  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : +(a / b).toFixed(2));
  const result = {
    at: new Date().toISOString(), machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    throughput, latency, mllp, masterdata, workflows, search, hub: { peakRssMb: Math.round(peakRss) }, limits,
    ratios: {
      eventsPerSecondVsRawSingleCommit: ratio(throughput?.eventsPerSecond, limits?.rawSqliteCommitsPerSecond),
      deliveriesPerSecondVsRawHttp: ratio(throughput?.deliveriesPerSecond, limits?.rawHttpRoundTripsPerSecond),
      mllpIngestVsRawEcho: ratio(mllp?.sendAndWait.messagesPerSecond, limits?.rawMllpEchoPerSecond),
      mllpWindowedIngestVsRawEcho: ratio(mllp?.windowed.messagesPerSecond, limits?.rawMllpEchoPerSecond),
      mllpWindowedIngestVsRawStore: ratio(mllp?.windowed.messagesPerSecond, limits?.rawStoreHl7UsesPerSecond.per100),
    },
  };
  const rows: [string, unknown][] = [
    ['end-to-end events/s (3 deliveries each)', throughput?.eventsPerSecond],
    ['deliveries/s', throughput?.deliveriesPerSecond],
    ['ingest only, events/s (acknowledged after commit)', throughput?.ingestOnlyEventsPerSecond],
    [`latency at ${RATE} events/s: p50 / p95 / p99 ms`, latency && `${latency.p50ms} / ${latency.p95ms} / ${latency.p99ms}`],
    ['MLLP ingest, 8 connections, send-and-wait, durable commit + ACK, msg/s', mllp?.sendAndWait.messagesPerSecond],
    [`MLLP ingest, 8 connections, ${MLLP_WINDOW} in flight each, msg/s`, mllp?.windowed.messagesPerSecond],
    [`MLLP hub CPU µs per message (all threads / event loop), send-and-wait; ${MLLP_WINDOW} in flight`,
      mllp && `${mllp.sendAndWait.cpuMicrosecondsPerMessage.hub} / ${mllp.sendAndWait.cpuMicrosecondsPerMessage.hubMainThread}; ${mllp.windowed.cpuMicrosecondsPerMessage.hub} / ${mllp.windowed.cpuMicrosecondsPerMessage.hubMainThread}`],
    ['MLLP ACK latency at 2000 msg/s: p50 / p95 / p99 ms', mllp && `${mllp.ackLatencyAt2000.p50ms} / ${mllp.ackLatencyAt2000.p95ms} / ${mllp.ackLatencyAt2000.p99ms}`],
    [`item master load, ${ITEM_MASTER} items from CSV until the last answers the lookup API, s`, masterdata?.itemMasterLoad.seconds],
    ['item lookup over HTTP (code and GS1 barcode): p50 / p99 ms', masterdata && `${masterdata.lookupLatencyMs.p50} / ${masterdata.lookupLatencyMs.p99}`],
    ['enrichment + flow decisions, events/s on one core', masterdata?.enrichment.eventsPerSecond],
    [`procure-to-pay, ${PURCHASE_ORDERS} POs requisition → paid: s; POs/s; workflow steps/s`, workflows && `${workflows.purchaseOrders.seconds}; ${workflows.purchaseOrders.ordersPerSecond}; ${workflows.purchaseOrders.workflowStepsPerSecond}`],
    [`${TIMERS} timers due over ${TIMER_SPREAD} s: fired; within 1 s of due; lateness p99 / max ms`, workflows && `${workflows.timers.fired}; ${workflows.timers.withinOneSecond}; ${workflows.timers.latenessMs.p99} / ${workflows.timers.latenessMs.max}`],
    [`search store: ${SEARCH_MESSAGES} messages, events, search keys; seeded in s; database MB (search keys MB)`,
      search && `${search.messages}, ${search.events}, ${search.searchKeys}; ${search.seedSeconds}; ${search.sizes.databaseMb} (${search.sizes.searchKeysMb})`],
    ...Object.entries(search?.perKind ?? {}).map(([kind, k]): [string, unknown] =>
      [`search by ${kind} over HTTP (${k.searches}: ${k.existing} keys that exist): p50 / p95 / max ms`, `${k.p50ms} / ${k.p95ms} / ${k.maxMs}`]),
    ['search requirement: ' + (search?.requirement ?? ''), search && (search.met ? `met (worst p95 ${search.worstP95ms} ms)` : `NOT met (worst p95 ${search.worstP95ms} ms)`)],
    ['hub peak RSS MB', result.hub.peakRssMb],
    ['limit: raw SQLite commits/s (1 event, WAL, synchronous=FULL)', limits?.rawSqliteCommitsPerSecond],
    ['limit: raw SQLite events/s (100 per commit)', limits?.rawSqliteEventsPerSecondGrouped100],
    ['limit: raw store, HL7 implant uses/s (their 15 rows through the store\'s statements; 100; 1000 per commit)',
      limits && `${limits.rawStoreHl7UsesPerSecond.per100}; ${limits.rawStoreHl7UsesPerSecond.per1000}`],
    ['limit: raw HTTP POST round trips/s to one simulator', limits?.rawHttpRoundTripsPerSecond],
    ['limit: raw MLLP echo msg/s (framing + ACK, no storage, 8 connections)', limits?.rawMllpEchoPerSecond],
    ['ratio: events/s ÷ raw single commits/s', result.ratios.eventsPerSecondVsRawSingleCommit],
    ['ratio: MLLP ingest ÷ raw MLLP echo (send-and-wait; windowed)', result.ratios.mllpIngestVsRawEcho !== undefined ? `${result.ratios.mllpIngestVsRawEcho}; ${result.ratios.mllpWindowedIngestVsRawEcho}` : undefined],
    ['ratio: MLLP windowed ingest ÷ raw store (100 per commit)', result.ratios.mllpWindowedIngestVsRawStore],
    ['ratio: deliveries/s ÷ raw HTTP round trips/s', result.ratios.deliveriesPerSecondVsRawHttp],
  ];
  const shown = rows.filter(([, v]) => v !== undefined);
  const width = Math.max(...shown.map(([k]) => k.length));
  process.stdout.write('\n' + shown.map(([k, v]) => `${k.padEnd(width)}  ${String(v)}`).join('\n') + '\n');
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(result, null, 2));
  process.stdout.write(`\nwritten to ${file}\n`);
  process.exit(0);
}

await main();
