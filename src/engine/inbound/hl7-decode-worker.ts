import { parentPort, workerData } from 'node:worker_threads';
import { decodeHl7 } from '../../codecs/hl7v2/index.ts';
import { textOf } from './mllp.ts';

parentPort!.on('message', (batch: { id: number; bytes: Uint8Array }[]) => {
  parentPort!.postMessage(batch.map(({ id, bytes }) => ({ id, decoded: decodeHl7(textOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), workerData) })));
});
