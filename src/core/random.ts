// Random bytes from a pooled buffer refilled from the OS CSPRNG 4 KiB at a time. Asking the OS for 12 or 16 bytes
// per id or per AES-GCM nonce showed in profiles at thousands of messages a second; Node's randomUUID pools the
// same way. The bytes are as unpredictable as the OS's; they are just fetched in bulk.
import { randomFillSync } from 'node:crypto';

const SIZE = 4096;
const pool = Buffer.alloc(SIZE);
let offset = SIZE;

/** `n` fresh random bytes (a copy: callers may keep them). */
export function randomBytesPooled(n: number): Buffer {
  if (n > SIZE) return randomFillSync(Buffer.alloc(n));
  if (offset + n > SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += n;
  return Buffer.from(pool.subarray(offset - n, offset));
}
