// A stored CSV file for display, with patient identity masked. Which columns hold it depends on the channel's
// mapping, so the decoder writes the answer into the message's content type (`text/csv; header=present;
// delimiter=","; columns=9; masked="3,7"`, 1-based column numbers): the file can be shown long after the mapping changed, and
// a display needs nothing but the message. Errs towards masking: columns the mapping does not read are masked too
// (an export may carry a patient name nobody mapped), a row whose fields do not line up with the header is masked
// whole, and a file without the parameters (one refused before its columns were known) shows only its shape.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const CSV_MEDIA_TYPE = 'text/csv';
export const MASK = '***';

export interface CsvContentType {
  delimiter: string;
  /** The first row is a header (shown: it names columns, it holds no patient data). */
  header?: boolean;
  /** How many fields a well-formed row has, and the 1-based numbers of those to mask; absent: mask every field. */
  columns?: number;
  masked?: number[];
}

export function csvContentType(t: CsvContentType): string {
  const params = [`delimiter=${JSON.stringify(t.delimiter)}`];
  if (t.header !== undefined) params.unshift(`header=${t.header ? 'present' : 'absent'}`);
  if (t.masked && t.columns !== undefined) params.push(`columns=${t.columns}`, `masked="${t.masked.join(',')}"`);
  return [CSV_MEDIA_TYPE, ...params].join('; ');
}

export function parseCsvContentType(contentType: string): CsvContentType {
  const params = new Map<string, string>();
  for (const m of contentType.matchAll(/;\s*([a-z-]+)=("(?:[^"\\]|\\.)*"|[^;\s]*)/gi)) {
    const value = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/\\(.)/g, '$1') : m[2]!;
    params.set(m[1]!.toLowerCase(), value);
  }
  const masked = params.get('masked');
  const columns = Number(params.get('columns'));
  return {
    columns: Number.isInteger(columns) && columns > 0 ? columns : undefined,
    delimiter: params.get('delimiter')?.length === 1 ? params.get('delimiter')! : ',',
    header: params.has('header') ? params.get('header') === 'present' : undefined,
    masked: masked === undefined ? undefined : masked.split(',').filter(Boolean).map(Number),
  };
}

export function maskCsv(raw: string, contentType: string): string {
  const t = parseCsvContentType(contentType);
  let records: string[][];
  try {
    records = parse(raw, { bom: true, delimiter: t.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  } catch {
    return `[${raw.length} characters of CSV that cannot be read; not shown, as they may carry PHI]`;
  }
  const masked = new Set(t.masked ?? []);
  const hide = (v: string) => (v.trim() === '' ? v : MASK);
  const out = records.map((fields, i) => {
    if (i === 0 && t.header) return fields;
    if (!t.masked || fields.length !== t.columns) return fields.map(hide);
    return fields.map((v, c) => (masked.has(c + 1) ? hide(v) : v));
  });
  return stringify(out, { delimiter: t.delimiter, record_delimiter: 'unix' });
}
