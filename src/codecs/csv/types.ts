// The CSV codec's vocabulary: how one sender's files are read (a column mapping and the file's dialect), and what a
// file became: canonical events plus the rows that could not be read, or, when the file as a whole cannot be read
// (binary, not the configured encoding, broken quoting, a header without a required column), why not.
import type { InboundEventT } from '../../model/events.ts';

export const CSV_EVENT_TYPES = ['supply.used', 'supply.returned', 'item.upserted', 'stock.counted'] as const;
export type CsvEventType = (typeof CSV_EVENT_TYPES)[number];

/**
 * Which column feeds which canonical field. Keys are canonical paths: `occurredAt`, `facility`, any `payload.…`
 * leaf of the event type (`payload.quantity.value`), and two that are not fields: `transactionId` (the sender's
 * id for the row, which makes the idempotency key) and `return` (a flag column that turns a use into a return).
 * Values are a column header (matched ignoring case, spaces and punctuation) or a 1-based column number.
 * The names match a CSV channel's `format` in the configuration, so a configured mapping is passed as it is.
 */
export interface CsvMapping {
  eventType: CsvEventType;
  columns: Record<string, string | number>;
  /** Values for fields whose column is absent or empty, e.g. `payload.quantity.unit: EA`. */
  defaults: Record<string, string | number | boolean>;
}

export interface CsvOptions {
  mapping: CsvMapping;
  /** The source system of the events: it scopes their idempotency keys. */
  sourceSystem: string;
  /** The facility of rows that name none. */
  facility?: string | undefined;
  delimiter: string;
  /** The first row names the columns; without one, the mapping names columns by number. */
  header: boolean;
  encoding: 'utf-8' | 'windows-1252';
  /** `iso`, or a pattern of YYYY MM DD HH hh mm ss A (e.g. `MM/DD/YYYY hh:mm A`); see values.ts. */
  dateFormat: string;
  /** The UTC offset of times that carry none (`-05:00`): the sending site's, not the server's. */
  defaultOffset: string;
  /** When the file was received: the occurredAt of every row when the mapping has no time column (item loads). */
  receivedAt: string;
}

/** One row that could not become an event: its line in the file (1 = the first line), the row as it was, and why. */
export interface CsvRowError {
  row: number;
  original: string;
  reason: string;
}

export type CsvDecoded =
  | {
    ok: true;
    /** The events of the good rows, in file order. */
    events: InboundEventT[];
    /** The rows that could not become events. */
    errors: CsvRowError[];
    /** Data rows read (blank rows aside). */
    rows: number;
    /** The file's content hash (hex): part of the idempotency keys of rows without a transaction id. */
    sha256: string;
    /** `text/csv` with the parameters the PHI mask needs to read the file again (see mask.ts). */
    contentType: string;
  }
  | { ok: false; error: CsvRowError; sha256: string; contentType: string };
