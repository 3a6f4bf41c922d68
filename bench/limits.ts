// The physical limits Tendon's figures are compared with, measured on the same machine in the same run:
//  - raw SQLite: the rows one event writes (message, event, three deliveries) committed with Tendon's
//    durability (WAL, synchronous=FULL), one transaction per event, and 100 events per transaction. The ids are the
//    hub's own (time-ordered UUIDv7, core/ids.ts): random ones land all over every index and made this "limit"
//    a third of what the same rows cost the hub;
//  - raw store: the rows one HL7 implant use commits in the hub (message, event, PHI seal, three outbox rows, the
//    charge workflow's link, stock and its move, the serial's claim, five search keys), written through the store's
//    own statements (store/sqlite/tx.ts) with the same durability, 100 messages per commit, and nothing else: no
//    decoding, planning, sockets or ACKs. One SQLite writer can commit no more HL7 uses than this;
//  - raw HTTP: keep-alive round trips to a simulator, an idempotent POST with a new key each time.
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { newId } from '../src/core/ids.ts';
import { migrate } from '../src/store/sqlite/migrate.ts';
import { sqliteTx } from '../src/store/sqlite/tx.ts';
import { Pool } from 'undici';

const MIGRATION = readFileSync(new URL('../src/store/sqlite/migrations/001_core.sql', import.meta.url), 'utf8');

export function rawSqlite(seconds: number, eventsPerCommit: number): { commitsPerSecond: number; eventsPerSecond: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-raw-'));
  const db = new DatabaseSync(join(dir, 'raw.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  db.exec(MIGRATION);
  const message = db.prepare(`INSERT INTO messages (id, channel, source_system, source_id, content_type, received_at, raw) VALUES (?,?,?,?,?,?,?)`);
  const event = db.prepare(`INSERT INTO events (id, type, schema_version, message_id, source_system, idempotency_key, correlation_id,
    causation_id, partition_key, priority, facility, occurred_at, recorded_at, revision, revision_of, status, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const delivery = db.prepare(`INSERT INTO deliveries (id, event_id, correlation_id, destination, action, partition_key, priority,
    idempotency_key, status, attempts, next_attempt_at, created_at, updated_at, body, reverses, remote_ref, last_error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const raw = new Uint8Array(600);
  const payload = JSON.stringify({ item: { system: 'erp', code: 'ITM-00001' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-A-OR1', lot: 'L1', serial: 'S1' });
  const body = JSON.stringify({ itemId: 'ITM-00001', quantity: 1, uom: 'EA', locationId: 'LOC-A-OR1', costCenterId: 'CC-1', unitCost: '12.00' });
  const now = new Date().toISOString();
  let commits = 0;
  let events = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < eventsPerCommit; i++) {
      const m = newId();
      const e = newId();
      message.run(m, 'http', 'ehr', null, 'application/json', now, raw);
      event.run(e, 'supply.used', 1, m, 'ehr', e, 'C', null, 'P', 1, 'FAC-A', now, now, 1, null, 'accepted', payload);
      for (const dest of ['erp', 'inventory', 'billing']) {
        const d = newId();
        delivery.run(d, e, 'C', dest, 'x', 'P', 1, d, 'pending', 0, 0, now, now, body, null, null, null);
      }
      events++;
    }
    db.exec('COMMIT');
    commits++;
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { commitsPerSecond: commits / elapsed, eventsPerSecond: events / elapsed };
}

export async function rawStore(seconds: number, perCommit: number): Promise<{ messagesPerSecond: number; rowsPerMessage: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-raw-'));
  const db = new DatabaseSync(join(dir, 'raw.db'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;');
  migrate(db);
  const tx = sqliteTx(db);
  const raw = new Uint8Array(700); // a sealed DFT^P03 of one FT1 is about this size
  const now = new Date().toISOString();
  const location = 'LOC-A-OR1';
  const item = 'ITM-00001';
  db.prepare('INSERT INTO stock (location, item_id, on_hand, updated_at) VALUES (?,?,?,?)').run(location, item, 1e9, now);
  let n = 0;
  const one = async () => {
    const id = `RAW-${n++}`;
    const caseId = `CASE-${id}`;
    const m = newId();
    const e = newId();
    await tx.insertMessage({ id: m, channel: 'mllp:ehr', sourceSystem: 'OPTIME', sourceId: id, contentType: 'application/hl7-v2', receivedAt: now, raw, error: null });
    const payload = {
      item: { system: 'erp', code: item }, quantity: { value: 1, unit: 'EA' }, location, lot: `LOT-${id}`, serial: `SN-${id}`,
      expiry: '2029-01-31', patient: { token: `tok_${randomUUID()}` }, encounter: `tok_${randomUUID()}`, caseId, department: 'SURG',
    };
    await tx.insertEvent({
      id: e, type: 'supply.used', schemaVersion: 1, messageId: m, sourceSystem: 'OPTIME', idempotencyKey: `OPTIME|FAC-A|${id}|1`,
      correlationId: caseId, causationId: null, partitionKey: `FAC-A|${location}|${item}`, priority: 0, facility: 'FAC-A',
      occurredAt: now, recordedAt: now, revision: 1, revisionOf: null, status: 'accepted', payload,
    });
    await tx.sealPhi(payload.patient.token, raw.subarray(0, 60));
    const body = { itemId: item, quantity: 1, uom: 'EA', locationId: location, costCenterId: 'CC-1', unitCost: '12.00', patient: payload.patient, caseId };
    const made = await tx.insertDeliveries(['erp', 'inventory', 'billing'].map((destination) => {
      const d = newId();
      return {
        id: d, eventId: e, correlationId: caseId, destination, action: `${destination}.x`, partitionKey: `FAC-A|${location}|${item}`,
        priority: 0 as const, idempotencyKey: `tdn-${d}`, status: 'pending' as const, attempts: 0, nextAttemptAt: 0, createdAt: now,
        updatedAt: now, body, reverses: null, remoteRef: null, lastError: null,
      };
    }));
    await tx.linkWorkflowDelivery({ deliveryId: made[2]!.id, type: 'charge', key: caseId, name: 'billing.charge', start: null });
    await tx.applyStock({ eventId: e, location, itemId: item, delta: -1, at: now });
    await tx.claimSerial(item, payload.serial, e, now);
    const at = Date.now();
    await tx.insertSearchKeys([
      { kind: 'msh10', value: id }, { kind: 'item', value: item }, { kind: 'lot', value: payload.lot }, { kind: 'serial', value: payload.serial },
      { kind: 'patient', value: payload.patient.token },
    ].map((k) => ({ ...k, correlationId: caseId, at })) as Parameters<typeof tx.insertSearchKeys>[0]);
  };
  let messages = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < perCommit; i++) await one();
    db.exec('COMMIT');
    messages += perCommit;
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { messagesPerSecond: messages / elapsed, rowsPerMessage: 15 };
}

export async function rawHttp(url: string, seconds: number, connections: number): Promise<number> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const body = JSON.stringify({ type: 'increment', locationId: 'LOC-A-OR1', itemId: 'ITM-00001', quantity: 1, uom: 'EA', occurredAt: new Date().toISOString(), reference: { eventId: 'raw', correlationId: 'raw' } });
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < until) {
      const res = await pool.request({ method: 'POST', path: '/movements', body, headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() } });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error(`raw POST answered ${res.statusCode}`);
      done++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return done / elapsed;
}
