// The search part of the benchmark: trace search by business key at volume. A fresh SQLite store is seeded with
// `messages` messages (one million by default) as a hospital network sends them: surgical cases over HL7 v2, cabinet
// uses and receipts as canonical JSON, supplier documents over X12, with their events and search keys. The rows go
// in through the store's own write statements (sqliteTx) and the pipeline's own key rules (messageSearchKeys), in
// large transactions with the journal off: seeding is not what is measured. Then a hub process is started on that
// store and every kind of key is searched through GET /v1/search, one request at a time, keys that exist (drawn from
// what was seeded, so a popular item is drawn as often as it is used) and keys that do not.
// The requirement: p95 < 1000 ms per kind at 1,000,000 messages.
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Pool, request } from 'undici';
import { demoConfig } from '../src/cli/demo.ts';
import { ensureTokens } from '../src/cli/actors.ts';
import { newId } from '../src/core/ids.ts';
import type { Message, StoredEvent } from '../src/core/types.ts';
import { HL7_V2_CONTENT_TYPE, messageSearchKeys, SEARCH_KINDS } from '../src/model/search-keys.ts';
import { createPhiVault, newKey, parseKey } from '../src/security/phi.ts';
import { sqliteTx } from '../src/store/sqlite/tx.ts';
import { openSqliteStore } from '../src/store/sqlite/store.ts';

export const SEARCH_REQUIREMENT = 'p95 < 1000 ms per kind at 1,000,000 messages';

const FACILITIES = Array.from({ length: 12 }, (_, i) => `FAC-${String(i + 1).padStart(2, '0')}`);
const ITEMS = 20_000;
const PATIENTS = 300_000;
const PURCHASE_ORDERS_PER_MILLION = 120_000;
const MESSAGES_PER_COMMIT = 50_000;
const EXISTING_PER_KIND = 200;
const MISSING_PER_KIND = 50;
const KINDS = ['auto', ...SEARCH_KINDS] as const;

/** A small seeded generator (mulberry32): the same store every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), chance: (p: number) => next() < p };
}

/** Keeps a fair sample of what was seeded, per kind: a key used often is drawn often (reservoir sampling). */
function reservoir(size: number, rnd: ReturnType<typeof random>) {
  const kept = new Map<string, { seen: number; values: string[] }>();
  return {
    offer(kind: string, value: string) {
      const k = kept.get(kind) ?? kept.set(kind, { seen: 0, values: [] }).get(kind)!;
      k.seen++;
      if (k.values.length < size) k.values.push(value);
      else {
        const j = rnd.int(k.seen);
        if (j < size) k.values[j] = value;
      }
    },
    values: (kind: string) => kept.get(kind)?.values ?? [],
  };
}

export interface SeededStore {
  dir: string;
  path: string;
  phiKey: string;
  tokens: Record<string, string>;
  messages: number;
  events: number;
  searchKeys: number;
  seconds: number;
  /** Keys that exist, per kind (`patient`: clear identifiers, tokenised by the API as an operator's would be). */
  samples: (kind: string) => string[];
}

/** A fresh store holding `count` messages, their events and their search keys. */
export async function seedStore(count: number, seed = 11): Promise<SeededStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-search-'));
  const path = join(dir, 'tendon.db');
  const phiKey = newKey();
  const vault = createPhiVault(parseKey(phiKey));
  const store = openSqliteStore({ path }); // the schema, every migration applied
  const tokens = await ensureTokens(store, {});
  await store.close();

  const started = performance.now();
  const rnd = random(seed);
  const samples = reservoir(2_000, random(seed + 1));
  const db = new DatabaseSync(path);
  // Nobody else has the file open, and a crash only means seeding again.
  db.exec(`PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;`);
  const tx = sqliteTx(db);

  // The business keys' populations: items used with a long tail (a few used in every case, most seldom); lots per
  // item; serials unique per implant; patients; purchase orders, each with its 855, 856 and 810.
  const itemOf = () => `ITM-${String(Math.floor(ITEMS * rnd.next() ** 3) + 1).padStart(5, '0')}`;
  const lotOf = (item: string) => `L${item.slice(4)}-${String.fromCharCode(65 + rnd.int(12))}${rnd.int(10)}`;
  const mrnOf = (n: number) => `MRN${String(n).padStart(8, '0')}`;
  const patientTokens = new Map<number, string>();
  const patient = () => {
    const n = rnd.int(PATIENTS) + 1;
    let token = patientTokens.get(n);
    if (!token) patientTokens.set(n, (token = vault.token(mrnOf(n))));
    return { mrn: mrnOf(n), token };
  };
  const poCount = Math.max(10, Math.round((PURCHASE_ORDERS_PER_MILLION * count) / 1_000_000));
  const poOf = () => `PO-${String(4_000_000 + rnd.int(poCount)).padStart(7, '0')}`;
  const raw = new Uint8Array(620).map((_, i) => (i * 131) & 0xff); // a sealed message is about this size
  const start = Date.parse('2026-08-01T00:00:00.000Z');
  const span = 90 * 24 * 3600 * 1000;
  let serials = 0;
  let cases = 0;
  let events = 0;
  let isa13 = 100_000_000;
  let caseOpen: { id: string; facility: string; patient: ReturnType<typeof patient>; encounter: string } | null = null;

  const useLine = (facility: string) => {
    const item = itemOf();
    const implant = rnd.chance(0.3);
    return {
      item: { system: 'erp', code: item }, quantity: { value: 1, unit: 'EA' }, location: `LOC-${facility.slice(4)}-OR${rnd.int(8) + 1}`,
      ...(implant || rnd.chance(0.4) ? { lot: lotOf(item) } : {}),
      ...(implant ? { serial: `SN${(++serials).toString(36).toUpperCase().padStart(7, '0')}`, expiry: '2029-01-31' } : {}),
    };
  };

  for (let first = 0; first < count; first += MESSAGES_PER_COMMIT) {
    db.exec('BEGIN');
    for (let i = first; i < Math.min(count, first + MESSAGES_PER_COMMIT); i++) {
      const recordedAt = new Date(start + Math.floor((span * i) / count)).toISOString();
      const channel = rnd.next();
      const payloads: { type: string; correlationId: string; facility: string; payload: Record<string, unknown> }[] = [];
      let message: Pick<Message, 'channel' | 'sourceSystem' | 'sourceId' | 'contentType'>;
      if (channel < 0.6) {
        // A surgical case over HL7 v2 (DFT^P03): one or two FT1 lines; a case often spans two messages.
        if (!caseOpen || rnd.chance(0.6)) {
          const facility = FACILITIES[rnd.int(FACILITIES.length)]!;
          caseOpen = { id: `CASE-${facility.slice(4)}-${String(++cases).padStart(8, '0')}`, facility, patient: patient(), encounter: `ENC-${rnd.int(5_000_000)}` };
        }
        const c = caseOpen;
        for (let l = rnd.chance(0.3) ? 2 : 1; l > 0; l--) {
          payloads.push({ type: 'supply.used', correlationId: c.id, facility: c.facility, payload: {
            ...useLine(c.facility), patient: { token: c.patient.token }, encounter: c.encounter, caseId: c.id, procedureCode: '27447',
            surgeon: { id: `NPI${1_000_000_000 + rnd.int(5000)}` }, serviceLine: 'orthopaedics', payerClass: 'medicare' } });
        }
        samples.offer('patient', c.patient.mrn);
        message = { channel: 'mllp:ehr', sourceSystem: 'OPTIME', sourceId: `MSG${String(i).padStart(10, '0')}`, contentType: HL7_V2_CONTENT_TYPE };
      } else if (channel < 0.85) {
        // Canonical JSON over HTTP: a cabinet's use on an encounter, or a receipt against a purchase order.
        const facility = FACILITIES[rnd.int(FACILITIES.length)]!;
        if (rnd.chance(0.6)) {
          const pt = patient();
          const encounter = `ENC-${rnd.int(5_000_000)}`;
          payloads.push({ type: 'supply.used', correlationId: encounter, facility, payload: { ...useLine(facility), patient: { token: pt.token }, encounter } });
          samples.offer('patient', pt.mrn);
        } else {
          const item = itemOf();
          const po = poOf();
          payloads.push({ type: 'stock.received', correlationId: po, facility, payload: {
            item: { system: 'erp', code: item }, quantity: { value: 10, unit: 'EA' }, location: `LOC-${facility.slice(4)}-CS`, lot: lotOf(item), poNumber: po,
            unitCost: { amount: '12.50', currency: 'USD' } } });
        }
        message = { channel: 'http:/v1/events', sourceSystem: 'cabinets', sourceId: rnd.chance(0.5) ? `idem-${newId()}` : null, contentType: 'application/json' };
      } else {
        // A supplier's X12 document for an order: 855, 856 (with lots and serials) or 810.
        const facility = FACILITIES[rnd.int(FACILITIES.length)]!;
        const po = poOf();
        const lines = Array.from({ length: 1 + rnd.int(3) }, (_, n) => {
          const l = useLine(facility);
          return { line: String(n + 1), item: { system: 'MEDSUPPLY', code: `V${l.item.code.slice(4)}` }, quantity: { value: 2, unit: 'EA' }, lot: l.lot, serial: l.serial };
        });
        const kind = rnd.int(3);
        const supplierId = `SUP-${rnd.int(40) + 1}`;
        payloads.push(kind === 0
          ? { type: 'po.acknowledged', correlationId: po, facility, payload: { poNumber: po, supplierId, status: 'accepted', lines: lines.map(({ lot: _l, serial: _s, ...l }) => ({ ...l, status: 'accepted' })) } }
          : kind === 1
            ? { type: 'shipment.noticed', correlationId: po, facility, payload: { shipmentId: `SH-${i}`, poNumber: po, supplierId, lines } }
            : { type: 'invoice.received', correlationId: po, facility, payload: { invoiceNumber: `INV-${i}`, invoiceDate: recordedAt.slice(0, 10), poNumber: po, supplierId,
              kind: 'invoice', total: { amount: '100.00', currency: 'USD' }, lines: lines.map((l) => ({ ...l, unitPrice: { amount: '50.00', currency: 'USD' } })) } });
        message = { channel: 'x12:supplier', sourceSystem: 'MEDSUPPLY', sourceId: String(++isa13), contentType: 'application/edi-x12' };
      }

      const m: Message = { id: newId(), ...message, receivedAt: recordedAt, raw, error: null };
      await tx.insertMessage(m);
      const stored: StoredEvent[] = payloads.map((e, n) => ({
        id: newId(), type: e.type, schemaVersion: 1, messageId: m.id, sourceSystem: m.sourceSystem, idempotencyKey: `${m.id}:${n + 1}`,
        correlationId: e.correlationId, causationId: null, partitionKey: `${e.facility}|${e.type}`, priority: 1, facility: e.facility,
        occurredAt: recordedAt, recordedAt, revision: 1, revisionOf: null, status: 'accepted', payload: e.payload,
      }));
      for (const e of stored) await tx.insertEvent(e);
      const rows = messageSearchKeys(m, stored);
      await tx.insertSearchKeys(rows);
      events += stored.length;
      for (const r of rows) if (r.kind !== 'patient') samples.offer(r.kind, r.value);
      samples.offer('correlation', stored[0]!.correlationId);
    }
    db.exec('COMMIT');
  }
  db.close();
  const seconds = (performance.now() - started) / 1000;
  // Distinct (kind, value, trace) rows: a key met again in a later message of the same trace is one row.
  const check = new DatabaseSync(path, { readOnly: true });
  const searchKeys = Number(check.prepare(`SELECT count(*) AS n FROM search_keys`).get()!.n);
  check.close();
  return {
    dir, path, phiKey, tokens, messages: count, events, searchKeys, seconds,
    samples: (kind) => (kind === 'auto' ? KINDS.slice(1).flatMap((k) => samples.values(k).slice(0, 300)) : samples.values(kind)),
  };
}

/** A key of that kind that was never seeded. */
function missing(kind: string, n: number): string {
  switch (kind) {
    case 'patient': return `MRN9${String(n).padStart(8, '0')}`; // a clear identifier nobody has
    case 'po': return `PO-9${String(n).padStart(6, '0')}`;
    case 'msh10': return `MSG9${String(n).padStart(10, '0')}`;
    case 'item': return `ITM-9${String(n).padStart(5, '0')}`;
    default: return `NONE-${kind}-${n}`;
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (v: number) => +v.toFixed(2);

/** Seeds the store, starts a hub on it, and measures GET /v1/search per kind. */
export async function searchLatency(messages: number, sims: Record<string, string>) {
  const seeded = await seedStore(messages);
  const sizeMb = (f: string) => (existsSync(f) ? statSync(f).size / 2 ** 20 : 0);
  const stat = new DatabaseSync(seeded.path, { readOnly: true });
  const tableMb = (names: string) => Number(stat.prepare(`SELECT sum(pgsize) AS b FROM dbstat WHERE name IN (${names})`).get()!.b) / 2 ** 20;
  const sizes = {
    databaseMb: Math.round(sizeMb(seeded.path)),
    searchKeysMb: Math.round(tableMb(`'search_keys'`)),
    messagesMb: Math.round(tableMb(`'messages'`)),
    eventsMb: Math.round(tableMb(`'events', 'events_by_correlation', 'events_by_message', 'sqlite_autoindex_events_1', 'sqlite_autoindex_events_2'`)),
  };
  const fanOut = stat.prepare(`SELECT kind, max(n) AS n FROM (SELECT kind, value, count(*) AS n FROM search_keys WHERE kind = 'item' GROUP BY kind, value)`).get()!;
  stat.close();

  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const config = demoConfig(seeded.dir, '127.0.0.1', port, seeded.phiKey, sims, port + 1);
  config.log = { level: 'warn' };
  const configFile = join(seeded.dir, 'hub.json');
  writeFileSync(configFile, JSON.stringify(config));
  const hub = spawn(process.execPath, [join(import.meta.dirname, '../src/cli/main.ts'), 'start', '--config', configFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    const startedAt = performance.now();
    for (let i = 0; ; i++) {
      try {
        const r = await request(`${url}/readyz`);
        await r.body.dump();
        if (r.statusCode === 200) break;
      } catch { /* not yet */ }
      if (i > 1200) throw new Error('the hub on the seeded store did not become ready in 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const hubStartSeconds = (performance.now() - startedAt) / 1000;
    const client = new Pool(url, { connections: 1 });
    const search = async (kind: string, q: string) => {
      const t = performance.now();
      const res = await client.request({ method: 'GET', path: `/v1/search?kind=${kind}&q=${encodeURIComponent(q)}&limit=20`, headers: { authorization: `Bearer ${seeded.tokens.viewer}` } });
      const body = (await res.body.json()) as { results: unknown[]; elapsedMs: number };
      if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: performance.now() - t, serverMs: body.elapsedMs, found: body.results.length };
    };
    for (let i = 0; i < 50; i++) await search('lot', seeded.samples('lot')[i % 10]!); // warm the JIT and the route

    const perKind: Record<string, { searches: number; existing: number; foundOfExisting: number; maxResults: number; p50ms: number; p95ms: number; maxMs: number; serverP95ms: number }> = {};
    for (const kind of KINDS) {
      const pool = seeded.samples(kind);
      const draw = random(kind.length * 977);
      const queries = [
        ...Array.from({ length: EXISTING_PER_KIND }, () => ({ q: pool[draw.int(pool.length)]!, exists: true })),
        ...Array.from({ length: MISSING_PER_KIND }, (_, n) => ({ q: missing(kind, n), exists: false })),
      ];
      for (let i = queries.length - 1; i > 0; i--) {
        const j = draw.int(i + 1);
        [queries[i], queries[j]] = [queries[j]!, queries[i]!];
      }
      const times: number[] = [];
      const server: number[] = [];
      let foundOfExisting = 0;
      let maxResults = 0;
      for (const { q, exists } of queries) {
        const r = await search(kind, q);
        times.push(r.ms);
        server.push(r.serverMs);
        if (exists && r.found > 0) foundOfExisting++;
        if (!exists && r.found > 0) throw new Error(`a key never seeded (${kind} ${q}) found ${r.found} traces`);
        maxResults = Math.max(maxResults, r.found);
      }
      times.sort((a, b) => a - b);
      server.sort((a, b) => a - b);
      perKind[kind] = {
        searches: queries.length, existing: EXISTING_PER_KIND, foundOfExisting, maxResults,
        p50ms: ms(percentile(times, 50)), p95ms: ms(percentile(times, 95)), maxMs: ms(times.at(-1)!), serverP95ms: ms(percentile(server, 95)),
      };
      if (foundOfExisting !== EXISTING_PER_KIND) throw new Error(`${kind}: ${EXISTING_PER_KIND - foundOfExisting} seeded keys were not found`);
    }
    await client.close();
    const worstP95 = Math.max(...Object.values(perKind).map((k) => k.p95ms));
    return {
      messages: seeded.messages, events: seeded.events, searchKeys: seeded.searchKeys, seedSeconds: +seeded.seconds.toFixed(1),
      hubStartSeconds: +hubStartSeconds.toFixed(1), sizes, mostUsedItemTraces: Number(fanOut.n), perKind,
      requirement: SEARCH_REQUIREMENT, worstP95ms: worstP95, met: worstP95 < 1000,
    };
  } finally {
    const exited = new Promise((r) => hub.once('exit', r));
    hub.kill('SIGTERM');
    await exited;
    rmSync(seeded.dir, { recursive: true, force: true }); // gigabytes nobody reads again
  }
}
