// The CSV codec: pure functions from a file's bytes to canonical events and row errors, from events to an analytics
// export, and from a stored file to its display with PHI masked. No I/O and no clock: channels pass bytes, options
// and the time in.
//
//   decodeCsv(bytes, options)   → { ok, events, errors, rows, sha256, contentType } | { ok: false, error, … }
//   BUILT_IN_MAPPINGS           → usage (cabinet dispense exports), items (item master), counts (cycle counts)
//   mappingProblems(mapping, header) → what is wrong with a mapping (a channel does not start with one)
//   errorsReport(errors)        → the NAME.errors.csv written beside a file with bad rows
//   encodeEventsCsv(events)     → analytics export rows (header + one row per event)
//   maskCsv(text, contentType)  → the file with patient identity masked, for display
export { decodeCsv } from './decode.ts';
export { BUILT_IN_MAPPINGS, fieldsOf, mappingProblems, PHI_PATHS, type BuiltInFormat, type FieldKind } from './mappings.ts';
export { errorsReport, ERRORS_SUFFIX } from './report.ts';
export { encodeEventsCsv, EXPORT_COLUMNS } from './encode.ts';
export { CSV_MEDIA_TYPE, csvContentType, maskCsv, parseCsvContentType, MASK } from './mask.ts';
export { CSV_EVENT_TYPES, type CsvDecoded, type CsvEventType, type CsvMapping, type CsvOptions, type CsvRowError } from './types.ts';
