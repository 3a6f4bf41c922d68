// Identifiers. UUIDv7 is time-ordered, so new rows land at the end of every index (cheap inserts, and ids sort
// by creation time in lists and traces). The random part comes from a pooled buffer: asking the OS for 16 bytes
// per id showed in profiles at thousands of ids a second (Node's own randomUUID pools the same way).
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const POOL = 16 * 256;
const pool = new Uint8Array(POOL);
let offset = POOL;

function random16(): Uint8Array {
  if (offset + 16 > POOL) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

export const newId = (): string => v7({ random: random16() });
