// A message for display (console, logs, exception details) with the patient's identity replaced by ***. Only the
// identifying fields go; the structure, line ends and every operational field stay, so a person can still see why
// a message failed. Errs towards masking: a text it cannot read is masked whole.
import { Hl7Segment, type Hl7Context } from '@medplum/core';
import { contextOf } from './decode.ts';
import { DEFAULT_CONTEXT, hasValue } from './fields.ts';

export const MASK = '***';

/** Identifying fields by segment (names, identifiers, birth dates, addresses, phones, accounts, SSNs), or all. */
export const PHI_FIELDS: Readonly<Record<string, readonly number[] | 'all'>> = {
  PID: [2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 18, 19, 20, 21],
  PV1: [19], // visit number: an account number is an identifier too
  MRG: [1, 2, 3, 4, 5, 6, 7], // prior identifiers and name
  NK1: [2, 4, 5, 6, 30, 31, 32, 33, 37], // names, addresses, phones, identifiers, SSN
  GT1: [2, 3, 4, 5, 6, 7, 8, 12, 16, 17, 18], // guarantor number, names, address, phones, birth date, SSN, employer
  IN1: [16, 18, 19, 36, 44, 49], // insured's name, birth date, address, policy number, employer address, insured id
  IN2: 'all', // the insured's further demographics: SSN, Medicare/Medicaid numbers, phones, employer
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function maskSegment(piece: string, context: Hl7Context): string {
  const fields = PHI_FIELDS[piece.slice(0, 3)];
  if (!fields || piece.charAt(3) !== context.fieldSeparator) return piece;
  const segment = Hl7Segment.parse(piece, context);
  const numbers = fields === 'all' ? segment.fields.map((_, i) => i).slice(1) : fields;
  for (const n of numbers) if (hasValue(segment, n)) segment.setField(n, MASK);
  return segment.toString();
}

/**
 * One line, which may hold several segments: some senders (and one public sample) join segments with spaces.
 * A space followed by something shaped like a segment start is treated as a boundary; a wrong guess can only mask
 * more, never less.
 */
function maskLine(line: string, context: Hl7Context): string {
  const fs = escapeRegExp(context.fieldSeparator);
  const pieces = line.split(new RegExp(`(\\s+)(?=[A-Z][A-Z0-9]{2}${fs})`));
  return pieces.map((piece, i) => {
    if (i % 2 === 1) return piece; // the whitespace between joined segments
    const [, lead = '', rest = ''] = /^([\s\x0b\x1c]*)([\s\S]*)$/.exec(piece) ?? [];
    return lead + maskSegment(rest, context);
  }).join('');
}

export function maskHl7(text: string): string {
  try {
    let context: Hl7Context | null = null;
    const parts = String(text).split(/(\r\n|\r|\n)/);
    const masked = parts.map((part, i) => {
      if (i % 2 === 1) return part; // a line end, kept as it was
      const start = part.replace(/^[\s\x0b\x1c]+/, '');
      if (start.startsWith('MSH')) context = contextOf(start); // each message of a batch has its own delimiters
      if (context) return maskLine(part, context);
      // Before any readable MSH: batch envelopes and blank lines are harmless; anything else could be anything.
      return /^(?:[FB]HS|[FB]TS)?$/.test(start.slice(0, 3)) ? maskLine(part, DEFAULT_CONTEXT) : MASK;
    });
    return masked.join('');
  } catch {
    return MASK;
  }
}
