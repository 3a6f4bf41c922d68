// Search keys: the business keys an operator types to find a trace (a PO number, an HL7 message's MSH-10, an item,
// a lot, a serial, a patient) read from canonical events. Pure. It sits beside the event schemas because it is a
// projection of them: a field that names a business key is added here in the same change as the schema, and to
// the backfill of migration 005 (store/sqlite/migrations/005_search_keys.sql), which says the same rules in SQL.
// A patient is found only by the keyed token events carry: the clear identifier is never a key.
import type { Message, StoredEvent } from '../core/types.ts';

/** What `GET /v1/search?kind=` accepts besides `auto` (every kind). */
export const SEARCH_KINDS = ['correlation', 'po', 'msh10', 'source', 'item', 'lot', 'serial', 'patient'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
/** The kinds the search index holds: a correlation id is the events' own column, indexed already. */
export type IndexedSearchKind = Exclude<SearchKind, 'correlation'>;

export interface SearchKey {
  kind: IndexedSearchKind;
  value: string;
}

/** One row of the search index: this key names this business transaction, last seen at `at` (epoch ms). */
export interface SearchKeyRow extends SearchKey {
  correlationId: string;
  at: number;
}

/** HL7 v2 messages' content type (engine/inbound/mllp.ts): their source id is MSH-10, the message control id. */
export const HL7_V2_CONTENT_TYPE = 'application/hl7-v2';

/** A patient token as events carry it (model/primitives.ts PatientRef): anything else is a clear identifier. */
export const isPatientToken = (value: string): boolean => /^pt_[A-Za-z0-9_-]{16,64}$/.test(value);

type KeyedEvent = Pick<StoredEvent, 'type' | 'payload'>;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : null);
const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/**
 * The keys of one event, each once: the PO number (supplier documents, receipts, payments); the item, as the sender
 * named it (its code, its GTIN) or as item.upserted and price.updated name the ERP item; lot and serial; the patient
 * token; and the same for every line of a supplier document (855, 856, 810).
 */
export function searchKeysOf(event: KeyedEvent): SearchKey[] {
  const p = event.payload;
  const keys: SearchKey[] = [];
  const add = (kind: IndexedSearchKind, v: unknown) => {
    const value = text(v);
    if (value !== null && !keys.some((k) => k.kind === kind && k.value === value)) keys.push({ kind, value });
  };
  const itemRef = (v: unknown) => {
    add('item', record(v).code);
    add('item', record(v).gtin);
  };
  add('po', p.poNumber);
  if (event.type === 'item.upserted') (add('item', p.id), add('item', p.gtin));
  else if (event.type === 'price.updated') add('item', p.itemId);
  else itemRef(p.item);
  add('lot', p.lot);
  add('serial', p.serial);
  add('patient', record(p.patient).token);
  for (const line of Array.isArray(p.lines) ? p.lines : []) {
    itemRef(record(line).item);
    add('lot', record(line).lot);
    add('serial', record(line).serial);
  }
  return keys;
}

/**
 * The index rows one message's committed events add: each event's keys under its correlation id, and the message's
 * own source id (MSH-10 for HL7 v2, otherwise `source`: an HTTP Idempotency-Key, an X12 ISA13, a file's id) under
 * every correlation id its events have. A key met twice in one message is written once, at its latest time.
 */
export function messageSearchKeys(message: Pick<Message, 'sourceId' | 'contentType'>, events: Pick<StoredEvent, 'type' | 'payload' | 'correlationId' | 'recordedAt'>[]): SearchKeyRow[] {
  const rows = new Map<string, SearchKeyRow>();
  const sourceKind: IndexedSearchKind = message.contentType === HL7_V2_CONTENT_TYPE ? 'msh10' : 'source';
  const source = text(message.sourceId);
  for (const e of events) {
    const at = Date.parse(e.recordedAt);
    const keys = searchKeysOf(e);
    if (source !== null) keys.push({ kind: sourceKind, value: source });
    for (const k of keys) {
      const id = `${k.kind}\u0000${k.value}\u0000${e.correlationId}`;
      const seen = rows.get(id);
      if (!seen || seen.at < at) rows.set(id, { ...k, correlationId: e.correlationId, at });
    }
  }
  return [...rows.values()];
}
