// The embedded store: SQLite (node:sqlite) in WAL mode, synchronous=FULL by default, with group commit.
//
// One writer connection runs a queue of jobs: every job that arrives while a commit is under way waits for the
// next one, and all waiting jobs share one transaction and one fsync. Each job runs inside its own SAVEPOINT so
// a failing job rolls back only its own writes. Readers use a second connection, which WAL lets read while the
// writer writes. WAL checkpoints run on a thread of their own (checkpointer.ts).
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store, Tx } from '../store.ts';
import { applied, migrate } from './migrate.ts';
import { sqliteTx } from './tx.ts';
import { sqliteReads } from './reads.ts';
import { statements } from './statements.ts';
import { startCheckpointer } from './checkpointer.ts';

export interface SqliteOptions {
  path: string;
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  /** The most jobs one commit takes: bounds how long the event loop is held by one transaction. */
  maxJobsPerCommit?: number;
}

interface Job {
  run: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export function openSqliteStore(options: SqliteOptions): Store {
  mkdirSync(dirname(options.path), { recursive: true });
  const synchronous = options.synchronous ?? 'FULL';
  const writer = new DatabaseSync(options.path);
  // temp_store = MEMORY: each job's SAVEPOINT keeps the original of every page the job changes in a sub-journal,
  // a temporary file by default: a write() of 4 KiB per page per job, which was a fifth of the CPU of an HL7
  // ingest. It only serves ROLLBACK TO within the open transaction; durability is the WAL's, as before.
  // wal_autocheckpoint stays as the backstop that bounds the WAL; the checkpointer thread leaves it little to copy.
  writer.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}; PRAGMA foreign_keys = ON;
    PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 4000; PRAGMA temp_store = MEMORY;`);
  migrate(writer); // the reader must not prepare statements against tables that do not exist yet
  const checkpointer = startCheckpointer(options.path, synchronous);
  const reader = new DatabaseSync(options.path, { readOnly: true });
  reader.exec(`PRAGMA busy_timeout = 5000;`);
  const { all, get } = statements(reader);

  const tx = sqliteTx(writer);
  const control = (sql: string) => {
    const statement = writer.prepare(sql);
    return (): void => {
      statement.run();
    };
  };
  const [begin, savepoint, release, rollbackTo, commit] = ['BEGIN IMMEDIATE', 'SAVEPOINT job', 'RELEASE job', 'ROLLBACK TO job', 'COMMIT'].map(control) as [
    () => void, () => void, () => void, () => void, () => void];
  const maxJobs = options.maxJobsPerCommit ?? 2000;
  const queue: Job[] = [];
  let flushing = false;
  let closed = false;

  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxJobs);
        const done: [Job, unknown][] = [];
        begin();
        for (const job of batch) {
          savepoint();
          try {
            const value = await job.run(tx);
            release();
            done.push([job, value]);
          } catch (error) {
            rollbackTo();
            release();
            job.reject(error);
          }
        }
        try {
          commit();
          checkpointer.committed();
        } catch (error) {
          if (writer.isTransaction) writer.exec('ROLLBACK');
          for (const [job] of done) job.reject(error);
          continue;
        }
        for (const [job, value] of done) job.resolve(value);
      }
    } finally {
      flushing = false;
    }
  }

  return {
    kind: 'sqlite',
    async migrate() {
      return migrate(writer);
    },
    async migrationsApplied() {
      return applied(writer);
    },
    write<T>(run: (tx: Tx) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error('the store is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
        // setImmediate lets every job that arrives in this turn of the event loop join the same commit.
        if (queue.length === 1 && !flushing) setImmediate(() => void flush());
      });
    },
    async close() {
      closed = true;
      while (queue.length > 0 || flushing) await new Promise((r) => setTimeout(r, 5));
      await checkpointer.stop();
      reader.close();
      writer.close();
    },
    ...sqliteReads(all, get),
  };
}
