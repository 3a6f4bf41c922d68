// HL7 v2 over MLLP: a charge or credit becomes a DFT^P03 for billing; an item master change an MFN^M16 (EHR,
// cabinets), a chargemaster line an MFN^M04 (billing). MSH-10 is the delivery's idempotency key (the same on every
// retry); the sender waits for the ACK (an MFK for master files). AA/CA → delivered; AE/AR → the system refused it
// for a reason (rejected: an exception for the destination's owner); no ACK in time → retry. A reversal (after a
// reprocess) is a credit of the original charge's lines; master-file updates are not reversed (the next replaces).
import { EncodeError, type EncodeContext } from '../../codecs/rest/index.ts';
import {
  encodeChargeDft, encodeChargemasterMfn, encodeItemMfn, parseAckResult, type ChargeDftContext,
} from '../../codecs/hl7v2/index.ts';
import { createMllpSender } from '../../channels/mllp/outbound.ts';
import type { DestinationConfig } from '../../config/schema.ts';
import type { Delivery } from '../../core/types.ts';
import type { Outbound } from './index.ts';
import { revealedMrn } from './patient.ts';

export function createMllpOutbound(cfg: DestinationConfig): Outbound {
  const url = new URL(cfg.url);
  const sender = createMllpSender({ host: url.hostname, port: Number(url.port), connections: cfg.concurrency, timeoutMs: cfg.timeoutMs });
  return {
    async deliver(d, ctx) {
      const message = messageFor(d, ctx, cfg);
      const sent = await sender.send(message);
      if (!sent.ok) return { outcome: 'retryable', reason: sent.error, remoteRef: null, retryAfterMs: null, status: null, latencyMs: sent.latencyMs };
      const ack = parseAckResult(sent.answer);
      if (ack.controlId !== null && ack.controlId !== d.idempotencyKey) {
        return { outcome: 'retryable', reason: `ACK for ${ack.controlId}, not ${d.idempotencyKey}`, remoteRef: null, retryAfterMs: null, status: null, latencyMs: sent.latencyMs };
      }
      const outcome = ack.code === 'AA' || ack.code === 'CA' ? 'success' : ack.code === 'AE' || ack.code === 'AR' || ack.code === 'CE' || ack.code === 'CR' ? 'rejected' : 'retryable';
      return {
        outcome, reason: outcome === 'success' ? null : `${ack.code ?? 'no MSA'}${ack.reason ? `: ${ack.reason}` : ''}`,
        remoteRef: outcome === 'success' ? d.idempotencyKey : null, retryAfterMs: null, status: null, latencyMs: sent.latencyMs,
      };
    },
    close: () => sender.close(),
  };
}

const MASTER_FILE_ACTIONS = new Set(['item.master', 'chargemaster.update']);

/** The HL7 message for a delivery, by its action; EncodeError for one HL7 over MLLP has no message for. */
function messageFor(d: Delivery, ctx: EncodeContext, cfg: Pick<DestinationConfig, 'name' | 'hl7'>): string {
  const header = { controlId: d.idempotencyKey, now: new Date().toISOString(), ...cfg.hl7 };
  if (d.action === 'item.master') return encodeItemMfn(d.body, header);
  if (d.action === 'chargemaster.update') return encodeChargemasterMfn(d.body, header);
  if (d.action === 'charge.post' || d.action === 'charge.credit') return chargeDft(d.action, d.body, header, ctx, cfg);
  if (d.action === 'reverse') {
    const original = ctx.reversed;
    if (!original) throw new EncodeError('a reversal needs the delivery it reverses');
    if (MASTER_FILE_ACTIONS.has(original.action)) {
      throw new EncodeError(`master-file updates are not reversed (${original.action}); the next update replaces them`);
    }
    if (original.action !== 'charge.post') throw new EncodeError(`HL7 over MLLP reverses charges only, not ${original.action}`);
    return chargeDft('charge.credit', original.body, header, ctx, cfg);
  }
  throw new EncodeError(
    `destination ${cfg.name} (HL7 over MLLP) has no message for ${d.action}: it sends charge.post, charge.credit, item.master and chargemaster.update`,
  );
}

function chargeDft(
  action: 'charge.post' | 'charge.credit', body: Record<string, unknown>, header: Omit<ChargeDftContext, 'mrn'>,
  ctx: EncodeContext, cfg: Pick<DestinationConfig, 'hl7'>,
): string {
  return encodeChargeDft({ action, body }, {
    ...header,
    // MSH-4: the hospital the charge belongs to, so a billing system serving several books it to the right one.
    sendingFacility: String(body.facilityId ?? cfg.hl7.sendingFacility),
    mrn: revealedMrn(body, ctx.revealed),
  });
}
