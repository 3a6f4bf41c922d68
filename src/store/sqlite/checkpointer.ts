// WAL checkpoints on a thread of their own. A checkpoint copies the committed pages from the WAL back into the
// database file and syncs it: megabytes of I/O every few thousand messages. Run by the writer (SQLite's
// autocheckpoint) it stalled the event loop for 10–30 ms each time, so every sender waiting for an ACK waited
// too. Here a second connection runs PASSIVE checkpoints, which never block the writer, after a commit, at most
// every EVERY_MS: each one ends with a sync of the database file, and one after every commit made the commits'
// own syncs wait behind them (slower ACKs for senders that wait for each). The writer's autocheckpoint stays as
// the backstop that bounds the WAL; it now finds little left to copy. Durability does not depend on checkpoints:
// a commit is durable once its WAL frames are synced (synchronous=FULL), and SQLite recovers an interrupted
// checkpoint from the WAL.
import { DatabaseSync } from 'node:sqlite';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const EVERY_MS = 100;

export interface Checkpointer {
  /** The writer committed: copy what is in the WAL into the database when the thread is free. */
  committed(): void;
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, synchronous: string): Checkpointer {
  const worker = new Worker(new URL(import.meta.url), { workerData: { checkpointer: { path, synchronous } } });
  worker.unref(); // a store left open must not keep the process alive
  // A failed checkpointer costs only speed: the writer's own autocheckpoint still bounds the WAL.
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let pending = false;
  let lastAt = 0;
  let stopping = false;
  worker.on('message', () => (pending = false));
  return {
    committed() {
      // One checkpoint in flight is enough: it takes everything committed by the time it starts.
      if (pending || stopping || performance.now() - lastAt < EVERY_MS) return;
      pending = true;
      lastAt = performance.now();
      worker.postMessage('checkpoint');
    },
    stop() {
      // Closed, not terminated: the writer must be the last connection, so that closing it checkpoints and
      // removes the WAL as before.
      if (!stopping) {
        stopping = true;
        worker.ref(); // the process waits for the thread to close its connection
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}

type CheckpointerData = { checkpointer?: { path: string; synchronous: string } } | undefined;
const job = isMainThread ? undefined : (workerData as CheckpointerData)?.checkpointer;
if (job) {
  const db = new DatabaseSync(job.path);
  db.exec(`PRAGMA synchronous = ${job.synchronous}; PRAGMA wal_autocheckpoint = 0;`);
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  parentPort!.on('message', (what: 'checkpoint' | 'stop') => {
    if (what === 'stop') {
      db.close();
      parentPort!.close();
      return;
    }
    try {
      checkpoint.get();
    } catch {
      // the database is busy: the next commit asks again
    }
    parentPort!.postMessage(null);
  });
}
