// Canonical events → CSV for analytics: a header and one row per event, the payload as JSON in one column (its shape
// differs by event type; a column per field would change the file's columns with every type). RFC 4180 (CRLF,
// quotes doubled), written by csv-stringify.
import { stringify } from 'csv-stringify/sync';

export const EXPORT_COLUMNS = [
  'id', 'type', 'facility', 'occurredAt', 'recordedAt', 'sourceSystem', 'correlationId', 'idempotencyKey', 'revision', 'retracted', 'payload',
] as const;

/** `retracted`: the event's effects were reversed (a reprocess replaced it); analytics should drop it. */
export function encodeEventsCsv(events: readonly { event: Record<string, unknown>; retracted: boolean }[]): string {
  const rows = events.map(({ event, retracted }) => EXPORT_COLUMNS.map((column) =>
    column === 'payload' ? JSON.stringify(event.payload ?? null) : column === 'retracted' ? String(retracted) : cell(event[column])));
  return stringify([[...EXPORT_COLUMNS], ...rows], { record_delimiter: 'windows' });
}

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
