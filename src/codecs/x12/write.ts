// Writing interchanges with node-x12: it pads the fixed-width ISA and counts the trailers (SE01, GE01, IEA01), so a
// partner's translator accepts what Tendon sends. Tendon always writes with `*` `~` `:` and, from 00501, `^`.
import { X12Interchange, X12SerializationOptions, type X12Transaction } from 'node-x12';

export const DELIMITERS = { element: '*', segment: '~', component: ':', repetition: '^' } as const;
const OPTIONS = new X12SerializationOptions({
  elementDelimiter: DELIMITERS.element, segmentTerminator: DELIMITERS.segment, subElementDelimiter: DELIMITERS.component,
  repetitionDelimiter: DELIMITERS.repetition, endOfLine: '\n', format: true,
});

/** Who sends to whom, and under which interchange control number (ISA13). */
export interface InterchangeHeader {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA12: 00401 or 00501. */
  version: '00401' | '00501';
  usage: 'P' | 'T';
  controlNumber: number;
  /** ISO 8601; its date and time digits are written as they stand (the sender's local time when it has an offset). */
  now: string;
}

/**
 * A value as one data element. X12 has no escape character: a delimiter inside data would split it, so delimiters
 * and line ends become (single) spaces; `max` is the element's maximum length.
 */
export function clean(value: string, max = 80): string {
  return value.replace(/[*~:^\s]+/g, ' ').trim().slice(0, max).trim();
}

export function stamp(now: string): { yymmdd: string; ccyymmdd: string; hhmm: string } {
  const m = /^(\d{2})(\d{2})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(now);
  if (!m) throw new TypeError(`"${now}" is not an ISO 8601 date-time`);
  return { yymmdd: `${m[2]}${m[3]}${m[4]}`, ccyymmdd: `${m[1]}${m[2]}${m[3]}${m[4]}`, hhmm: `${m[5]}${m[6]}` };
}

export function interchangeOf(h: InterchangeHeader): X12Interchange {
  const { yymmdd, hhmm } = stamp(h.now);
  const interchange = new X12Interchange(OPTIONS);
  interchange.setHeader([
    '00', '', '00', '', h.senderQualifier, clean(h.senderId, 15), h.receiverQualifier, clean(h.receiverId, 15), yymmdd, hhmm,
    h.version === '00501' ? DELIMITERS.repetition : 'U', h.version, String(h.controlNumber), '0', h.usage, DELIMITERS.component,
  ]);
  return interchange;
}

/** Adds a segment without trailing empty elements (X12 forbids trailing separators). */
export function add(transaction: X12Transaction, tag: string, ...elements: string[]): void {
  let end = elements.length;
  while (end > 0 && elements[end - 1] === '') end--;
  transaction.addSegment(tag, elements.slice(0, end));
}

/**
 * The interchange as text, one segment per line. `ta1` is an interchange-level segment, which node-x12's model has
 * no place for: it goes right after the ISA (fixed width, so its end is known), before any group.
 */
export function render(interchange: X12Interchange, ta1?: string[]): string {
  const text = `${interchange.toString()}\n`;
  if (!ta1) return text;
  const isaEnd = 106 + 1; // the ISA and its line end
  return `${text.slice(0, isaEnd)}TA1${DELIMITERS.element}${ta1.join(DELIMITERS.element)}${DELIMITERS.segment}\n${text.slice(isaEnd)}`;
}
