// WAL checkpoints on a thread of their own. A checkpoint copies the committed pages from the WAL back into the
// database file and syncs it: megabytes of I/O every few thousand messages. Run by the writer (SQLite's
// autocheckpoint) it stalled the event loop for 10–30 ms each time, so every sender waiting for an ACK waited
// too. Here a second connection runs PASSIVE checkpoints, which never block the writer, each time the writer
// says it committed. Durability does not depend on checkpoints: a commit is durable once its WAL frames are
// synced (synchronous=FULL), and SQLite recovers an interrupted checkpoint from the WAL.
import { DatabaseSync } from 'node:sqlite';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

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
  let pending = false;
  worker.on('message', () => (pending = false));
  return {
    committed() {
      if (pending) return; // one nudge in flight is enough: the checkpoint takes everything committed by then
      pending = true;
      worker.postMessage(null);
    },
    async stop() {
      await worker.terminate();
    },
  };
}

const job = isMainThread ? undefined : (workerData as { checkpointer?: { path: string; synchronous: string } } | undefined)?.checkpointer;
if (job) {
  const db = new DatabaseSync(job.path);
  db.exec(`PRAGMA synchronous = ${job.synchronous}; PRAGMA wal_autocheckpoint = 0;`);
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  parentPort!.on('message', () => {
    checkpoint.get();
    parentPort!.postMessage(null);
  });
}
