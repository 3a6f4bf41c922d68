// One NATS connection per channel, opened on first use so a hub starts (and keeps its other channels working) while
// NATS is down. Once open, the client reconnects by itself after a drop, without limit: a hub outlives NATS
// restarts. Should the connection end for good all the same, the next use opens a new one.
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsConnector {
  /** The open connection, opening it first if need be; rejects when NATS cannot be reached now. */
  get(): Promise<NatsConnection>;
  /** Sends what is buffered (acks, naks) when it can, then closes. */
  close(): Promise<void>;
}

export function natsConnector(options: { url: string; name: string; timeoutMs: number }): NatsConnector {
  let current: Promise<NatsConnection> | null = null;
  let closed = false;

  function open(): Promise<NatsConnection> {
    const opening = connect({
      servers: options.url, name: options.name, timeout: options.timeoutMs,
      maxReconnectAttempts: -1, reconnectTimeWait: 1000,
    }).then((nc) => {
      void nc.closed().then(() => {
        if (current === opening) current = null;
      });
      return nc;
    });
    opening.catch(() => {
      if (current === opening) current = null;
    });
    return opening;
  }

  return {
    get() {
      if (closed) return Promise.reject(new Error('the NATS connection is closed'));
      current ??= open();
      return current;
    },
    async close() {
      closed = true;
      const nc = await current?.catch(() => null);
      if (!nc || nc.isClosed()) return;
      // A flush waits for the server while it is reachable; unacknowledged messages are redelivered anyway.
      await Promise.race([nc.flush().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
      await nc.close();
    },
  };
}
