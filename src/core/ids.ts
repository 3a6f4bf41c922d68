// Identifiers. UUIDv7 is time-ordered, so new rows land at the end of every index (cheap inserts, and ids sort
// by creation time in lists and traces). The random part comes from the pooled source (core/random.ts); the
// millisecond and a counter within it are kept here, as RFC 9562 §6.2 describes, so ids made in the same
// millisecond still sort in the order they were made.
import { v7 } from 'uuid';
import { randomBytesPooled } from './random.ts';

let lastMs = -1;
let seq = 0;

export function newId(): string {
  const random = randomBytesPooled(16);
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seq = random.readUInt32BE(0) & 0x7ffffff; // a random start leaves room to count up within the millisecond
  } else if (++seq > 0xfffffff) {
    lastMs++; // the counter is spent: borrow the next millisecond, as the RFC allows
    seq = 0;
  }
  return v7({ random, msecs: lastMs, seq });
}
