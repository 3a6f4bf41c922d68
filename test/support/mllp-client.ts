// An MLLP client for tests, written from the framing rules (VT … FS CR) and not from Tendon's framing code, so a
// mistake in the code under test cannot hide behind the same mistake here.
import { connect, type Socket } from 'node:net';

const START = 0x0b;
const END = Buffer.from([0x1c, 0x0d]);

export class MllpTestClient {
  private readonly socket: Socket;
  private buffer = Buffer.alloc(0);
  private waiting: ((frame: string) => void)[] = [];
  private frames: string[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<MllpTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new MllpTestClient(socket)));
      socket.once('error', reject);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const start = this.buffer.indexOf(START);
      const end = this.buffer.indexOf(END, start + 1);
      if (start === -1 || end === -1) return;
      const frame = this.buffer.subarray(start + 1, end).toString('utf8');
      this.buffer = this.buffer.subarray(end + 2);
      const waiter = this.waiting.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    }
  }

  /** Writes raw bytes as they are (to send broken frames, or a frame in pieces). */
  writeRaw(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  send(message: string): void {
    this.socket.write(Buffer.concat([Buffer.from([START]), Buffer.from(message, 'utf8'), END]));
  }

  /** The next frame the server sends, or an error after `timeoutMs`. */
  next(timeoutMs = 10_000): Promise<string> {
    const ready = this.frames.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const waiter = (f: string) => {
        clearTimeout(timer);
        resolve(f);
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== waiter); // a late frame must not go to a waiter that gave up
        reject(new Error('no frame from the server in time'));
      }, timeoutMs);
      this.waiting.push(waiter);
    });
  }

  async request(message: string, timeoutMs?: number): Promise<string> {
    this.send(message);
    return this.next(timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A field of a segment of an HL7 text (1-based field numbers, MSH counted as in the standard). */
export function field(message: string, segment: string, n: number): string | undefined {
  const line = message.split(/\r\n|\r|\n/).find((l) => l.startsWith(segment + '|'));
  if (!line) return undefined;
  const parts = line.split('|');
  return segment === 'MSH' ? parts[n - 1] : parts[n];
}
