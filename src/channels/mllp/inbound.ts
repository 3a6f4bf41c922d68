// The MLLP listener: a TCP server on the configured host (never all interfaces by default), frames in, reply
// frames out. Messages on one connection are answered in the order they came; a reply is written only when its
// handler resolves, which is after the commit. When the handler fails (the store is
// unavailable), the connection is closed without an answer: the sender keeps the message and sends it again.
import { createServer, type Server, type Socket } from 'node:net';
import { Deframer, frame } from './framing.ts';

export interface MllpListenerOptions {
  host: string;
  port: number;
  /** A frame larger than this is refused (its bytes are skipped, never buffered). */
  maxFrameBytes: number;
  /** A sender that stops in the middle of a frame for this long is disconnected. */
  stalledFrameMs: number;
  /** A connection with no traffic at all for this long is closed. */
  idleMs: number;
}

export interface MllpHandlers {
  /** One message's bytes → the frames to answer with (its ACKs). Resolve only after the message is durable. */
  message(payload: Buffer, peer: string): Promise<string[]>;
  /** A frame that was too large: answer with a refusal (there is no header to read). */
  oversized(bytes: number, peer: string): string[];
  error?(error: Error, peer: string): void;
}

export interface MllpListener {
  port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function startMllpListener(options: MllpListenerOptions, handlers: MllpHandlers): Promise<MllpListener> {
  const sockets = new Set<Socket>();
  const chains = new Set<Promise<void>>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const deframer = new Deframer(options.maxFrameBytes);
    let chain: Promise<void> = Promise.resolve();
    const reply = (frames: string[]) => {
      if (socket.destroyed) return;
      // The answers one commit releases are written together: one system call per connection, not one per ACK.
      if (!socket.writableCorked) {
        socket.cork();
        process.nextTick(() => socket.uncork());
      }
      for (const f of frames) socket.write(frame(f));
    };

    socket.setTimeout(options.stalledFrameMs);
    let quietSince = Date.now();
    socket.on('timeout', () => {
      // Mid-frame: a stalled sender holds a half message; idle between messages is normal until idleMs.
      if (deframer.midFrame || Date.now() - quietSince >= options.idleMs) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      quietSince = Date.now();
      for (const item of deframer.push(chunk)) {
        if (item.kind === 'garbage') continue; // bytes outside any frame carry no message to answer
        // Handling starts at once, so frames a sender pipelines share one commit; only the answers are
        // chained, so they go back in the order the messages came.
        const handled = item.kind === 'oversized' ? Promise.resolve(handlers.oversized(item.bytes, peer)) : handlers.message(item.payload, peer);
        handled.catch(() => {}); // observed below, in order
        chain = chain.then(async () => reply(await handled)).catch((error: Error) => {
          handlers.error?.(error, peer);
          socket.destroy(); // no ACK: the sender still holds the message and will send it again
        });
        chains.add(chain);
        void chain.finally(() => chains.delete(chain));
      }
    });
    socket.on('error', (error) => handlers.error?.(error, peer));
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    connections: () => sockets.size,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Messages already received are finished and answered; then the connections go.
      await Promise.allSettled([...chains]);
      for (const s of sockets) s.end();
      const deadline = setTimeout(() => sockets.forEach((s) => s.destroy()), 2000);
      await closed;
      clearTimeout(deadline);
    },
  };
}
