// The errors file written beside a file that had bad rows (NAME.errors.csv): one line per bad row with its line
// number in the original file, why it was refused, and the row exactly as it was, so a person can fix it and drop
// the fixed rows in again. A refused file has one line, row 0 when the whole file is at fault.
import { stringify } from 'csv-stringify/sync';
import type { CsvRowError } from './types.ts';

export const ERRORS_SUFFIX = '.errors.csv';

export function errorsReport(errors: readonly CsvRowError[]): string {
  return stringify([['row', 'reason', 'original'], ...errors.map((e) => [e.row, e.reason, e.original])], { record_delimiter: 'windows' });
}
