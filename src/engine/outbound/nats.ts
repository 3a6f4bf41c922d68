// Analytics over NATS JetStream: each accepted canonical event is published, as the JSON object it is stored as
// (PHI only as tokens), to `<prefix>.<type>.<facility>`. `Nats-Msg-Id` is the delivery's idempotency key, the same
// on every retry and redelivery, so JetStream drops a second publish within the stream's duplicate window. A PubAck
// means delivered; no PubAck in time, a dropped connection or no stream for the subject means a retry. A reversal
// (after a reprocess) publishes the reversed event again with `"retracted": true`, on the same subject.
import { EncodeError, type EncodeContext } from '../../codecs/rest/index.ts';
import { createJetStreamPublisher } from '../../channels/nats/publisher.ts';
import { eventSubject } from '../../channels/nats/subjects.ts';
import { NatsPublishing, type DestinationConfig } from '../../config/schema.ts';
import type { Delivery } from '../../core/types.ts';
import type { Outbound } from './index.ts';
import { publishedEvent } from './published.ts';

export function createNatsOutbound(cfg: DestinationConfig): Outbound {
  const nats = cfg.nats ?? NatsPublishing.parse({});
  const publisher = createJetStreamPublisher({
    url: cfg.url, name: `tendon:${cfg.name}`, timeoutMs: cfg.timeoutMs,
    stream: nats.createStream
      ? { name: nats.stream, subjects: [`${nats.subjectPrefix}.>`], duplicateWindowMs: nats.duplicateWindowSeconds * 1000 }
      : null,
  });
  return {
    async deliver(d, ctx) {
      const event = publishedEvent(d, ctx);
      const subject = eventSubject(nats.subjectPrefix, event.type, event.facility);
      const sent = await publisher.publish(subject, Buffer.from(JSON.stringify(event)), {
        msgId: d.idempotencyKey,
        headers: { 'Content-Type': 'application/json', 'Tendon-Event-Type': event.type, 'Tendon-Correlation-Id': event.correlationId },
      });
      if (sent.outcome !== 'stored') {
        const outcome = sent.outcome === 'refused' ? 'rejected' : 'retryable';
        return { outcome, reason: sent.reason, remoteRef: null, retryAfterMs: null, status: null, latencyMs: sent.latencyMs };
      }
      // A duplicate PubAck names the message stored the first time: the same reference either way.
      return { outcome: 'success', reason: null, remoteRef: `${sent.stream}:${sent.seq}`, retryAfterMs: null, status: null, latencyMs: sent.latencyMs };
    },
    close: () => publisher.close(),
  };
}
