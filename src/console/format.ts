// How numbers and times read on the console: short, fixed units, and a dash for "nothing measured" (never 0).
export const DASH = '—';

const isNum = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);

export const int = (n: number | null | undefined): string => (isNum(n) ? Math.round(n).toLocaleString('en-US') : DASH);

/** Per-second rates: two decimals below 10, one below 100, none above. */
export function rate(n: number | null | undefined): string {
  if (!isNum(n)) return DASH;
  const digits = n < 10 ? 2 : n < 100 ? 1 : 0;
  return `${n.toFixed(digits)}/s`;
}

/** A 0..1 share as a percentage. */
export function pct(share: number | null | undefined, digits = 1): string {
  return isNum(share) ? `${(share * 100).toFixed(digits)}%` : DASH;
}

export function ms(n: number | null | undefined): string {
  if (!isNum(n)) return DASH;
  if (n < 10) return `${n.toFixed(1)} ms`;
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
}

/** A duration in seconds, as the two largest units: 45s, 3m 12s, 2h 05m, 3d 4h. */
export function duration(seconds: number | null | undefined): string {
  if (!isNum(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

export const hours = (h: number | null | undefined): string => (isNum(h) ? duration(h * 3600) : DASH);

/** A value in a service level's own unit. */
export function inUnit(value: number | null | undefined, unit: string): string {
  if (!isNum(value)) return DASH;
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  if (unit === 'seconds') return value < 10 ? `${value.toFixed(2)} s` : duration(value);
  if (unit === 'hours') return `${value.toFixed(value < 10 ? 1 : 0)} h`;
  return `${value} ${unit}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time of day, to the second: what an operator compares with a log. */
export function time(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time; the date is left out for today. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? time(iso) : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time(iso)}`;
}

/** How long ago, coarse: "12s ago", "5m ago". */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return DASH;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${duration((now - t) / 1000)} ago`;
}

/** Ids are UUIDv7 (time first): their end tells them apart. */
export const shortId = (id: string | null | undefined): string => (id ? (id.length > 12 ? `…${id.slice(-8)}` : id) : DASH);

export const json = (v: unknown): string => JSON.stringify(v, null, 2);
