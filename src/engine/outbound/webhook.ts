// Signed webhooks, outbound (analytics): each accepted canonical event is POSTed as JSON to the destination's URL,
// signed with its secret (Tendon-Signature, security/signature.ts) over the exact bytes sent, with the delivery's
// key as Idempotency-Key so the receiver can drop a retry. A reversal (after a reprocess) publishes the same event
// again with `"retracted": true`. Answers are classified as for REST destinations.
import { createHttpOutbound } from '../../channels/http/outbound.ts';
import { EncodeError, type EncodeContext } from '../../codecs/rest/index.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Delivery } from '../../core/types.ts';
import { SIGNATURE_HEADER, signatureHeader } from '../../security/signature.ts';
import type { Outbound } from './index.ts';
import { publishedEvent } from './published.ts';

export function createWebhookOutbound(cfg: DestinationConfig): Outbound {
  const secret = cfg.webhook?.secret;
  if (!secret) throw new Error(`destination ${cfg.name}: a webhook needs webhook.secret`); // the config schema refuses this first
  const transport = createHttpOutbound(cfg.url, {
    connections: cfg.concurrency, timeoutMs: cfg.timeoutMs,
    // Signed when sent, so each attempt's timestamp is fresh and within the receiver's tolerance.
    headers: (body) => ({ [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), body) }),
  });
  return {
    async deliver(d, ctx) {
      const event = publishedEvent(d, ctx);
      const sent = await transport.send({ method: 'POST', path: '', json: event }, d.idempotencyKey);
      // Receivers rarely answer with an id; the event's own id names what was published, and a delivered effect
      // needs a reference, or a later retraction would be skipped as "nothing to undo".
      return sent.outcome === 'success' ? { ...sent, remoteRef: sent.remoteRef ?? String(event.id ?? d.eventId) } : sent;
    },
    close: () => transport.close(),
  };
}
