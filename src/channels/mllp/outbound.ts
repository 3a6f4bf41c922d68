// The MLLP sender: a small pool of connections, one message in flight per connection (HL7 senders wait for the
// answer before the next message), the next frame on that connection is the answer. No answer in time, or a
// broken connection, fails the send and discards the connection: its stream can no longer be trusted, and the
// delivery is retried with the same control id.
import { connect, type Socket } from 'node:net';
import { Deframer, frame } from './framing.ts';

export interface MllpSenderOptions {
  host: string;
  port: number;
  connections: number;
  timeoutMs: number;
  maxFrameBytes?: number;
}

export type MllpSendResult = { ok: true; answer: string; latencyMs: number } | { ok: false; error: string; latencyMs: number };

interface Conn {
  socket: Socket;
  deframer: Deframer;
  waiting: ((answer: string | Error) => void) | null;
}

export interface MllpSender {
  send(message: string): Promise<MllpSendResult>;
  close(): Promise<void>;
}

export function createMllpSender(options: MllpSenderOptions): MllpSender {
  const idle: Conn[] = [];
  const queue: ((c: Conn | Error) => void)[] = [];
  let open = 0;
  let closed = false;

  function opened(): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      const conn: Conn = { socket, deframer: new Deframer(options.maxFrameBytes ?? 4 * 1024 * 1024), waiting: null };
      socket.setNoDelay(true);
      socket.once('connect', () => resolve(conn));
      socket.on('data', (chunk: Buffer) => {
        for (const item of conn.deframer.push(chunk)) {
          if (item.kind !== 'frame') continue;
          const waiter = conn.waiting;
          conn.waiting = null;
          waiter?.(item.payload.toString('utf8'));
        }
      });
      const fail = (error: Error) => {
        conn.waiting?.(error);
        conn.waiting = null;
        reject(error);
      };
      socket.on('error', fail);
      socket.on('close', () => {
        // Counted open until really closed; an idle one closed by the peer leaves the pool.
        open--;
        const at = idle.indexOf(conn);
        if (at >= 0) idle.splice(at, 1);
        fail(new Error('connection closed'));
        // Its place is free again: a caller waiting for a connection gets a fresh one.
        const waiter = closed ? undefined : queue.shift();
        if (waiter) acquire().then(waiter, waiter);
      });
    });
  }

  async function acquire(): Promise<Conn> {
    const ready = idle.pop();
    if (ready) return ready;
    if (open < options.connections) {
      open++; // taken now, so concurrent callers do not open more than allowed; given back by 'close'
      return opened();
    }
    const next = await new Promise<Conn | Error>((resolve) => queue.push(resolve));
    if (next instanceof Error) throw next;
    return next;
  }

  function release(conn: Conn, healthy: boolean): void {
    if (!healthy || closed) {
      conn.socket.destroy(); // its 'close' frees the place for a waiting caller
      return;
    }
    const waiter = queue.shift();
    if (waiter) waiter(conn);
    else idle.push(conn);
  }

  return {
    async send(message) {
      const started = performance.now();
      let conn: Conn;
      try {
        conn = await acquire();
      } catch (error) {
        return { ok: false, error: `cannot connect: ${(error as Error).message}`, latencyMs: performance.now() - started };
      }
      const answer = await new Promise<string | Error>((resolve) => {
        const timer = setTimeout(() => resolve(new Error(`no ACK within ${options.timeoutMs} ms`)), options.timeoutMs);
        conn.waiting = (a) => {
          clearTimeout(timer);
          resolve(a);
        };
        conn.socket.write(frame(message));
      });
      const latencyMs = performance.now() - started;
      if (answer instanceof Error) {
        release(conn, false);
        return { ok: false, error: answer.message, latencyMs };
      }
      release(conn, true);
      return { ok: true, answer, latencyMs };
    },
    async close() {
      closed = true;
      for (const c of idle.splice(0)) c.socket.destroy();
      for (const waiter of queue.splice(0)) waiter(new Error('sender closed'));
    },
  };
}
