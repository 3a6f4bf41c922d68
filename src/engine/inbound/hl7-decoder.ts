// HL7 v2 decoding on a worker thread of its own. Decoding is pure (bytes → events or the error to answer with) and
// was a fifth of the event loop's time in an MLLP ingest; on its own thread it runs on the machine's other core
// while the event loop executes the store's statements and waits for its fsync, so a busy listener answers sooner.
//
// The frames of one socket read go to the thread as one message as soon as the read's callback returns. Waiting for
// the end of the loop's turn made the store's commit run first, with the thread idle through it. Their bytes are
// laid end to end in one buffer, which is moved rather than copied (a posted Buffer is copied with the whole 8 KiB
// pool it is a view of). The thread answers each batch, in order, with the decoded messages as JSON text: they are
// plain data, and JSON.parse reads them back on the event loop in about half the time structured cloning takes.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { decodeHl7, textOf, type Hl7Decoded, type Hl7Options } from '../../codecs/hl7v2/index.ts';

export interface Hl7Decoder {
  decode(payload: Uint8Array): Promise<Hl7Decoded>;
  close(): Promise<void>;
}

interface Waiting {
  resolve: (decoded: Hl7Decoded) => void;
  reject: (error: Error) => void;
}

interface Batch {
  lengths: number[];
  bytes: Uint8Array;
}

/** `options` must be plain data (a channel's configuration is): it is copied to the thread once. */
export function startHl7Decoder(options: Hl7Options): Hl7Decoder {
  let worker: Worker | null = null;
  const sent: Waiting[][] = []; // batches the thread holds, oldest first
  let payloads: Uint8Array[] = [];
  let waiting: Waiting[] = [];

  // A thread that dies (it should not: decodeHl7 never throws) fails what it held; those connections close
  // without an ACK, so their senders send the messages again, and the next batch starts a new thread.
  const fail = (error: Error) => {
    worker = null;
    for (const w of sent.splice(0).flat()) w.reject(error);
  };
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL(import.meta.url), { workerData: { hl7Decoder: options } });
    w.unref(); // an idle decoder must not keep the process alive
    w.on('message', (json: string) => {
      const decoded = JSON.parse(json) as Hl7Decoded[];
      sent.shift()!.forEach((x, i) => x.resolve(decoded[i]!));
    });
    w.on('error', (error) => worker === w && fail(error));
    w.on('exit', (code) => worker === w && fail(new Error(`the HL7 decoder thread exited (${code})`)));
    return (worker = w);
  };
  const send = () => {
    const lengths = payloads.map((p) => p.length);
    const batch: Batch = { lengths, bytes: new Uint8Array(lengths.reduce((n, length) => n + length, 0)) };
    let at = 0;
    for (const p of payloads) {
      batch.bytes.set(p, at);
      at += p.length;
    }
    sent.push(waiting);
    payloads = [];
    waiting = [];
    thread().postMessage(batch, [batch.bytes.buffer as ArrayBuffer]);
  };

  thread(); // started now, so the first message does not wait for the thread to load the codec
  return {
    decode(payload) {
      return new Promise((resolve, reject) => {
        payloads.push(payload);
        waiting.push({ resolve, reject });
        if (payloads.length === 1) process.nextTick(send);
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
  parentPort!.on('message', ({ lengths, bytes }: Batch) => {
    let at = 0;
    const decoded = lengths.map((n) => decodeHl7(textOf(bytes.subarray(at, (at += n))), options));
    parentPort!.postMessage(JSON.stringify(decoded));
  });
}
