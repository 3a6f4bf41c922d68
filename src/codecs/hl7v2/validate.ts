// Every event the codec produces passes the canonical schema before it leaves, and a failure names the HL7 field it
// came from (ERR-2), because the sender fixes HL7 fields, not JSON paths.
import { InboundEvent, type InboundEventT } from '../../model/events.ts';
import { isoDateTime } from './fields.ts';
import { Hl7Failure, type Hl7Location } from './types.ts';

/** Where each part of a candidate event was read: a JSON path prefix (`payload/quantity`) → its HL7 field. */
export type Provenance = Record<string, Hl7Location>;

/** Drops the keys whose value is undefined: the schemas' optional fields are absent, never `undefined`. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {}; // a loop, not entries/filter/fromEntries: it runs several times per line
  for (const key in record) if (record[key] !== undefined) out[key] = record[key];
  return out as T;
}

function valueAt(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), root);
}

/** The most specific location recorded for a path (`payload/item/code` falls back to `payload/item`). */
function locate(path: string[], provenance: Provenance): Hl7Location | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = provenance[path.slice(0, n).join('/')];
    if (found) return found;
  }
  return undefined;
}

/** The validated event, or an AE naming the field: 101 when the value is missing, 102 when it is malformed. */
export function validated(candidate: Record<string, unknown>, provenance: Provenance, line: Hl7Location): InboundEventT {
  const result = InboundEvent.safeParse(candidate);
  if (result.success) return result.data as InboundEventT;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  const location = locate(path, provenance) ?? line;
  const missing = valueAt(candidate, path) === undefined || valueAt(candidate, path) === '';
  const field = `${location.segment}-${location.field}`;
  const what = `${field} (${path.join('.') || 'event'})`;
  throw new Hl7Failure(missing ? '101' : '102', missing ? `${what} is missing` : `${what} is invalid: ${issue.message}`, location);
}

/**
 * The first of several candidate times that is present, as ISO 8601 (FT1-4, else EVN-2, else MSH-7). A present but
 * unreadable time is an error at that field, never skipped for the next candidate: a wrong date of service would
 * price and bill the use on the wrong day.
 */
export function firstTime(candidates: Array<[string | undefined, Hl7Location]>, defaultOffset: string): string {
  for (const [value, location] of candidates) {
    if (value === undefined) continue;
    const iso = isoDateTime(value, defaultOffset);
    const field = `${location.segment}-${location.field}`;
    if (iso === null) throw new Hl7Failure('102', `${field} is not a readable date/time (YYYYMMDD[HHMM[SS]][±ZZZZ])`, location);
    return iso;
  }
  const names = candidates.map(([, l]) => `${l.segment}-${l.field}`).join(', ');
  throw new Hl7Failure('101', `no time: ${names} are all empty`, candidates[0]?.[1]);
}
