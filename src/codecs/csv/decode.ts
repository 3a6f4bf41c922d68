// A CSV file → canonical events, one per row, and the rows that could not become one. Pure: the channel passes the
// bytes, the options and the time the file was received.
//
// A file is read as a whole or refused as a whole: text in the configured encoding, quoting that closes, a header
// that has every column the mapping requires. Once the file is read, each row stands alone: a bad number, date or
// GTIN, a missing field or a row of the wrong width is that row's error, named by its line in the file, with the
// row as it was. csv-parse does the CSV; rows are located by the byte offsets it reports, so a row's line number
// and original text stay right across quoted line breaks, blank lines and any line ending.
import { createHash } from 'node:crypto';
import { parse, CsvError } from 'csv-parse/sync';
import { TendonError } from '../../core/errors.ts';
import type { InboundEventT } from '../../model/events.ts';
import { parseEvents } from '../../model/validate.ts';
import { fieldsOf, PHI_PATHS, type FieldKind, type FieldSpec } from './mappings.ts';
import { csvContentType } from './mask.ts';
import type { CsvDecoded, CsvOptions, CsvRowError } from './types.ts';
import { readBoolean, readDate, readDateTime, readGtin, readNumber, readReturnFlag, readStatus, type Read } from './values.ts';

/** A record longer than this is a wrong delimiter or a runaway quote, not a row. */
const MAX_RECORD_CHARS = 1_000_000;

interface Row {
  line: number;
  original: string;
  fields: string[];
}

/** Where each mapped field's column is, and how many fields a well-formed row has. */
interface Layout {
  columns: Map<string, number>;
  width: number;
  labelOf(path: string): string | undefined;
}

export function decodeCsv(bytes: Uint8Array, options: CsvOptions): CsvDecoded {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const refused = (reason: string, row = 0, original = ''): CsvDecoded =>
    ({ ok: false, sha256, contentType: csvContentType({ delimiter: options.delimiter }), error: { row, original, reason } });

  const text = textOf(bytes, options.encoding);
  if (!text.ok) return refused(text.reason);
  const read = rowsOf(Buffer.from(text.value), options.delimiter);
  if (!read.ok) return refused(read.reason, read.line);
  const rows = read.value;
  const header = options.header ? rows.shift() : undefined;
  const layout = layoutOf(options, header, rows);
  if (!layout.ok) return refused(layout.reason, header?.line ?? 1, header?.original ?? '');

  const events: InboundEventT[] = [];
  const errors: CsvRowError[] = [];
  for (const row of rows) {
    const made = eventOf(row, layout.value, options, sha256);
    if (made.ok) events.push(made.value);
    else errors.push({ row: row.line, original: row.original, reason: made.reason });
  }
  const shown = new Set([...layout.value.columns].filter(([path]) => !PHI_PATHS.has(path)).map(([, index]) => index + 1));
  const width = layout.value.width;
  const masked = Array.from({ length: width }, (_, i) => i + 1).filter((c) => !shown.has(c));
  return { ok: true, events, errors, rows: rows.length, sha256, contentType: csvContentType({ delimiter: options.delimiter, header: options.header, columns: width, masked }) };
}

/** NUL bytes mean a binary file; the encoding must decode without a single replacement character. */
function textOf(bytes: Uint8Array, encoding: CsvOptions['encoding']): Read<string> {
  if (bytes.includes(0)) return { ok: false, reason: 'a binary file (it holds NUL bytes), not CSV text' };
  try {
    return { ok: true, value: new TextDecoder(encoding, { fatal: true }).decode(bytes) }; // a leading BOM is dropped
  } catch {
    return { ok: false, reason: `not ${encoding} text (an ANSI export needs encoding: windows-1252)` };
  }
}

function rowsOf(buf: Buffer, delimiter: string): Read<Row[]> & { line?: number } {
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(buf, {
      delimiter, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS,
    }) as unknown as typeof records; // `info: true` makes each record { record, info }, which the typings do not model
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, reason: `the file is not well-formed CSV: ${error.message}`, line: (error as CsvError & { lines?: number }).lines ?? 0 };
  }
  // Rows lie end to end in the buffer: each starts where the previous ended, after any blank lines.
  const rows: Row[] = [];
  let pos = 0;
  let line = 1;
  const isBreak = (c: number | undefined) => c === 10 || c === 13;
  const advance = (to: number) => {
    for (; pos < to; pos++) if (buf[pos] === 10 || (buf[pos] === 13 && buf[pos + 1] !== 10)) line++;
  };
  for (const { record, info } of records) {
    let start = pos;
    while (start < info.bytes && isBreak(buf[start])) start++;
    advance(start);
    const first = line;
    let end = info.bytes;
    advance(end);
    while (end > start && isBreak(buf[end - 1])) end--;
    // Spreadsheets end exports with rows of bare delimiters; they carry nothing.
    if (record.every((f) => f.trim() === '')) continue;
    rows.push({ line: first, original: buf.toString('utf8', start, end), fields: record });
  }
  return { ok: true, value: rows };
}

/** Header names are matched loosely: "Transaction ID", "transaction_id" and "TransactionID" are one column. */
const normal = (name: string) => name.normalize('NFKC').toLowerCase().replace(/[\s_\-.#()/]+/g, '');

function layoutOf(options: CsvOptions, header: Row | undefined, rows: Row[]): Read<Layout> {
  const { mapping } = options;
  const fields = fieldsOf(mapping.eventType);
  // An export of an hour without transactions may be an empty file: nothing to read, nothing wrong.
  if (!header && rows.length === 0) return { ok: true, value: { columns: new Map(), width: 0, labelOf: () => undefined } };
  const byName = new Map<string, number>();
  header?.fields.forEach((name, i) => { if (!byName.has(normal(name))) byName.set(normal(name), i); });
  const width = header ? header.fields.length : rows.reduce((w, r) => Math.max(w, r.fields.length), 0);
  const columns = new Map<string, number>();
  const missing: string[] = [];
  for (const [path, column] of Object.entries(mapping.columns)) {
    const index = typeof column === 'number' ? column - 1 : byName.get(normal(column));
    if (index !== undefined && index < width) {
      columns.set(path, index);
      continue;
    }
    // Without its column a required field is empty on every row; a mapped time must not quietly become the
    // file's time; a row names its facility or takes the channel's.
    const needed = fields.get(path)!.required || path === 'occurredAt' || (path === 'facility' && !options.facility);
    if (needed && !(path in mapping.defaults)) missing.push(`${typeof column === 'number' ? `column ${column}` : column} (${path})`);
  }
  if (columns.size === 0) {
    const expected = Object.values(mapping.columns).join(', ');
    return { ok: false, reason: header ? `the header names none of the mapped columns (${expected})` : `the rows have none of the mapped columns (${expected})` };
  }
  if (missing.length > 0) return { ok: false, reason: `the header has no column for ${missing.join(', ')}` };
  const labels = new Map([...columns].map(([path, index]) => [path, header ? header.fields[index]!.trim() : `column ${index + 1}`]));
  return { ok: true, value: { columns, width, labelOf: (path) => labels.get(path) } };
}

type Made = Read<InboundEventT>;

function eventOf(row: Row, layout: Layout, options: CsvOptions, sha256: string): Made {
  const { mapping } = options;
  const fields = fieldsOf(mapping.eventType);
  const extra = row.fields.slice(layout.width).some((f) => f.trim() !== '');
  if (row.fields.length < layout.width || extra) {
    return { ok: false, reason: `${row.fields.length} fields where ${options.header ? 'the header has' : 'rows have'} ${layout.width}` };
  }
  const values = new Map<string, unknown>();
  const problems: string[] = [];
  const label = (path: string) => layout.labelOf(path) ?? path;
  for (const [path, index] of layout.columns) {
    const cell = row.fields[index]!.trim();
    if (cell === '') continue;
    const read = readCell(cell, fields.get(path)!, options);
    if (read.ok) values.set(path, read.value);
    else problems.push(`${label(path)}: ${read.reason}`);
  }
  for (const [path, value] of Object.entries(mapping.defaults)) {
    if (values.has(path)) continue;
    const read = typeof value === 'string' ? readCell(value, fields.get(path)!, options) : { ok: true as const, value };
    if (read.ok) values.set(path, read.value);
    else problems.push(`default of ${path}: ${read.reason}`);
  }
  if (layout.columns.has('transactionId') && !values.has('transactionId')) problems.push(`${label('transactionId')}: empty`);
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };

  // A use with a return flag or a negative quantity is a return of that quantity.
  const quantity = values.get('payload.quantity.value');
  const negative = typeof quantity === 'number' && quantity < 0 && mapping.eventType.startsWith('supply.');
  if (negative) values.set('payload.quantity.value', -quantity);
  const returned = mapping.eventType === 'supply.used' && (values.get('return') === true || negative);
  const transactionId = values.get('transactionId') as string | undefined;
  const event: Record<string, unknown> = {
    type: returned ? 'supply.returned' : mapping.eventType,
    // The sender's transaction id when the file has one (a return under the same id is its own fact); else the
    // content hash and the line, so the same file dropped again is recognised.
    idempotencyKey: transactionId === undefined ? `${sha256}:${row.line}` : returned ? `${transactionId}:return` : transactionId,
    occurredAt: values.get('occurredAt') ?? (layout.columns.has('occurredAt') ? undefined : options.receivedAt),
    facility: values.get('facility') ?? options.facility,
    source: { system: options.sourceSystem },
    payload: {},
  };
  for (const [path, value] of values) if (path.startsWith('payload.')) setPath(event, path.split('.'), value);
  try {
    return { ok: true, value: parseEvents(event).events[0]! };
  } catch (error) {
    if (!(error instanceof TendonError)) throw error;
    return { ok: false, reason: error.issues.map((i) => explain(i.path, i.message, event, layout)).join('; ') };
  }
}

function readCell(cell: string, field: FieldSpec, options: CsvOptions): Read<unknown> {
  const readers: Record<FieldKind, (s: string) => Read<unknown>> = {
    text: (s) => ({ ok: true, value: s }),
    number: readNumber,
    boolean: readBoolean,
    return: readReturnFlag,
    status: readStatus,
    gtin: readGtin,
    date: (s) => readDate(s, options.dateFormat),
    datetime: (s) => readDateTime(s, options.dateFormat, options.defaultOffset),
  };
  return readers[field.kind](cell);
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** A validation issue as a person fixing the file needs it: the JSON pointer, the column, and what is wrong. */
function explain(pointer: string, message: string, event: Record<string, unknown>, layout: Layout): string {
  const path = pointer.slice(1).replaceAll('/', '.');
  // An object (payload.item) is named by the columns that feed it (ItemID / GTIN).
  const column = layout.labelOf(path === 'idempotencyKey' ? 'transactionId' : path)
    ?? ([...layout.columns.keys()].filter((p) => p.startsWith(`${path}.`)).map((p) => layout.labelOf(p)).join(' / ') || undefined);
  const value = path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), event);
  const what = value === undefined ? (path === 'facility' ? 'missing: the row names no facility and the channel has none' : 'missing') : message;
  return `${pointer}${column ? ` (${column})` : ''}: ${what}`;
}
