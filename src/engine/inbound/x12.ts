// X12 from suppliers, inbound: the X12 codec (pure) + the pipeline (one transaction), over HTTP (POST
// /v1/x12/{name}, route in src/api/routes/x12.ts) or a watched folder (channels/folder). The answer goes back only
// after the commit:
//  - documents with at least one accepted transaction set: their events are committed, then the 997/999 (one per
//    functional group; sets it could not take are rejected in it with AK3/AK4, and make no event);
//  - every set rejected: the interchange is kept as a refused message (GET /v1/messages/refused), then the 997/999;
//  - an envelope Tendon cannot trust: kept as refused, then a TA1, and nothing else is taken;
//  - a partner's 997/999/TA1 about Tendon's 850s: stored with the interchange, then matched to the 850 it answers
//    (engine/partner-acks.ts; a refusal rejects that delivery), never answered.
// The answer's own interchange control number comes from a never-reused sequence, taken in a write queued beside
// the interchange's (the store's group commit normally makes them one commit); both are durable before the answer
// is sent. A duplicate interchange (same sender, ISA13, GS06, ST02) makes the same idempotency keys: it is
// answered as the first was, with no new effect.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startFolderWatcher } from '../../channels/folder/watcher.ts';
import { writeFileAtomic } from '../../channels/folder/files.ts';
import { answerControlCount, decodeX12, encodeAnswer, supplierOf, X12_CONTENT_TYPE, type X12Decoded, type X12Options } from '../../codecs/x12/index.ts';
import type { X12InboundConfig } from '../../config/schema.ts';
import { invalid } from '../../core/errors.ts';
import type { Store } from '../../store/store.ts';
import type { Metrics } from '../metrics.ts';
import type { PartnerAcks } from '../partner-acks.ts';
import type { Pipeline } from '../pipeline.ts';
import type { InboundDeps, RunningInbound } from './index.ts';

/** The channel an inbound X12 channel's messages are stored under, and reprocessed by. */
export const x12Channel = (name: string): string => `x12:${name}`;

export interface X12Receipt {
  /** accepted: events (or a partner's acknowledgments) committed; rejected: every set refused (997/999 R); refused: TA1. */
  outcome: 'accepted' | 'rejected' | 'refused';
  /** Every event it carried was already known: no new effect. */
  duplicate: boolean;
  /** The interchange to send back (997/999, TA1), or null when there is nothing to say. */
  answer: string | null;
}

const optionsOf = (cfg: X12InboundConfig): X12Options => ({ partners: cfg.partners, facility: cfg.facility, defaultOffset: cfg.defaultOffset });

export function createX12Receiver(cfg: X12InboundConfig, deps: { pipeline: Pipeline; metrics: Metrics; store: Store; acks: PartnerAcks; log?: Logger | undefined }) {
  const channel = x12Channel(cfg.name);
  const options = optionsOf(cfg);
  /** Control numbers for the answer, from a counter of this channel's answers; committed with the interchange. */
  const controlNumbers = (count: number) => deps.store.write(async (tx) => {
    const numbers: number[] = [];
    for (let i = 0; i < count; i++) numbers.push(await tx.nextSequence(`x12:ack:${cfg.name}`));
    return numbers;
  });
  const answerTo = (decoded: X12Decoded, numbers: number[]) => encodeAnswer(decoded.answer, decoded.header, { numbers, now: new Date().toISOString() });

  return {
    channel,
    async receive(raw: Buffer): Promise<X12Receipt> {
      const started = performance.now();
      const decoded = decodeX12(raw, options);
      const sender = decoded.header?.sender;
      const received = {
        channel, sourceSystem: sender ? supplierOf(cfg.partners, sender) : 'unknown',
        sourceId: decoded.header?.controlNumber ?? null, contentType: X12_CONTENT_TYPE, raw,
      };
      // Queued in the same turn as the interchange's write below, so the group commit normally takes both at once.
      const numbers = controlNumbers(answerControlCount(decoded.answer));
      if (!decoded.ok) {
        await Promise.all([deps.pipeline.refuse(received, `TA1 ${decoded.error.note}: ${decoded.error.message}`), numbers]);
        deps.metrics.messagesIn.inc({ channel: cfg.name, result: 'TA1' });
        deps.log?.warn({ channel, sender, isa13: received.sourceId, note: decoded.error.note }, `X12 interchange refused: ${decoded.error.message}`);
        return { outcome: 'refused', duplicate: false, answer: answerTo(decoded, await numbers) };
      }
      const taken = decoded.kind === 'acknowledgment' || decoded.answer.groups.some((g) => g.sets.some((s) => s.accepted));
      if (!taken) {
        await Promise.all([deps.pipeline.refuse(received, `997/999 R: ${decoded.rejections.join('; ').slice(0, 2000)}`), numbers]);
        deps.metrics.messagesIn.inc({ channel: cfg.name, result: 'rejected' });
        deps.log?.warn({ channel, sender, isa13: received.sourceId, rejections: decoded.rejections.slice(0, 20) }, 'X12 interchange rejected');
        return { outcome: 'rejected', duplicate: false, answer: answerTo(decoded, await numbers) };
      }
      const [results] = await Promise.all([deps.pipeline.ingest({ ...received, events: decoded.events }), numbers]);
      for (const [i, r] of results.entries()) deps.metrics.eventsIn.inc({ type: decoded.events[i]!.type, result: r.duplicate ? 'duplicate' : r.status });
      const duplicate = results.length > 0 && results.every((r) => r.duplicate);
      deps.metrics.messagesIn.inc({ channel: cfg.name, result: duplicate ? 'duplicate' : decoded.kind === 'acknowledgment' ? 'acknowledgment' : 'accepted' });
      deps.metrics.ingestLatency.observe({ channel: cfg.name }, (performance.now() - started) / 1000);
      if (decoded.rejections.length > 0) deps.log?.warn({ channel, sender, isa13: received.sourceId, rejections: decoded.rejections.slice(0, 20) }, 'X12 transaction sets rejected');
      if (decoded.received.length > 0 && sender) await deps.acks(sender, decoded.received);
      return { outcome: 'accepted', duplicate, answer: answerTo(decoded, await numbers) };
    },
  };
}
export type X12Receiver = ReturnType<typeof createX12Receiver>;

/**
 * Registers the channel's decoder for reprocessing, and watches its folder when it has one: each file is one
 * interchange, answered with a file of the same name plus `.ack.edi` in the ack folder; refused files (TA1, or every
 * set rejected) go to the error folder.
 */
export async function startX12Inbound(cfg: X12InboundConfig, deps: InboundDeps): Promise<RunningInbound> {
  const options = optionsOf(cfg);
  deps.decoders.register(x12Channel(cfg.name), (raw) => {
    const decoded = decodeX12(Buffer.from(raw), options);
    if (!decoded.ok) throw invalid(`TA1 ${decoded.error.note}: ${decoded.error.message}`);
    return decoded.events;
  });
  if (!cfg.folder) return { close: async () => {} };
  const folder = cfg.folder;
  const ackDir = folder.ackDir ?? join(folder.path, 'ack');
  const receiver = createX12Receiver(cfg, deps);
  await mkdir(ackDir, { recursive: true });
  const watcher = await startFolderWatcher(folder, {
    async file({ name, bytes }) {
      const receipt = await receiver.receive(bytes);
      if (receipt.answer) await writeFileAtomic(ackDir, `${name}.ack.edi`, receipt.answer);
      return { result: receipt.outcome === 'accepted' ? 'success' : 'error' };
    },
    async oversized({ name, size }) {
      deps.log.warn({ channel: receiver.channel, file: name, size }, 'X12 file over maxFileBytes: not read, moved to the error folder');
      return { result: 'error', report: { suffix: '.error.txt', content: `${size} bytes is over this channel's maxFileBytes of ${folder.maxFileBytes}\n` } };
    },
    failed(error, name) {
      deps.log.warn({ channel: receiver.channel, file: name, err: error.message }, 'X12 file not processed; it stays in the inbox and is tried again');
    },
  });
  return { close: () => watcher.close() };
}
