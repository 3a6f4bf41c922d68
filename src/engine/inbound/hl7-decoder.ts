// HL7 v2 decoding on a worker thread of its own. Decoding is pure (bytes → events or the error to answer with) and
// was a fifth of the event loop's time in an MLLP ingest; on its own thread it runs on the machine's other core
// while the event loop executes the store's statements and waits for its fsync, so a busy listener answers sooner.
// Frames that arrive in one turn of the event loop go to the thread as one message, and come back as one.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { decodeHl7, textOf, type Hl7Decoded, type Hl7Options } from '../../codecs/hl7v2/index.ts';

export interface Hl7Decoder {
  decode(payload: Buffer): Promise<Hl7Decoded>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (decoded: Hl7Decoded) => void;
  reject: (error: Error) => void;
}

/** `options` must be plain data (a channel's configuration is): it is copied to the thread once. */
export function startHl7Decoder(options: Hl7Options): Hl7Decoder {
  let worker: Worker | null = null;
  const pending = new Map<number, Pending>();
  let batch: { id: number; payload: Uint8Array }[] = [];
  let nextId = 0;

  // A thread that dies (it should not: decodeHl7 never throws) fails what it held; the connections close without
  // an ACK, so their senders send those messages again, and the next message starts a new thread.
  const fail = (error: Error) => {
    worker = null;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL(import.meta.url), { workerData: { hl7Decoder: options } });
    w.unref(); // an idle decoder must not keep the process alive
    w.on('message', (results: { id: number; decoded: Hl7Decoded }[]) => {
      for (const { id, decoded } of results) {
        pending.get(id)?.resolve(decoded);
        pending.delete(id);
      }
    });
    w.on('error', (error) => worker === w && fail(error));
    w.on('exit', (code) => worker === w && fail(new Error(`the HL7 decoder thread exited (${code})`)));
    return (worker = w);
  };
  const send = () => {
    const requests = batch;
    batch = [];
    // Each payload's bytes are moved to the thread, not copied (they were copied out of the frame already).
    thread().postMessage(requests, requests.map((r) => r.payload.buffer as ArrayBuffer));
  };

  thread(); // started now, so the first message does not wait for the thread to load the codec
  return {
    decode(payload) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        // A small Buffer is a view of an 8 KiB pool shared with others: a message would copy the whole pool, and
        // it cannot be moved. A copy of its own is moved instead.
        batch.push({ id, payload: new Uint8Array(payload) });
        if (batch.length === 1) setImmediate(send);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}

const options = isMainThread ? undefined : (workerData as { hl7Decoder?: Hl7Options } | undefined)?.hl7Decoder;
if (options) {
  parentPort!.on('message', (requests: { id: number; payload: Uint8Array }[]) => {
    parentPort!.postMessage(requests.map(({ id, payload }) => ({ id, decoded: decodeHl7(textOf(payload), options) })));
  });
}
