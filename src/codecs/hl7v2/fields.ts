// Reading and writing single values: medplum splits a message into segments, fields, repetitions and components;
// these helpers finish the job it leaves (escape sequences, HL7's "" null, missing repetitions, dates, GTINs)
// without ever throwing on what a sender left out.
import { Hl7Context, type Hl7Field, type Hl7Message, type Hl7Segment } from '@medplum/core';

export const DEFAULT_CONTEXT = new Hl7Context();

/** Decodes escape sequences (\F\ \S\ \T\ \R\ \E\ \Xhh\ \.br\ …): only after splitting, as the standard says. */
export function unescapeHl7(value: string, ctx: Hl7Context): string {
  const e = ctx.escapeCharacter;
  if (!e || !value.includes(e)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf(e, i);
    const end = start < 0 ? -1 : value.indexOf(e, start + 1);
    if (start < 0 || end < 0) return out + value.slice(i);
    out += value.slice(i, start) + escapeSequence(value.slice(start + 1, end), ctx);
    i = end + 1;
  }
  return out;
}

function escapeSequence(seq: string, ctx: Hl7Context): string {
  switch (seq) {
    case 'F': return ctx.fieldSeparator;
    case 'S': return ctx.componentSeparator;
    case 'T': return ctx.subcomponentSeparator;
    case 'R': return ctx.repetitionSeparator;
    case 'E': return ctx.escapeCharacter;
    case '.br': return '\n';
    case 'H': case 'N': return ''; // highlighting on/off: no meaning in plain text
  }
  if (/^X(?:[0-9A-Fa-f]{2})+$/.test(seq)) return Buffer.from(seq.slice(1), 'hex').toString('latin1');
  return ''; // formatting (\.sp\, \.in\ …) and local (\Z..\) sequences carry no data Tendon reads
}

/** The inverse, for values Tendon writes: a delimiter inside data must not split it. */
export function escapeHl7(value: string, ctx: Hl7Context = DEFAULT_CONTEXT): string {
  const e = ctx.escapeCharacter;
  // Most values (ids, codes, names) hold no delimiter: they are returned as they are, without building the table.
  const special = [e, ctx.fieldSeparator, ctx.componentSeparator, ctx.subcomponentSeparator, ctx.repetitionSeparator, '\r', '\n'];
  if (!special.some((ch) => value.includes(ch))) return value;
  const map = new Map([
    [e, `${e}E${e}`], [ctx.fieldSeparator, `${e}F${e}`], [ctx.componentSeparator, `${e}S${e}`],
    [ctx.subcomponentSeparator, `${e}T${e}`], [ctx.repetitionSeparator, `${e}R${e}`],
  ]);
  let out = '';
  for (const ch of value.replace(/\r\n|\r|\n/g, '\n')) out += ch === '\n' ? `${e}.br${e}` : (map.get(ch) ?? ch);
  return out;
}

/** A value as the sender wrote it (escapes still in), or '' for anything missing. Indexes are HL7's, 1-based. */
export function rawValue(seg: Hl7Segment | undefined, field: number, component = 1, repetition = 0, sub = 0): string {
  // medplum's getComponent throws on a repetition that is not there; read its arrays instead.
  const f = seg?.getField(field) as Hl7Field | undefined;
  const value = f?.components[repetition]?.[component - 1] ?? '';
  const separator = seg?.context.subcomponentSeparator ?? '&';
  if (sub === 0 && !value.includes(separator)) return value; // the common case, without splitting
  return value.split(separator)[sub] ?? '';
}

/** A value, unescaped and trimmed; undefined when empty or HL7's explicit null `""`. */
export function text(seg: Hl7Segment | undefined, field: number, component = 1, repetition = 0, sub = 0): string | undefined {
  if (!seg) return undefined;
  const value = unescapeHl7(rawValue(seg, field, component, repetition, sub), seg.context).trim();
  return value === '' || value === '""' ? undefined : value;
}

export function repetitions(seg: Hl7Segment | undefined, field: number): number {
  return (seg?.getField(field) as Hl7Field | undefined)?.components.length ?? 0;
}

/** Is the field present with any data at all (any repetition or component)? */
export function hasValue(seg: Hl7Segment | undefined, field: number): boolean {
  const f = seg?.getField(field) as Hl7Field | undefined;
  return !!f && f.components.some((rep) => rep.some((c) => c.trim() !== '' && c.trim() !== '""'));
}

const TS = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?([+-]\d{4})?$/;
const OFFSET = /^(?:Z|[+-]\d{2}:\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * HL7 TS/DTM (`YYYYMMDD[HH[MM[SS[.S+]]]][±ZZZZ]`) → ISO 8601 with an offset, keeping the sender's local time so the
 * local date of service survives. Without an offset the site's `defaultOffset` applies; a date alone is 00:00.
 * Less than a day (YYYY, YYYYMM) is not a time of use, so it is refused like any unreadable value: null.
 */
export function isoDateTime(value: string | undefined, defaultOffset: string): string | null {
  const m = value === undefined ? null : TS.exec(value.trim());
  if (!m || !OFFSET.test(defaultOffset)) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  let offset = defaultOffset === 'Z' ? '+00:00' : defaultOffset;
  if (m[8]) {
    const oh = Number(m[8].slice(1, 3));
    const om = Number(m[8].slice(3, 5));
    if (oh > 14 || om > 59) return null;
    offset = `${m[8].slice(0, 3)}:${m[8].slice(3, 5)}`;
  }
  const fraction = m[7] ? `.${m[7]}` : '';
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${fraction}${offset}`;
}

/** An HL7 date (or date-time, or an ISO date some Z-segments carry) → `YYYY-MM-DD`; null when unreadable. */
export function isoDate(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const m = iso ?? TS.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(y, mo, d) ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** ISO 8601 (the clock's `now`) → HL7 DTM with its offset, e.g. 20260512144101.123-0500. */
export function hl7DateTime(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,4})\d*)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(iso);
  if (m) {
    const offset = m[8] === 'Z' ? '+0000' : m[8]!.replace(':', '');
    return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6] ?? '00'}${m[7] ? `.${m[7]}` : ''}${offset}`;
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : hl7DateTime(date.toISOString());
}

/** A GTIN-8/12/13/14 with a valid GS1 check digit, as GTIN-14; undefined otherwise (an item number is not a GTIN). */
export function gtin14(value: string | undefined): string | undefined {
  if (!value || !/^(?:\d{8}|\d{12,14})$/.test(value)) return undefined;
  const digits = value.padStart(14, '0');
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits[13]) ? digits : undefined;
}

/**
 * Each segment's occurrence number among the segments of its name (1-based), as ERR-2 counts them. Computed once
 * per message: looking it up per field would make a message of many lines quadratic.
 */
export function sequenceNumbers(message: Hl7Message): Map<Hl7Segment, number> {
  const counts = new Map<string, number>();
  const numbers = new Map<Hl7Segment, number>();
  for (const s of message.segments) {
    const n = (counts.get(s.name) ?? 0) + 1;
    counts.set(s.name, n);
    numbers.set(s, n);
  }
  return numbers;
}
