// The built-in layouts (cabinet usage exports, item master loads, inventory counts) and what a mapping may name:
// the fields of its event type, read from the canonical schema itself, so a mapping can never name a field the
// model does not have, and a column the model requires is known without a list kept by hand.
import { z } from 'zod';
import { PAYLOADS } from '../../model/events.ts';
import type { CsvEventType, CsvMapping } from './types.ts';

/**
 * A cabinet system's dispense export (Omnicell / Pyxis style): one row per transaction. A negative quantity or a
 * ReturnFlag of Y / R / Return makes the row a return. The cabinet's item ids are the ERP's (cabinets load the ERP
 * item master). UserID (who took it) and Cabinet (the device) may be in the file; the canonical use has no field
 * for them, so they are not read.
 */
const usage: CsvMapping = {
  eventType: 'supply.used',
  columns: {
    transactionId: 'TransactionID',
    occurredAt: 'TransactionDateTime',
    facility: 'Facility',
    'payload.location': 'CabinetLocation',
    'payload.item.code': 'ItemID',
    'payload.quantity.value': 'Quantity',
    'payload.quantity.unit': 'UOM',
    return: 'ReturnFlag',
    'payload.patient.identifier': 'PatientMRN',
    'payload.encounter': 'EncounterID',
    'payload.caseId': 'CaseID',
    'payload.lot': 'LotNumber',
    'payload.serial': 'SerialNumber',
    'payload.expiry': 'ExpirationDate',
  },
  defaults: { 'payload.item.system': 'erp', 'payload.quantity.unit': 'EA' },
};

/** An item master load (ERP or cabinet item file): one row per item. Rows carry no time: they take the file's. */
const items: CsvMapping = {
  eventType: 'item.upserted',
  columns: {
    facility: 'Facility',
    'payload.id': 'ItemID',
    'payload.description': 'Description',
    'payload.uom': 'UOM',
    'payload.gtin': 'GTIN',
    'payload.manufacturer': 'Manufacturer',
    'payload.catalogNumber': 'CatalogNumber',
    'payload.implant': 'Implant',
    'payload.chargeable': 'Chargeable',
    'payload.status': 'Status',
  },
  defaults: { 'payload.status': 'active' },
};

/** A cycle count: one row per location and item. */
const counts: CsvMapping = {
  eventType: 'stock.counted',
  columns: {
    occurredAt: 'CountedAt',
    facility: 'Facility',
    'payload.location': 'Location',
    'payload.item.code': 'ItemID',
    'payload.quantity.value': 'CountedQuantity',
    'payload.quantity.unit': 'UOM',
  },
  defaults: { 'payload.item.system': 'erp', 'payload.quantity.unit': 'EA' },
};

export const BUILT_IN_MAPPINGS = { usage, items, counts } as const;
export type BuiltInFormat = keyof typeof BUILT_IN_MAPPINGS;

/** How a cell is read (values.ts) before the event is validated as a whole. */
export type FieldKind = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'gtin' | 'status' | 'return';

export interface FieldSpec {
  kind: FieldKind;
  /** The event is invalid without it (the field and every object above it are required). */
  required: boolean;
}

/** Fields of the envelope a mapping may name, and `transactionId`, which is not a field: it makes the key. */
const ENVELOPE: Record<string, FieldSpec> = {
  transactionId: { kind: 'text', required: false },
  occurredAt: { kind: 'datetime', required: false }, // without a column, the time the file was received
  facility: { kind: 'text', required: false }, // without a column, the channel's facility
};
/** Only a use can turn out to be a return; a supply.returned mapping's rows are all returns. */
const RETURN_FLAG: FieldSpec = { kind: 'return', required: false };

/** Patient identity (and the account, an identifier too): masked for display, never kept in clear in events. */
export const PHI_PATHS: ReadonlySet<string> = new Set(['payload.patient.identifier', 'payload.encounter']);
// A sender gives the identifier; the token is Tendon's, made from it.
const NOT_FROM_FILES = new Set(['payload.patient.token']);

function leaves(schema: z.ZodType, path: string, required: boolean, out: Map<string, FieldSpec>): void {
  const isRequired = required && !schema.safeParse(undefined).success;
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(inner.shape)) leaves(child as z.ZodType, `${path}.${key}`, isRequired, out);
    return;
  }
  if (NOT_FROM_FILES.has(path)) return;
  const format = (inner.def as { format?: string }).format;
  const kind: FieldKind = inner instanceof z.ZodNumber ? 'number' : inner instanceof z.ZodBoolean ? 'boolean'
    : inner instanceof z.ZodEnum ? 'status' : format === 'date' ? 'date' : /(^|\.)gtin$/.test(path) ? 'gtin' : 'text';
  out.set(path, { kind, required: isRequired });
}

const fieldCache = new Map<CsvEventType, ReadonlyMap<string, FieldSpec>>();

/** Every path a mapping of this event type may name, with how its cells are read. */
export function fieldsOf(type: CsvEventType): ReadonlyMap<string, FieldSpec> {
  let fields = fieldCache.get(type);
  if (!fields) {
    const out = new Map<string, FieldSpec>(Object.entries(ENVELOPE));
    if (type === 'supply.used') out.set('return', RETURN_FLAG);
    leaves(PAYLOADS[type], 'payload', true, out);
    fields = out;
    fieldCache.set(type, fields);
  }
  return fields;
}

/** What is wrong with a mapping before any file is read (a channel refuses to start with one). */
export function mappingProblems(mapping: CsvMapping, header: boolean): string[] {
  const fields = fieldsOf(mapping.eventType);
  const problems: string[] = [];
  const known = (path: string) => fields.has(path) || problems.push(`${path} is not a field of ${mapping.eventType}; it has ${[...fields.keys()].join(', ')}`);
  for (const [path, column] of Object.entries(mapping.columns)) {
    known(path);
    if (!header && typeof column === 'string') problems.push(`${path}: a file without a header row is mapped by column number, not "${column}"`);
  }
  for (const path of Object.keys(mapping.defaults)) known(path);
  for (const [path, field] of fields) {
    if (field.required && !(path in mapping.columns) && !(path in mapping.defaults)) problems.push(`${path} is required: map a column to it or give it a default`);
  }
  return problems;
}
