// NATS JetStream, inbound: canonical JSON events (one event or an array, the body POST /v1/events takes) read
// from a stream by a durable pull consumer (channels/nats/consumer.ts) and ingested one message at a time.
//  - ingested → acked only after the commit;
//  - unreadable (not JSON, or not valid events) → refused: kept with why (GET /v1/messages/refused), then
//    terminated, so NATS never delivers it again;
//  - the store fails → the consumer hands the message back and it comes again after `retryDelayMs`.
// A redelivery of a message already committed (the hub stopped between commit and ack) carries the same events'
// idempotency keys, so it has no new effect.
import type { NatsInboundConfig } from '../../config/schema.ts';
import { startJetStreamConsumer, type PulledMessage } from '../../channels/nats/consumer.ts';
import { TendonError } from '../../core/errors.ts';
import { decodeJson } from '../decoders.ts';
import { receiveCanonical } from './canonical.ts';
import type { InboundDeps, RunningInbound } from './index.ts';

export async function startNatsInbound(cfg: NatsInboundConfig, deps: InboundDeps): Promise<RunningInbound> {
  const channel = `nats:${cfg.name}`;
  deps.decoders.register(channel, decodeJson);

  async function receive(m: PulledMessage): Promise<'ack' | 'term'> {
    try {
      await receiveCanonical(deps, { channel, sourceId: m.msgId ?? `${cfg.stream}:${m.seq}`, raw: m.data, metric: cfg.name, origin: `subject ${m.subject}, stream sequence ${m.seq}` });
      return 'ack';
    } catch (error) {
      // Refused and kept (the error names the stored message): never deliverable, so terminated. Anything else
      // (the store failed) goes back to the consumer, which hands the message back to come again.
      if (error instanceof TendonError && error.extra.messageId) return 'term';
      throw error;
    }
  }

  const consumer = startJetStreamConsumer(
    { ...cfg, name: `tendon:${channel}` }, receive,
    (problem, error) => deps.log.warn({ channel, err: error?.message }, problem),
  );
  return { close: () => consumer.stop() };
}
