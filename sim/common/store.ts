// State of one simulator: documents (its business data), the effect ledger and the idempotency table.
// Memory is the source of truth on the request path (fast, synchronous, so a request's check-then-act can't
// interleave with another's). With a state file every write is also written through to SQLite, committed
// in groups (see transaction), and a restarted sim reloads everything from it.
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export type LedgerEntry = {
  seq: number;
  id: string;
  at: string;
  kind: string;
  idempotencyKey: string;
  reverses?: string;
  body: unknown;
};

export type StoredResponse = { status: number; body: unknown };

type Statements = {
  putDoc: StatementSync;
  putIdem: StatementSync;
  putLedger: StatementSync;
  putCounter: StatementSync;
};

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
    idem TEXT NOT NULL, reverses TEXT, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS idem (scope TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS docs (
    coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (coll, id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS counters (prefix TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

export class SimStore {
  #ledger: LedgerEntry[] = [];
  #idem = new Map<string, StoredResponse>();
  #docs = new Map<string, Map<string, unknown>>();
  #counters = new Map<string, number>();
  #db: DatabaseSync | undefined;
  #sql: Statements | undefined;
  #open = false;
  #waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  /** In memory only when `file` is undefined; otherwise backed by (and reloaded from) that SQLite file. */
  constructor(file?: string) {
    if (file === undefined) return;
    const db = new DatabaseSync(file);
    // WAL + synchronous=NORMAL: commits don't fsync, so the request path never waits on the disk; a crash
    // of the process loses nothing, only a power cut could lose the last moments. Fine for a simulator.
    db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;');
    db.exec(SCHEMA);
    this.#db = db;
    this.#sql = {
      putDoc: db.prepare('INSERT OR REPLACE INTO docs (coll, id, body) VALUES (?, ?, ?)'),
      putIdem: db.prepare('INSERT OR REPLACE INTO idem (scope, status, body) VALUES (?, ?, ?)'),
      putLedger: db.prepare(
        'INSERT INTO ledger (seq, id, at, kind, idem, reverses, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      putCounter: db.prepare('INSERT OR REPLACE INTO counters (prefix, value) VALUES (?, ?)'),
    };
    this.#load(db);
  }

  #load(db: DatabaseSync): void {
    for (const row of db.prepare('SELECT coll, id, body FROM docs').all()) {
      this.#collection(String(row.coll)).set(String(row.id), JSON.parse(String(row.body)));
    }
    for (const row of db.prepare('SELECT scope, status, body FROM idem').all()) {
      this.#idem.set(String(row.scope), { status: Number(row.status), body: JSON.parse(String(row.body)) });
    }
    for (const row of db.prepare('SELECT prefix, value FROM counters').all()) {
      this.#counters.set(String(row.prefix), Number(row.value));
    }
    for (const row of db.prepare('SELECT * FROM ledger ORDER BY seq').all()) {
      const entry: LedgerEntry = {
        seq: Number(row.seq),
        id: String(row.id),
        at: String(row.at),
        kind: String(row.kind),
        idempotencyKey: String(row.idem),
        body: JSON.parse(String(row.body)),
      };
      if (row.reverses !== null) entry.reverses = String(row.reverses);
      this.#ledger.push(entry);
    }
  }

  get persistent(): boolean {
    return this.#db !== undefined;
  }

  #collection(coll: string): Map<string, unknown> {
    let map = this.#docs.get(coll);
    if (!map) {
      map = new Map();
      this.#docs.set(coll, map);
    }
    return map;
  }

  /**
   * Runs `fn`, whose writes join the current group transaction. A group opens on the first write and
   * commits on the next turn of the event loop, so all requests handled in one turn share one commit
   * (group commit): one WAL append instead of one per request. Callers answer only after `durable()`.
   */
  transaction<T>(fn: () => T): T {
    const db = this.#db;
    if (db && !this.#open) {
      db.exec('BEGIN');
      this.#open = true;
      setImmediate(() => this.#commit());
    }
    return fn();
  }

  #commit(): void {
    if (!this.#open || !this.#db) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#open = false;
    try {
      this.#db.exec('COMMIT');
      for (const w of waiters) w.resolve();
    } catch (err) {
      // Memory is now ahead of the file; the requests waiting on this commit fail with a 500.
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      for (const w of waiters) w.reject(err);
    }
  }

  /** Resolves once everything written so far is committed (at once in memory-only mode). */
  durable(): Promise<void> {
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  get<T>(coll: string, id: string): T | undefined {
    return this.#docs.get(coll)?.get(id) as T | undefined;
  }

  all<T>(coll: string): T[] {
    const map = this.#docs.get(coll);
    return map ? ([...map.values()] as T[]) : [];
  }

  count(coll: string): number {
    return this.#docs.get(coll)?.size ?? 0;
  }

  /** Stores (or replaces) a document. Callers mutate copies or call put again after mutating. */
  put(coll: string, id: string, doc: unknown): void {
    this.#collection(coll).set(id, doc);
    this.#sql?.putDoc.run(coll, id, JSON.stringify(doc));
  }

  recalled(scope: string): StoredResponse | undefined {
    return this.#idem.get(scope);
  }

  remember(scope: string, response: StoredResponse): void {
    this.#idem.set(scope, response);
    this.#sql?.putIdem.run(scope, response.status, JSON.stringify(response.body));
  }

  /** Next id of a sequence, e.g. nextId('CHG') → "CHG-000001". Survives restarts with a state file. */
  nextId(prefix: string, width = 6): string {
    const value = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, value);
    this.#sql?.putCounter.run(prefix, value);
    return `${prefix}-${String(value).padStart(width, '0')}`;
  }

  append(entry: Omit<LedgerEntry, 'seq' | 'at'>): LedgerEntry {
    const full: LedgerEntry = {
      seq: this.#ledger.length + 1,
      id: entry.id,
      at: new Date().toISOString(),
      kind: entry.kind,
      idempotencyKey: entry.idempotencyKey,
      ...(entry.reverses === undefined ? {} : { reverses: entry.reverses }),
      body: entry.body,
    };
    this.#ledger.push(full);
    this.#sql?.putLedger.run(
      full.seq,
      full.id,
      full.at,
      full.kind,
      full.idempotencyKey,
      full.reverses ?? null,
      JSON.stringify(full.body),
    );
    return full;
  }

  /** Entries with seq > since, oldest first; seq n sits at index n-1, so this is a slice, not a scan. */
  ledger(since = 0, limit = Number.POSITIVE_INFINITY, kind?: string): LedgerEntry[] {
    const tail = this.#ledger.slice(Math.max(0, since));
    const filtered = kind === undefined ? tail : tail.filter((e) => e.kind === kind);
    return Number.isFinite(limit) ? filtered.slice(0, limit) : filtered;
  }

  close(): void {
    this.#commit();
    this.#db?.close();
    this.#db = undefined;
    this.#sql = undefined;
  }
}
