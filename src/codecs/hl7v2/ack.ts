// The acknowledgments for one inbound message, in the sender's own delimiters. Original mode: one ACK with
// AA/AE/AR. Enhanced mode (MSH-15 filled): an accept ACK (CA/CE/CR) and an application ACK (AA/AE/AR), each sent
// only when MSH-15/MSH-16 ask for it (AL always, NE never, ER on error only, SU on success only).
// medplum's Hl7Message.buildAck reads the wall clock and makes up its own control id, and Tendon's acknowledgments
// must be pure (time and id come in), so the segments are built here. They are joined as strings: every value is
// escaped first, so medplum's Hl7Segment would only split each field and join it again, and an ACK is built for
// every message received (that round trip was a twentieth of an HL7 ingest's CPU).
import { Hl7Context } from '@medplum/core';
import { DEFAULT_CONTEXT, escapeHl7, hl7DateTime } from './fields.ts';
import { HL7_ERROR_TEXT, type Hl7Error, type Hl7Header } from './types.ts';

export type AckCode = 'AA' | 'AE' | 'AR';

export interface AckOutcome {
  code: AckCode;
  error?: Hl7Error | undefined;
}

export interface AckContext {
  /** MSH-10 of the (first) acknowledgment; a second one in enhanced mode gets this with `-A` appended. */
  controlId: string;
  /** ISO 8601 with offset: MSH-7. */
  now: string;
  /** Tendon's application name as the sender knows it (MSH-3 of the answer). */
  receivingApplication: string;
  /** Tendon's facility (MSH-4 of the answer); defaults to the inbound MSH-6 the sender addressed. */
  receivingFacility?: string | undefined;
}

const ACCEPT_CODES = { AA: 'CA', AE: 'CE', AR: 'CR' } as const;
/** Table 0155. Enhanced mode needs one of these in MSH-15; anything else there (a shifted field) is original mode. */
const ACK_TYPES = new Set(['AL', 'NE', 'ER', 'SU']);
const FALLBACK_VERSION = '2.5';

/** Does an MSH-15/16 value ask for an acknowledgment with this outcome? Unknown values are answered (safer). */
function asksFor(type: string, success: boolean): boolean {
  switch (type) {
    case 'NE': return false;
    case 'ER': return !success;
    case 'SU': return success;
    default: return true;
  }
}

/** The delimiters of the inbound message, so the sender can read its answer as it reads its own messages. */
function contextOf(header: Hl7Header | null): Hl7Context {
  const chars = header ? header.encodingCharacters : '';
  if (!header || chars.length < 4) return DEFAULT_CONTEXT;
  return new Hl7Context('\r', header.fieldSeparator, chars[0], chars[1], chars[2], chars[3]);
}

export function buildAcks(header: Hl7Header | null, outcome: AckOutcome, ctx: AckContext): string[] {
  const success = outcome.code === 'AA';
  if (!header || !ACK_TYPES.has(header.acceptAckType)) return [ack(header, outcome.code, outcome.error, ctx, ctx.controlId)];
  const frames: string[] = [];
  if (asksFor(header.acceptAckType, success)) frames.push(ack(header, ACCEPT_CODES[outcome.code], outcome.error, ctx, ctx.controlId));
  if (header.applicationAckType && asksFor(header.applicationAckType, success)) {
    const controlId = frames.length === 0 ? ctx.controlId : `${ctx.controlId}-A`;
    frames.push(ack(header, outcome.code, outcome.error, ctx, controlId));
  }
  return frames;
}

function ack(header: Hl7Header | null, code: string, error: Hl7Error | undefined, ctx: AckContext, controlId: string): string {
  const c = contextOf(header);
  const e = (value: string) => escapeHl7(value, c);
  const components = (...values: string[]) => {
    const parts = values.map(e);
    while (parts.length > 1 && parts.at(-1) === '') parts.pop();
    return parts.join(c.componentSeparator);
  };
  const version = header && /^\d\.\d{1,2}(?:\.\d{1,2})?$/.test(header.version) ? header.version : FALLBACK_VERSION;
  const trigger = header?.triggerEvent && /^[A-Z0-9]{3}$/.test(header.triggerEvent) ? header.triggerEvent : '';
  const segments = [
    [
      'MSH', c.getMsh2(), e(ctx.receivingApplication), e(ctx.receivingFacility ?? header?.receivingFacility ?? ''),
      e(header?.sendingApplication ?? ''), e(header?.sendingFacility ?? ''), hl7DateTime(ctx.now), '',
      trigger ? components('ACK', trigger, 'ACK') : 'ACK', e(controlId), e(header?.processingId || 'P'), version,
    ],
    ['MSA', code, e(header?.controlId ?? ''), ...(error ? [e(error.message)] : [])],
  ];
  if (error) segments.push(errSegment(error, version, c, components));
  return segments.map((fields) => fields.join(c.fieldSeparator) + c.segmentSeparator).join('');
}

/**
 * ERR-2 location (SEG^sequence^field), ERR-3 the 0357 code and its table text, ERR-4 severity E, ERR-8 the detail
 * for a person. Before v2.5 receivers read ERR-1 (SEG^sequence^field^code&text&HL70357) instead, so it is filled too.
 */
function errSegment(error: Hl7Error, version: string, c: Hl7Context, components: (...values: string[]) => string): string[] {
  const where = error.location;
  const erl = where ? components(where.segment, String(where.sequence), where.field > 0 ? String(where.field) : '') : '';
  const codeText: string = HL7_ERROR_TEXT[error.code] ?? 'Application error'; // a caller's unknown code still gets an answer
  const legacy = /^2\.[34]/.test(version)
    ? [where?.segment ?? '', where ? String(where.sequence) : '', where && where.field > 0 ? String(where.field) : '']
        .map((v) => escapeHl7(v, c))
        .concat([error.code, codeText, 'HL70357'].map((v) => escapeHl7(v, c)).join(c.subcomponentSeparator))
        .join(c.componentSeparator)
    : '';
  const code = components(error.code, codeText, 'HL70357');
  return ['ERR', legacy, erl, code, 'E', '', '', '', escapeHl7(error.message, c)];
}
