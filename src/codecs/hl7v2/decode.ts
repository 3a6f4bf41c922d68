// HL7 v2 text → canonical events, or the error to answer with. The order of the checks is the order of the
// answers: not HL7 at all (AR), a message type or version Tendon does not take (AR), then anything that stops the
// message from becoming events (AE). Every failure is a value: nothing a sender writes can make this throw.
import { Hl7Context, Hl7Message } from '@medplum/core';
import { decodeDft } from './dft.ts';
import { isoDateTime, text } from './fields.ts';
import { decodeMfn } from './mfn.ts';
import { Hl7Failure, withDefaults, type Hl7Decoded, type Hl7Header, type Hl7Options } from './types.ts';

const BATCH_ENVELOPE = /^(?:FHS|BHS|BTS|FTS)/;

/** A message's bytes as text: in the character set MSH-18 names, else UTF-8 (ASCII is a subset). */
export function textOf(payload: Uint8Array): string {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const head = bytes.subarray(0, 512).toString('latin1');
  return /^MSH.*\|(8859\/1|ISO[-_ ]?8859-?1|ISO IR100)\b/im.test(head) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * A text that may hold several messages (a file with FHS/BHS…BTS/FTS, or messages separated by blank lines) →
 * one text per message, its segments joined by CR. Line ends may be CR, LF or CRLF; MLLP framing bytes and
 * surrounding whitespace are dropped. Lines before the first MSH are returned as their own text, so they are
 * answered (AR) rather than silently lost.
 */
export function splitBatch(text: string): string[] {
  const messages: string[][] = [];
  let current: string[] | null = null;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const segment = line.replace(/[\x0b\x1c]/g, '').trim();
    if (segment === '') continue; // a blank line separates nothing by itself: only an MSH starts a message
    if (BATCH_ENVELOPE.test(segment)) {
      current = null;
      continue;
    }
    if (segment.startsWith('MSH') || current === null) messages.push((current = []));
    current.push(segment);
  }
  return messages.map((segments) => segments.join('\r'));
}

/** The delimiters of MSH-1/MSH-2 must be five distinct punctuation characters, or nothing can be split safely. */
export function contextOf(text: string): Hl7Context | null {
  const [fs, cs, rs, esc, ss] = [3, 4, 5, 6, 7].map((i) => text.charAt(i));
  const chars = [fs, cs, rs, esc, ss];
  if (chars.some((c) => c === '' || /[\p{L}\p{N}\s]/u.test(c!)) || new Set(chars).size !== 5) return null;
  // MSH-2 is those four characters, or five with v2.7's truncation character (#), then MSH-1 again.
  const next = text.charAt(8);
  const truncation = next !== '' && !/[\p{L}\p{N}\s]/u.test(next) && !chars.includes(next) && text.charAt(9) === fs;
  if (next !== '' && next !== fs && !truncation) return null;
  return new Hl7Context('\r', fs, cs, rs, esc, ss);
}

/** Parses one message with medplum once its delimiters are known to be sound; null when it is not HL7. */
export function parseMessage(text: string): Hl7Message | null {
  if (!text.startsWith('MSH')) return null;
  const context = contextOf(text);
  if (!context) return null;
  const parsed = Hl7Message.parse(text);
  // medplum reads the same five characters; rebuilding with our context keeps one source of truth for them.
  return new Hl7Message(parsed.segments, context);
}

export function readHeader(message: Hl7Message, defaultOffset: string): Hl7Header {
  const msh = message.header;
  const hd = (field: number) => text(msh, field, 1) ?? text(msh, field, 2) ?? '';
  return {
    fieldSeparator: message.context.fieldSeparator,
    encodingCharacters: msh.fields[1]?.toString() ?? '',
    sendingApplication: hd(3),
    sendingFacility: hd(4),
    receivingApplication: hd(5),
    receivingFacility: hd(6),
    timestamp: isoDateTime(text(msh, 7), defaultOffset),
    messageCode: (text(msh, 9, 1) ?? '').toUpperCase(),
    triggerEvent: (text(msh, 9, 2) ?? '').toUpperCase(),
    controlId: text(msh, 10) ?? '',
    processingId: text(msh, 11) ?? '',
    version: text(msh, 12) ?? '',
    acceptAckType: (text(msh, 15) ?? '').toUpperCase(),
    applicationAckType: (text(msh, 16) ?? '').toUpperCase(),
  };
}

const SUPPORTED: Record<string, { triggers: string[]; decode: typeof decodeDft }> = {
  DFT: { triggers: ['P03', 'P11'], decode: decodeDft },
  MFN: { triggers: ['M16'], decode: decodeMfn },
};
const VERSION = /^2\.[3-9](?:\.\d{1,2})?$/;

/** The checks that reject a message as a whole (AR), before any of its content is read. */
function rejection(header: Hl7Header): Hl7Failure | null {
  const type = `${header.messageCode}_${header.triggerEvent}`.slice(0, 24);
  const supported = Object.hasOwn(SUPPORTED, header.messageCode) ? SUPPORTED[header.messageCode] : undefined;
  const at = { segment: 'MSH', sequence: 1, field: 9 };
  if (!supported) return new Hl7Failure('200', `message type ${type} is not taken: Tendon takes DFT_P03, DFT_P11 and MFN_M16`, at);
  if (!supported.triggers.includes(header.triggerEvent)) return new Hl7Failure('201', `event ${type} is not taken`, at);
  if (!VERSION.test(header.version)) {
    const version = header.version.slice(0, 20);
    return new Hl7Failure('203', `version "${version}" is not taken: 2.3 to 2.9`, { segment: 'MSH', sequence: 1, field: 12 });
  }
  return null;
}

export function decodeHl7(text: string, options: Partial<Hl7Options> = {}): Hl7Decoded {
  let header: Hl7Header | null = null;
  try {
    const opts = withDefaults(options);
    const texts = splitBatch(String(text));
    const message = texts[0] === undefined ? null : parseMessage(texts[0]);
    if (!message) {
      const error = { code: '100' as const, message: 'not an HL7 v2 message: it does not start with a readable MSH segment' };
      return { ok: false, header: null, ack: 'AR', error };
    }
    header = readHeader(message, opts.defaultOffset);
    const rejected = rejection(header);
    if (rejected) return { ok: false, header, ack: 'AR', error: rejected.info };
    if (texts.length > 1) throw new Hl7Failure('100', `the text holds ${texts.length} messages: split a batch first (splitBatch)`);
    if (!header.controlId) {
      throw new Hl7Failure('101', 'MSH-10 message control id is missing', { segment: 'MSH', sequence: 1, field: 10 });
    }
    const events = SUPPORTED[header.messageCode]!.decode(message, header, opts);
    return { ok: true, header, events };
  } catch (error) {
    if (error instanceof Hl7Failure) return { ok: false, header, ack: 'AE', error: error.info };
    // A bug of ours, not the sender's: answered AE so the sender can retry once it is fixed, never thrown.
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, header, ack: 'AE', error: { code: '207', message: `internal error: ${detail.slice(0, 200)}` } };
  }
}
