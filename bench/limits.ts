// The physical limits Tendon's figures are compared with, measured on the same machine in the same run:
//  - raw SQLite: the rows one event writes (message, event, three deliveries) committed with Tendon's
//    durability (WAL, synchronous=FULL), one transaction per event, and 100 events per transaction;
//  - raw HTTP: keep-alive round trips to a simulator, an idempotent POST with a new key each time.
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
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
      const m = randomUUID();
      const e = randomUUID();
      message.run(m, 'http', 'ehr', null, 'application/json', now, raw);
      event.run(e, 'supply.used', 1, m, 'ehr', e, 'C', null, 'P', 1, 'FAC-A', now, now, 1, null, 'accepted', payload);
      for (const dest of ['erp', 'inventory', 'billing']) {
        const d = randomUUID();
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
