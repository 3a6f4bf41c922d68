// Display masking, the errors file and the analytics export: what a person or a consumer reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { BUILT_IN_MAPPINGS, csvContentType, decodeCsv, encodeEventsCsv, errorsReport, EXPORT_COLUMNS, maskCsv, parseCsvContentType, type CsvOptions } from './index.ts';

const OPTIONS: CsvOptions = {
  mapping: BUILT_IN_MAPPINGS.usage, sourceSystem: 'cab', delimiter: ',', header: true, encoding: 'utf-8',
  dateFormat: 'iso', defaultOffset: '-05:00', receivedAt: '2026-11-21T12:00:00Z',
};

test('a decoded file is shown with its patient and account columns masked, and the columns nobody mapped', () => {
  const bytes = readFileSync(new URL('./fixtures/usage_omnicell-style_bom_crlf.csv', import.meta.url));
  const decoded = decodeCsv(bytes, OPTIONS);
  assert.ok(decoded.ok);
  // Cabinet (4) and UserID (16) are not read: they might hold anything, so they are masked like the MRN (10) and account (11).
  assert.equal(decoded.contentType, 'text/csv; header=present; delimiter=","; columns=16; masked="4,10,11,16"');
  const shown = maskCsv(bytes.toString('utf8'), decoded.contentType);
  assert.ok(!shown.includes('MRN00012345') && !shown.includes('ENC-7781234') && !shown.includes('jdoe'));
  const rows = parse(shown, { bom: true }) as string[][];
  assert.deepEqual(rows[0]!.slice(0, 3), ['TransactionID', 'TransactionDateTime', 'Facility'], 'the header is shown');
  assert.deepEqual(rows[1], ['OC-100001', '2026-11-21 09:14:03', 'FAC-A', '***', 'LOC-A-OR3', 'ITM-00042', '1', 'EA', 'N', '***', '***', 'CASE-000123', 'L2406A', 'SN123456', '2028-03-31', '***']);
  assert.deepEqual(rows[5]!.slice(9, 11), ['', ''], 'empty cells stay empty: a person sees that there was no patient');
});

test('a row that does not line up with the header is masked whole; a refused file shows only its shape', () => {
  const text = 'TransactionID,PatientMRN\nT1,MRN1\nT2,MRN2,extra\n';
  assert.equal(maskCsv(text, csvContentType({ delimiter: ',', header: true, columns: 2, masked: [2] })), 'TransactionID,PatientMRN\nT1,***\n***,***,***\n');
  assert.equal(maskCsv(text, csvContentType({ delimiter: ',' })), '***,***\n***,***\n***,***,***\n');
  assert.match(maskCsv('a,"b\n', 'text/csv'), /^\[5 characters of CSV that cannot be read/);
});

test('content type parameters survive a delimiter that is itself a separator', () => {
  const type = csvContentType({ delimiter: ';', header: true, columns: 3, masked: [1, 3] });
  assert.equal(type, 'text/csv; header=present; delimiter=";"; columns=3; masked="1,3"');
  assert.deepEqual(parseCsvContentType(type), { delimiter: ';', header: true, columns: 3, masked: [1, 3] });
  assert.deepEqual(parseCsvContentType('text/csv'), { delimiter: ',', header: undefined, columns: undefined, masked: undefined });
});

test('the errors file: row, reason and the original row, quoted so it reads back exactly', () => {
  const original = 'OC-1,"LOC ""A""\r\nx",1';
  const text = errorsReport([{ row: 4, original, reason: 'Quantity: "one" is not a number' }, { row: 0, original: '', reason: 'binary' }]);
  assert.deepEqual(parse(text), [['row', 'reason', 'original'], ['4', 'Quantity: "one" is not a number', original], ['0', 'binary', '']]);
});

test('analytics export: a header and one row per event, the payload as JSON, retracted as true/false', () => {
  const event = {
    id: '0193a0d2-1', type: 'supply.used', schemaVersion: 1, idempotencyKey: 'OC-1', facility: 'FAC-A', occurredAt: '2026-11-21T09:14:03-05:00',
    recordedAt: '2026-11-21T14:14:04.000Z', sourceSystem: 'cab', correlationId: 'CASE-1, "quoted"', causationId: null, revision: 1,
    payload: { item: { code: 'ITM-1' }, patient: { token: 'pt_abcdefghijklmnop' }, note: 'line\nbreak' },
  };
  const text = encodeEventsCsv([{ event, retracted: false }, { event: { ...event, revision: 2 }, retracted: true }]);
  assert.ok(text.endsWith('\r\n'));
  const [header, first, second] = parse(text) as string[][];
  assert.deepEqual(header, [...EXPORT_COLUMNS]);
  assert.deepEqual(first, ['0193a0d2-1', 'supply.used', 'FAC-A', '2026-11-21T09:14:03-05:00', '2026-11-21T14:14:04.000Z', 'cab', 'CASE-1, "quoted"', 'OC-1', '1', 'false', JSON.stringify(event.payload)]);
  assert.deepEqual(second!.slice(8, 10), ['2', 'true']);
});
