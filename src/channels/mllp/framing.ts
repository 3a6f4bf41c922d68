// MLLP framing: <VT> message <FS><CR>. Written here rather than taken from @medplum/hl7, whose connection parses
// each frame inside the framing: it drops the raw bytes when a message does not parse (so no AE could be sent and
// nothing kept), has no limit on a frame's size, and in enhanced mode sends the commit ACK on receipt, before
// Tendon has committed anything. Framing is a dozen lines; parsing stays with @medplum/core.

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export function frame(payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  return Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]);
}

export type Deframed = { kind: 'frame'; payload: Buffer } | { kind: 'oversized'; bytes: number } | { kind: 'garbage'; bytes: number };

/**
 * Splits a byte stream into frames. Bytes outside a frame are reported as garbage and dropped; a frame longer than
 * `maxBytes` is reported once and skipped to its end, so one bad sender cannot exhaust memory.
 */
export class Deframer {
  private readonly maxBytes: number;
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private skipping = false;
  private skipped = 0;
  private pendingFs = false;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** True while a frame has started and not ended: a sender that stops here is a slow or stuck sender. */
  get midFrame(): boolean {
    return this.inFrame;
  }

  push(chunk: Buffer): Deframed[] {
    const out: Deframed[] = [];
    let garbage = 0;
    let i = 0;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(VT, i);
        garbage += (start === -1 ? chunk.length : start) - i;
        if (start === -1) break;
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      // The end marker may be split across chunks: FS was the last byte of the previous one.
      if (i === 0 && this.pendingFs) {
        this.pendingFs = false;
        if (chunk[0] === CR) {
          this.dropLastByte();
          out.push(this.finish());
          i = 1;
          continue;
        }
      }
      const end = endMarker(chunk, i);
      if (end === -1) {
        this.take(chunk.subarray(i));
        this.pendingFs = chunk[chunk.length - 1] === FS;
        break;
      }
      this.take(chunk.subarray(i, end));
      out.push(this.finish());
      i = end + 2;
    }
    if (garbage > 0) out.unshift({ kind: 'garbage', bytes: garbage });
    return out;
  }

  private take(bytes: Buffer): void {
    if (this.skipping) {
      this.skipped += bytes.length;
      return;
    }
    if (this.size + bytes.length > this.maxBytes) {
      this.skipping = true;
      this.skipped = this.size + bytes.length;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private finish(): Deframed {
    this.inFrame = false;
    if (this.skipping) {
      const bytes = this.skipped;
      this.skipping = false;
      this.skipped = 0;
      return { kind: 'oversized', bytes };
    }
    const payload = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return { kind: 'frame', payload };
  }

  private dropLastByte(): void {
    if (this.skipping) {
      this.skipped -= 1;
      return;
    }
    const last = this.parts.pop();
    if (last && last.length > 1) this.parts.push(last.subarray(0, last.length - 1));
    this.size -= 1;
  }
}

/** The position of the FS that is followed by CR, or -1. */
function endMarker(chunk: Buffer, from: number): number {
  for (let j = chunk.indexOf(FS, from); j !== -1 && j + 1 < chunk.length; j = chunk.indexOf(FS, j + 1)) {
    if (chunk[j + 1] === CR) return j;
  }
  return -1;
}
