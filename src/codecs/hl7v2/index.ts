// The HL7 v2 codec: pure functions from text to canonical events and acknowledgments, and from a delivery to an
// outbound DFT or master file. No I/O and no clock: channels pass the text in, and the time and control ids too.
//
//   decodeHl7(text, options)  → { ok, header, events } | { ok: false, header, ack: 'AE' | 'AR', error }
//   textOf(bytes)             → the text, in the character set MSH-18 names
//   splitBatch(text)          → one text per message (files, FHS/BHS batches, blank-line separated)
//   buildAcks(header, outcome, ctx) → the ACK frames to send back, in order (original or enhanced mode)
//   encodeChargeDft(delivery, ctx)  → DFT^P03 for billing;  parseAckResult(text) → an ACK's or MFK's MSA
//   encodeItemMfn(body, ctx), encodeChargemasterMfn(body, ctx) → MFN^M16 / MFN^M04 for the systems keeping copies
//   maskHl7(text)             → the text with patient identity masked, for display
export { decodeHl7, splitBatch, textOf } from './decode.ts';
export { buildAcks, type AckCode, type AckContext, type AckOutcome } from './ack.ts';
export { encodeChargeDft, parseAckResult, OUTBOUND_VERSION, type AckResult, type AckResultCode, type ChargeDftContext } from './encode.ts';
export { encodeChargemasterMfn, encodeItemMfn } from './masterfiles.ts';
export { maskHl7, PHI_FIELDS } from './mask.ts';
export {
  DEFAULT_HL7_OPTIONS, HL7_ERROR_TEXT, withDefaults,
  type Hl7Decoded, type Hl7Error, type Hl7ErrorCode, type Hl7Header, type Hl7Location, type Hl7Options,
} from './types.ts';
