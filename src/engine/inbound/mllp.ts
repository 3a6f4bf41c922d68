// HL7 v2 over MLLP, inbound: the MLLP listener (transport) + the HL7 v2 codec (pure) + the pipeline (one
// transaction). The ACK goes back only after the commit: AA (CA in enhanced mode) when the message's events are
// stored — even when a business problem holds one — AE/AR when it cannot be turned into events at all, and then
// the message is kept with its error. A duplicate (same sending facility and MSH-10) is answered AA: its events'
// idempotency keys are built from exactly those, so it has no new effect. Messages are decoded on a thread of
// their own (hl7-decoder.ts).
import type { Logger } from 'pino';
import { buildAcks, decodeHl7, textOf, withDefaults, type Hl7Header } from '../../codecs/hl7v2/index.ts';
import { startMllpListener, type MllpListener } from '../../channels/mllp/inbound.ts';
import type { MllpInboundConfig } from '../../config/schema.ts';
import { newId } from '../../core/ids.ts';
import type { Metrics } from '../metrics.ts';
import type { Pipeline } from '../pipeline.ts';
import type { Decoders } from '../decoders.ts';
import { invalid } from '../../core/errors.ts';
import { startHl7Decoder } from './hl7-decoder.ts';

export const HL7_CONTENT_TYPE = 'application/hl7-v2';
const APPLICATION = 'TENDON';

export async function startMllpInbound(
  cfg: MllpInboundConfig,
  deps: { pipeline: Pipeline; metrics: Metrics; log: Logger; decoders: Decoders },
): Promise<MllpListener> {
  const options = withDefaults(cfg.hl7);
  const channel = `mllp:${cfg.name}`;
  // Reprocessing reads a stored message again with this channel's options.
  deps.decoders.register(channel, (raw) => {
    const decoded = decodeHl7(textOf(raw), options);
    if (!decoded.ok) throw invalid(`${decoded.ack} ${decoded.error.code}: ${decoded.error.message}`);
    return decoded.events;
  });
  const answer = (header: Hl7Header | null, outcome: Parameters<typeof buildAcks>[1]) =>
    buildAcks(header, outcome, { controlId: newId(), now: new Date().toISOString(), receivingApplication: APPLICATION });

  const decoder = startHl7Decoder(options);
  // Bound once: prom-client hashes a label set on every call otherwise, and these two are counted per message.
  const acceptedMessages = deps.metrics.messagesIn.labels({ channel: cfg.name, result: 'AA' });
  const ingestLatency = deps.metrics.ingestLatency.labels({ channel: cfg.name });
  const listener = await startMllpListener(cfg, {
    async message(payload) {
      const started = performance.now();
      const decoded = await decoder.decode(payload);
      const received = {
        channel, sourceSystem: decoded.header?.sendingApplication || 'unknown', sourceId: decoded.header?.controlId || null,
        contentType: HL7_CONTENT_TYPE, raw: payload, receivedAt: started,
      };
      if (!decoded.ok) {
        await deps.pipeline.refuse(received, `${decoded.ack} ${decoded.error.code}: ${decoded.error.message}`);
        deps.metrics.messagesIn.inc({ channel: cfg.name, result: decoded.ack });
        return answer(decoded.header, { code: decoded.ack, error: decoded.error });
      }
      const results = await deps.pipeline.ingest({ ...received, events: decoded.events });
      for (const [i, r] of results.entries()) {
        deps.metrics.eventsIn.inc({ type: decoded.events[i]!.type, result: r.duplicate ? 'duplicate' : r.status });
      }
      acceptedMessages.inc();
      ingestLatency.observe((performance.now() - started) / 1000);
      return answer(decoded.header, { code: 'AA' });
    },
    oversized(bytes, peer) {
      deps.log.warn({ channel, peer, bytes }, 'MLLP frame over the size limit refused; its bytes were not kept');
      deps.metrics.messagesIn.inc({ channel: cfg.name, result: 'AR' });
      return answer(null, { code: 'AR', error: { code: '207', message: `message of ${bytes} bytes is over the limit of ${cfg.maxFrameBytes}` } });
    },
    error(error, peer) {
      deps.log.warn({ channel, peer, err: error.message }, 'MLLP connection error; unanswered messages will be sent again');
    },
  });
  return {
    ...listener,
    async close() {
      await listener.close(); // every message received is answered first
      await decoder.close();
    },
  };
}
