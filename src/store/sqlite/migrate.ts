// Numbered, forward-only migrations: NNN_name.sql files applied in order, each in its own transaction, recorded
// in schema_migrations. A shipped file is never edited; a change is the next number.
import { readdirSync, readFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';

const DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(new URL(f, DIR), 'utf8') }));
}

export function applied(db: DatabaseSync): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  return db.prepare(`SELECT version FROM schema_migrations ORDER BY version`).all().map((r) => Number(r.version));
}

export function migrate(db: DatabaseSync): number[] {
  const done = new Set(applied(db));
  const now: number[] = [];
  for (const m of loadMigrations()) {
    if (done.has(m.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)`).run(m.version, m.name, new Date().toISOString());
      db.exec('COMMIT');
      now.push(m.version);
    } catch (e) {
      db.exec('ROLLBACK');
      throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
    }
  }
  return now;
}
