// Label dates to ISO YYYY-MM-DD. Two-digit years are read as 2000–2099: the GS1 sliding window (General
// Specifications 7.12) needs today's date, and a pure codec has no clock; the two agree for years 2000–2076 until 2026.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** YYYY-MM-DD, or null when there is no such day. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const numbers = (digits: string, widths: readonly number[]): number[] | null => {
  if (!/^\d+$/.test(digits) || digits.length !== widths.reduce((a, b) => a + b, 0)) return null;
  let at = 0;
  return widths.map((w) => Number(digits.slice(at, (at += w))));
};

/**
 * A date where the day may be unknown. GS1 writes an unknown day as 00; an expiry then means the month's last day
 * (General Specifications, AIs 15–17), a production date its first: the earliest the item can have been made.
 */
export type MonthOnly = 'last-day' | 'first-day';

const dayOf = (year: number, month: number, day: number, monthOnly: MonthOnly) =>
  day !== 0 ? day : monthOnly === 'last-day' && month >= 1 && month <= 12 ? daysInMonth(year, month) : 1;

/** GS1 YYMMDD, DD=00 allowed. */
export function fromYymmdd(digits: string, monthOnly: MonthOnly): string | null {
  const parts = numbers(digits, [2, 2, 2]);
  if (!parts) return null;
  const [yy, month, day] = parts as [number, number, number];
  return isoDate(2000 + yy, month, dayOf(2000 + yy, month, day, monthOnly));
}

/** HIBC MMYY: a month-only expiry, read as the month's last day like GS1's DD=00. */
export function fromMmyy(digits: string): string | null {
  const parts = numbers(digits, [2, 2]);
  if (!parts) return null;
  const [month, yy] = parts as [number, number];
  return month >= 1 && month <= 12 ? isoDate(2000 + yy, month, daysInMonth(2000 + yy, month)) : null;
}

export function fromMmddyy(digits: string): string | null {
  const parts = numbers(digits, [2, 2, 2]);
  return parts ? isoDate(2000 + parts[2]!, parts[0]!, parts[1]!) : null;
}

/** YYMMDD with nothing unknown (HIBC, where 00 is not a day). */
export function fromStrictYymmdd(digits: string): string | null {
  const parts = numbers(digits, [2, 2, 2]);
  return parts ? isoDate(2000 + parts[0]!, parts[1]!, parts[2]!) : null;
}

/** YYMMDDHH: the hour must be 00–23 and is then dropped (an expiry is a day). */
export function fromYymmddhh(digits: string): string | null {
  const parts = numbers(digits, [2, 2, 2, 2]);
  return parts && parts[3]! <= 23 ? isoDate(2000 + parts[0]!, parts[1]!, parts[2]!) : null;
}

/** YYJJJ: year and day of the year (001–365, 366 in a leap year). */
export function fromYyjjj(digits: string): string | null {
  const parts = numbers(digits, [2, 3]);
  return parts ? dayOfYear(2000 + parts[0]!, parts[1]!) : null;
}

export function fromYyjjjhh(digits: string): string | null {
  const parts = numbers(digits, [2, 3, 2]);
  return parts && parts[2]! <= 23 ? dayOfYear(2000 + parts[0]!, parts[1]!) : null;
}

/** YYYYMMDD (the MH10.8.2 dates HIBC carries in 14D and 16D). */
export function fromYyyymmdd(digits: string): string | null {
  const parts = numbers(digits, [4, 2, 2]);
  return parts ? isoDate(parts[0]!, parts[1]!, parts[2]!) : null;
}

function dayOfYear(year: number, ordinal: number): string | null {
  if (ordinal < 1 || ordinal > (isLeap(year) ? 366 : 365)) return null;
  let month = 1;
  let day = ordinal;
  while (day > daysInMonth(year, month)) day -= daysInMonth(year, month++);
  return isoDate(year, month, day);
}
