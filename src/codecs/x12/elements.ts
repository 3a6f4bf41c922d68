// Reading single data elements: X12 types (DT dates, TM times, R decimals, N2 implied decimals, ID qualifiers) to
// canonical values. Nothing here throws on what a sender left out: a missing or unreadable element is reported
// with its segment position and element number (AK3/AK4), through `fail`.
import type { ItemRef } from '../../model/primitives.ts';
import { SetFailure, type ElementErrorCode, type Segment } from './types.ts';

export const tagOf = (s: Segment): string => s.values[0] ?? '';

/** Element n (1-based) of a segment, trimmed; '' when absent. Trailing spaces are a common deviation. */
export const el = (s: Segment | undefined, n: number): string => s?.values[n]?.trim() ?? '';

/** `BAK03`: how a sender's implementation guide names an element. */
export const nameOf = (s: Segment, n: number): string => `${tagOf(s)}${String(n).padStart(2, '0')}`;

/** Rejects the transaction set at this element (AK3 code 8 + AK4 with the element's error). */
export function fail(s: Segment, n: number, code: ElementErrorCode, message: string, component?: number): never {
  const value = el(s, n);
  throw new SetFailure(
    { tag: tagOf(s), position: s.position, code: '8', element: { position: n, component, code, value: value === '' ? undefined : value } },
    `${nameOf(s, n)}: ${message}`,
  );
}

/** Rejects the transaction set for a segment it must have (AK3 code 3), reported where it was expected. */
export function missingSegment(tag: string, position: number, message: string): never {
  throw new SetFailure({ tag, position, code: '3' }, message);
}

export function required(s: Segment, n: number, what: string): string {
  const value = el(s, n);
  if (value === '') fail(s, n, '1', `${what} is missing`);
  return value;
}

/** DT: CCYYMMDD, or YYMMDD in older versions (ISA09) with a century window at 50. Null when not a real date. */
export function isoDate(value: string): string | null {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const yy = Number(m[2]);
  const year = m[1] === undefined ? (yy < 50 ? 2000 + yy : 1900 + yy) : Number(m[1]) * 100 + yy;
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${String(year).padStart(4, '0')}-${m[3]}-${m[4]}`;
}

/** TM: HHMM, HHMMSS or HHMMSSd..d → HH:MM:SS. Null when not a real time. */
export function isoTime(value: string): string | null {
  const m = /^(\d{2})(\d{2})(?:(\d{2})\d{0,2})?$/.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return null;
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}`;
}

/** DTM04 time codes with a fixed offset; the others (ET, CT, LT…) leave the channel's default offset. */
const TIME_CODES: Record<string, string> = {
  UT: 'Z', GM: 'Z', ES: '-05:00', ED: '-04:00', CS: '-06:00', CD: '-05:00', MS: '-07:00', MD: '-06:00', PS: '-08:00', PD: '-07:00',
};
export const offsetOf = (timeCode: string, defaultOffset: string): string =>
  Object.hasOwn(TIME_CODES, timeCode) ? TIME_CODES[timeCode]! : defaultOffset;

/** A date element that must hold a date; the date as YYYY-MM-DD. */
export function dateAt(s: Segment, n: number, what: string): string {
  return isoDate(required(s, n, what)) ?? fail(s, n, '8', `${what} "${el(s, n).slice(0, 20)}" is not a date (CCYYMMDD)`);
}

/** An optional date element; null when empty, an error when present but unreadable. */
export function optionalDateAt(s: Segment, n: number, what: string): string | null {
  return el(s, n) === '' ? null : dateAt(s, n, what);
}

export function timeAt(s: Segment, n: number, what: string): string {
  return isoTime(required(s, n, what)) ?? fail(s, n, '9', `${what} "${el(s, n).slice(0, 20)}" is not a time (HHMM[SS])`);
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * R: a decimal as written (never through a float, so 0.1 stays 0.1 and 45.00 stays 45.00); leading zeros and a
 * bare point tidied, and zeros beyond the fourth decimal dropped (money carries four at most).
 */
export function decimalOf(value: string): string | null {
  const m = DECIMAL.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const whole = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  const fraction = (m[3] ?? '').replace(/(?<=\d{4}\d*?)0+$/, '');
  return `${m[1] === '-' ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function decimalAt(s: Segment, n: number, what: string): string {
  return decimalOf(required(s, n, what)) ?? fail(s, n, '6', `${what} "${el(s, n).slice(0, 20)}" is not a number`);
}

/** A quantity: a positive decimal number (the canonical schema checks its range). */
export function quantityAt(s: Segment, n: number, what: string): number {
  const value = Number(decimalAt(s, n, what));
  if (!(value > 0)) fail(s, n, '7', `${what} must be greater than zero`);
  return value;
}

/** N2: an integer with two implied decimals (TDS01 `16000` is 160.00), as a decimal string. */
export function impliedCentsAt(s: Segment, n: number, what: string): string {
  const m = /^([+-]?)(\d{1,15})$/.exec(required(s, n, what));
  if (!m) fail(s, n, '6', `${what} "${el(s, n).slice(0, 20)}" is not a whole number of cents`);
  const digits = m[2]!.padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/^0+(?=\d)/, '');
  return `${m[1] === '-' && /[1-9]/.test(digits) ? '-' : ''}${whole}.${digits.slice(-2)}`;
}

/** ISO 4217 currency from a CUR segment (CUR02), else US dollars: supplier documents without CUR are domestic. */
export function currencyOf(segments: Segment[]): string {
  const cur = segments.find((s) => tagOf(s) === 'CUR');
  return cur && /^[A-Z]{3}$/.test(el(cur, 2)) ? el(cur, 2) : 'USD';
}

// Product/service ID qualifiers (element 235), in the order they identify an item best for Tendon: the buyer's own
// number is the ERP item id Tendon sent in the 850; the supplier's numbers resolve through cross-references.
const BUYER_NUMBERS = new Set(['BP', 'IN']);
const SUPPLIER_NUMBERS = new Set(['VC', 'VN', 'VP']);
const GTINS = new Set(['UK', 'EN', 'UP', 'UA']); // GTIN-14, EAN-13, UPC-12, UPC/EAN case code
const GTIN = /^\d{8}$|^\d{12,14}$/;

export interface ProductIds {
  item: ItemRef;
  lot: string | null;
  serial: string | null;
}

/**
 * The qualifier/value pairs of PO1, IT1 or LIN from element `first` on → the item (buyer's number as an ERP code,
 * else the supplier's number in the supplier's system, plus any GTIN) and the lot (LT) and serial (SN) some
 * healthcare guides carry there. No usable identifier at all rejects the set at the first qualifier.
 */
export function productIdsAt(s: Segment, first: number, supplierId: string): ProductIds {
  let buyer: string | null = null;
  let supplier: string | null = null;
  let gtin: string | null = null;
  let lot: string | null = null;
  let serial: string | null = null;
  for (let n = first; n + 1 < s.values.length; n += 2) {
    const qualifier = el(s, n);
    const value = el(s, n + 1);
    if (value === '') continue;
    if (BUYER_NUMBERS.has(qualifier)) buyer ??= value;
    else if (SUPPLIER_NUMBERS.has(qualifier)) supplier ??= value;
    else if (GTINS.has(qualifier) && GTIN.test(value)) gtin ??= value;
    else if (qualifier === 'LT') lot ??= value;
    else if (qualifier === 'SN') serial ??= value;
  }
  const code = buyer ? { system: 'erp', code: buyer } : supplier ? { system: supplierId, code: supplier } : {};
  if (!buyer && !supplier && !gtin) {
    const expected = 'a BP/IN buyer number, a VC/VN/VP supplier number or a UK/EN/UP/UA GTIN';
    if (el(s, first) === '') fail(s, first, '1', `no product id: expected ${expected}`);
    fail(s, first, '7', `no product id Tendon reads: expected ${expected}`);
  }
  return { item: { ...code, ...(gtin ? { gtin } : {}) }, lot, serial };
}
