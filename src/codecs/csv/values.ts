// Cell values → typed canonical values. Exports write numbers, flags, GTINs and times in their own ways (`Y`,
// `10/14/2026 1:45 PM`, a GTIN whose leading zero a spreadsheet dropped); each reader accepts the common spellings
// and answers anything else with a reason a person can act on. No installed library parses a date by a pattern,
// so that one is written here: a pattern becomes one anchored regular expression, and ranges are checked after.
import { gtin14 } from '../../masterdata/snapshot.ts';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fail = (reason: string): Read<never> => ({ ok: false, reason });
const quoted = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/** Plain decimals only: a thousands separator or an exponent is more likely a wrong column than a quantity. */
export function readNumber(s: string): Read<number> {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? ok(Number(s)) : fail(`${quoted(s)} is not a number`);
}

const TRUE = new Set(['y', 'yes', 'true', 't', '1', 'x']);
const FALSE = new Set(['n', 'no', 'false', 'f', '0']);

export function readBoolean(s: string): Read<boolean> {
  const v = s.toLowerCase();
  return TRUE.has(v) ? ok(true) : FALSE.has(v) ? ok(false) : fail(`${quoted(s)} is not Y/N, true/false or 1/0`);
}

/** A cabinet's return column: a flag, or a transaction type such as `Return` / `Issue`. */
const RETURNS = new Set([...TRUE, 'r', 'ret', 'return', 'returned']);
const USES = new Set([...FALSE, 'i', 'issue', 'issued', 'dispense', 'dispensed', 'use', 'used', 'withdraw', 'withdrawal']);

export function readReturnFlag(s: string): Read<boolean> {
  const v = s.toLowerCase();
  return RETURNS.has(v) ? ok(true) : USES.has(v) ? ok(false) : fail(`${quoted(s)} is neither a return (Y, R, Return) nor a use (N, I, Issue)`);
}

/** Item status as item masters spell it. */
export function readStatus(s: string): Read<'active' | 'inactive'> {
  const v = s.toLowerCase();
  if (['a', 'active', 'y', '1'].includes(v)) return ok('active');
  if (['i', 'inactive', 'n', '0', 'd', 'discontinued', 'obsolete'].includes(v)) return ok('inactive');
  return fail(`${quoted(s)} is not a status (Active / Inactive)`);
}

/** GTIN-8, -12, -13 or -14, as GTIN-14: spreadsheets drop leading zeros, and a GTIN-14 pads them back. */
export function readGtin(s: string): Read<string> {
  const digits = s.replace(/[\s-]/g, '');
  return /^\d{8,14}$/.test(digits) ? ok(gtin14(digits)) : fail(`${quoted(s)} is not a GTIN (8 to 14 digits)`);
}

interface Parts { y: number; mo: number; d: number; h: number; mi: number; s: number; frac: string; offset: string | null }

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const OFFSET = String.raw`\s*(Z|[+-]\d{2}:?\d{2})?`;
const TOKENS: Record<string, string> = {
  YYYY: String.raw`(?<YYYY>\d{4})`, MM: String.raw`(?<MM>\d{1,2})`, DD: String.raw`(?<DD>\d{1,2})`,
  HH: String.raw`(?<HH>\d{1,2})`, hh: String.raw`(?<hh>\d{1,2})`, mm: String.raw`(?<mm>\d{2})`, ss: String.raw`(?<ss>\d{2})`,
  A: String.raw`(?<A>[AaPp][Mm])`,
};

const patterns = new Map<string, RegExp>();

/** `MM/DD/YYYY hh:mm A` → an anchored regular expression with a named group per token (and an optional offset). */
function patternOf(format: string): RegExp {
  let re = patterns.get(format);
  if (!re) {
    const body = format.split(/(YYYY|MM|DD|HH|hh|mm|ss|A)/).map((piece, i) =>
      i % 2 === 1 ? TOKENS[piece]! : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, String.raw`\s+`)).join('');
    re = new RegExp(`^${body}${OFFSET}$`);
    patterns.set(format, re);
  }
  return re;
}

function partsOf(s: string, format: string): Parts | null {
  if (format === 'iso') {
    const m = ISO.exec(s);
    if (!m) return null;
    return { y: +m[1]!, mo: +m[2]!, d: +m[3]!, h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0), frac: m[7] ?? '', offset: m[8] ?? null };
  }
  const m = patternOf(format).exec(s);
  const g = m?.groups;
  if (!g || g.YYYY === undefined || g.MM === undefined || g.DD === undefined) return null;
  let h = +(g.HH ?? g.hh ?? 0);
  if (g.hh !== undefined) {
    if (h < 1 || h > 12 || g.A === undefined) return null;
    h = (h % 12) + (g.A.toLowerCase() === 'pm' ? 12 : 0);
  }
  return { y: +g.YYYY, mo: +g.MM, d: +g.DD, h, mi: +(g.mm ?? 0), s: +(g.ss ?? 0), frac: '', offset: m![m!.length - 1] ?? null };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function validDate(p: Parts): boolean {
  const t = new Date(Date.UTC(p.y, p.mo - 1, p.d));
  return t.getUTCFullYear() === p.y && t.getUTCMonth() === p.mo - 1 && t.getUTCDate() === p.d;
}

/**
 * A date-time as ISO 8601 with an offset: the one in the value, else `defaultOffset` (the site's). `iso` also takes
 * a space for the T and a date alone (midnight).
 */
export function readDateTime(s: string, format: string, defaultOffset: string): Read<string> {
  const p = partsOf(s, format);
  if (!p) return fail(`${quoted(s)} is not a time in the form ${format === 'iso' ? 'YYYY-MM-DDTHH:mm:ss±hh:mm' : format}`);
  if (!validDate(p) || p.h > 23 || p.mi > 59 || p.s > 59) return fail(`${quoted(s)} is not a real date and time`);
  const raw = p.offset?.toUpperCase() ?? defaultOffset;
  const offset = raw === 'Z' ? 'Z' : raw.includes(':') ? raw : `${raw.slice(0, 3)}:${raw.slice(3)}`;
  if (offset !== 'Z' && (+offset.slice(1, 3) > 14 || +offset.slice(4) > 59)) return fail(`${quoted(s)} has no real UTC offset`);
  return ok(`${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${p.frac}${offset}`);
}

/** A date alone (expiry): YYYY-MM-DD, YYYYMMDD, or the date part of the channel's pattern. */
export function readDate(s: string, format: string): Read<string> {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  const value = compact ? `${compact[1]}-${compact[2]}-${compact[3]}` : s;
  const datePart = format === 'iso' ? 'iso' : format.split(/\s*(?:HH|hh)/)[0]!.trim();
  const p = /^\d{4}-\d{2}-\d{2}$/.test(value) ? partsOf(value, 'iso') : datePart === 'iso' ? null : partsOf(value, datePart);
  if (!p || p.offset) return fail(`${quoted(s)} is not a date in the form ${datePart === 'iso' ? 'YYYY-MM-DD' : datePart}`);
  if (!validDate(p)) return fail(`${quoted(s)} is not a real date`);
  return ok(`${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`);
}
