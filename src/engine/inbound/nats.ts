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
import type { InboundEventT } from '../../model/events.ts';
import { decodeJson } from '../decoders.ts';
import type { InboundDeps, RunningInbound } from './index.ts';

export async function startNatsInbound(cfg: NatsInboundConfig, deps: InboundDeps): Promise<RunningInbound> {
  const channel = `nats:${cfg.name}`;
  deps.decoders.register(channel, decodeJson);

  async function receive(m: PulledMessage): Promise<'ack' | 'term'> {
    const started = performance.now();
    const received = { channel, sourceId: m.msgId ?? `${cfg.stream}:${m.seq}`, contentType: 'application/json', raw: m.data };
    const read = readEvents(m.data);
    if (!read.ok) {
      await deps.pipeline.refuse({ ...received, sourceSystem: 'unknown' }, `${read.error} (subject ${m.subject}, stream sequence ${m.seq})`);
      deps.metrics.messagesIn.inc({ channel: 'nats', result: 'refused' });
      return 'term';
    }
    const results = await deps.pipeline.ingest({ ...received, sourceSystem: read.events[0]!.source.system, events: read.events });
    for (const [i, r] of results.entries()) {
      deps.metrics.eventsIn.inc({ type: read.events[i]!.type, result: r.duplicate ? 'duplicate' : r.status });
    }
    deps.metrics.messagesIn.inc({ channel: 'nats', result: 'accepted' });
    deps.metrics.ingestLatency.observe({ channel: 'nats' }, (performance.now() - started) / 1000);
    return 'ack';
  }

  const consumer = startJetStreamConsumer(
    { ...cfg, name: `tendon:${channel}` }, receive,
    (problem, error) => deps.log.warn({ channel, err: error?.message }, problem),
  );
  return { close: () => consumer.stop() };
}

/** A message's bytes → its events, or why they can never be read (each invalid field named). Bad input never throws. */
export function readEvents(data: Uint8Array): { ok: true; events: InboundEventT[] } | { ok: false; error: string } {
  try {
    return { ok: true, events: decodeJson(data, { sourceSystem: 'unknown' }) };
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, error: `not JSON: ${error.message}` };
    if (error instanceof TendonError) {
      const fields = error.issues.slice(0, 20).map((i) => `${i.path} ${i.message}`).join('; ');
      return { ok: false, error: fields ? `${error.message}: ${fields}` : error.message };
    }
    throw error;
  }
}
