// The JetStream publisher: one message in, one PubAck out. A PubAck means the stream stored the message (or had it
// already: the `Nats-Msg-Id` header is the sender's key, and a second publish with the same id within the stream's
// duplicate window is acknowledged as a duplicate and not stored again). Every failure says whether trying again can
// help: no answer in time, a dropped connection, no stream for the subject (an operator has to create one) and
// the stream's own errors can; a message the server will never take (over its max_payload) cannot.
import { headers as natsHeaders, InvalidArgumentError, nanos, RequestError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { natsConnector } from './connection.ts';

/** A stream the publisher creates when it is missing, or extends when it lacks one of these subjects. */
export interface StreamSpec {
  name: string;
  subjects: string[];
  duplicateWindowMs: number;
}

export interface PublisherOptions {
  url: string;
  name: string;
  /** Longest wait for a connection and for each PubAck. */
  timeoutMs: number;
  /** Made sure of on each new connection; null: the stream is the operator's to create. */
  stream: StreamSpec | null;
}

export type PublishResult =
  | { outcome: 'stored'; stream: string; seq: number; duplicate: boolean; latencyMs: number }
  | { outcome: 'retryable' | 'refused'; reason: string; latencyMs: number };

export interface JetStreamPublisher {
  publish(subject: string, data: Uint8Array, options: { msgId: string; headers: Record<string, string> }): Promise<PublishResult>;
  close(): Promise<void>;
}

export function createJetStreamPublisher(options: PublisherOptions): JetStreamPublisher {
  const connector = natsConnector(options);
  const ensured = new WeakMap<NatsConnection, Promise<void>>(); // the stream made sure of, once per connection

  async function ready(): Promise<NatsConnection> {
    const nc = await connector.get();
    if (options.stream) {
      let ensuring = ensured.get(nc);
      if (!ensuring) {
        ensuring = ensureStream(nc, options.stream);
        ensured.set(nc, ensuring);
        ensuring.catch(() => ensured.delete(nc)); // tried again by the next publish
      }
      await ensuring;
    }
    return nc;
  }
  // Connect (and make the stream) at once, so consumers can subscribe before the first event; if NATS cannot be
  // reached now, the first publish tries again.
  ready().catch(() => {});

  return {
    async publish(subject, data, { msgId, headers }) {
      const started = performance.now();
      const failed = (outcome: 'retryable' | 'refused', reason: string): PublishResult =>
        ({ outcome, reason, latencyMs: performance.now() - started });
      let nc: NatsConnection | undefined;
      try {
        nc = await ready();
        const h = natsHeaders();
        for (const [k, v] of Object.entries(headers)) h.set(k, v);
        const ack = await jetstream(nc).publish(subject, data, { msgID: msgId, headers: h, timeout: options.timeoutMs });
        return { outcome: 'stored', stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate, latencyMs: performance.now() - started };
      } catch (error) {
        if (noStream(error)) {
          if (!options.stream) return failed('retryable', `no JetStream stream takes subject ${subject}: an operator must create one`);
          // Deleted since it was made sure of: made again on the next attempt.
          if (nc) ensured.delete(nc);
          return failed('retryable', `no JetStream stream takes subject ${subject}: stream ${options.stream.name} is made again on the next attempt`);
        }
        if (error instanceof InvalidArgumentError) return failed('refused', `NATS will not take this message: ${error.message}`);
        if (error instanceof TimeoutError) return failed('retryable', `no PubAck within ${options.timeoutMs} ms`);
        if (error instanceof JetStreamApiError) return failed('retryable', `JetStream error ${error.code}: ${error.message}`);
        return failed('retryable', `${(error as Error).name}: ${(error as Error).message}`);
      }
    },
    close: () => connector.close(),
  };
}

/** Nothing answered on the subject: no stream captures it (the client reports this as "jetstream is not enabled"). */
function noStream(error: unknown): boolean {
  const noResponders = (e: unknown) => e instanceof RequestError && e.isNoResponders();
  return noResponders(error) || noResponders((error as Error).cause);
}

/**
 * Creates the stream when it is missing (file storage, the given duplicate window), or adds the subjects it lacks.
 * An existing stream's other settings are the operator's and are left alone.
 */
async function ensureStream(nc: NatsConnection, spec: StreamSpec): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    const info = await jsm.streams.info(spec.name);
    const missing = spec.subjects.filter((s) => !info.config.subjects.includes(s));
    if (missing.length > 0) await jsm.streams.update(spec.name, { subjects: [...info.config.subjects, ...missing] });
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({ name: spec.name, subjects: spec.subjects, storage: StorageType.File, duplicate_window: nanos(spec.duplicateWindowMs) });
  }
}
