// The X12 codec (004010 and 005010): pure functions between interchanges and Tendon's canonical world. No I/O and
// no clock: channels pass the bytes in, and the control numbers and the time for what Tendon writes.
//
//   decodeX12(raw, options)       → events (855, 856, 810, 832) and the answer (997/999 per group, TA1), or a TA1
//                                    for an envelope Tendon cannot trust; a partner's 997/999/TA1 → `received`
//   refuses(ack), refusalOf(ack)  → whether a partner's acknowledgment refuses, and why, in a line
//   encodeAnswer(answer, header, control) → that answer as an interchange (answerControlCount: numbers it needs)
//   encode850(order, envelope, purpose) → a purchase order (or its cancellation) for a supplier
//   maskX12(raw)                  → the interchange for display, anything that may carry PHI masked
/** The media type of X12 interchanges (RFC 1767), on the wire and on stored messages. */
export const X12_CONTENT_TYPE = 'application/edi-x12';

export { decodeX12, supplierOf, textOf } from './decode.ts';
export { answerControlCount, encodeAnswer, type AnswerControl } from './ack.ts';
export { encode850, MAX_CONTROL, type PurchaseOrder, type X12Envelope } from './encode.ts';
export { maskX12 } from './mask.ts';
export { refusalOf, refuses } from './received-ack.ts';
export {
  DEFAULT_OFFSET, ELEMENT_ERRORS, GROUP_ERRORS, SEGMENT_ERRORS, SET_ERRORS, TA1_NOTES,
  type GroupAnswer, type ReceivedAck, type SetAnswer, type Ta1Note, type X12Answer, type X12Decoded, type X12Header, type X12Options,
} from './types.ts';
