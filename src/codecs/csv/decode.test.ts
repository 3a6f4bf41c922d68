// The CSV decoder on recorded fixtures: each file's events, its row errors with their line numbers and reasons,
// and the files refused whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUILT_IN_MAPPINGS, decodeCsv, mappingProblems, type CsvDecoded, type CsvMapping, type CsvOptions } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const OPTIONS: CsvOptions = {
  mapping: BUILT_IN_MAPPINGS.usage, sourceSystem: 'cabinet-omnicell', delimiter: ',', header: true, encoding: 'utf-8',
  dateFormat: 'iso', defaultOffset: '-05:00', receivedAt: '2026-11-21T12:00:00.000Z',
};
const decode = (name: string, over: Partial<CsvOptions> = {}) => decodeCsv(fixture(name), { ...OPTIONS, ...over });
function read(decoded: CsvDecoded) {
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.reason);
  return decoded;
}

test('a cabinet usage export (BOM, CRLF, quoted fields): uses, returns by negative quantity and by flag, lot and serial', () => {
  const { events, errors, rows } = read(decode('usage_omnicell-style_bom_crlf.csv'));
  assert.deepEqual(errors, []);
  assert.equal(rows, 5);
  assert.deepEqual(events.map((e) => [e.type, e.idempotencyKey, (e.payload.quantity as { value: number }).value]), [
    ['supply.used', 'OC-100001', 1],
    ['supply.used', 'OC-100002', 2],
    ['supply.returned', 'OC-100003:return', 1],
    ['supply.returned', 'OC-100004:return', 1],
    ['supply.used', 'OC-100005', 4],
  ]);
  const [first, second, , , last] = events;
  assert.deepEqual(first, {
    type: 'supply.used', schemaVersion: 1, idempotencyKey: 'OC-100001', occurredAt: '2026-11-21T09:14:03-05:00', facility: 'FAC-A',
    source: { system: 'cabinet-omnicell' },
    payload: {
      item: { system: 'erp', code: 'ITM-00042' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-A-OR3', lot: 'L2406A', serial: 'SN123456',
      expiry: '2028-03-31', patient: { identifier: 'MRN00012345' }, encounter: 'ENC-7781234', caseId: 'CASE-000123',
    },
  });
  assert.equal(second!.occurredAt, '2026-11-21T09:20:00-05:00', 'an offset in the file is kept');
  assert.deepEqual(second!.payload.quantity, { value: 2, unit: 'BX' });
  assert.deepEqual(last!.payload.quantity, { value: 4, unit: 'EA' }, 'an empty UOM takes the default');
  assert.equal(last!.payload.patient, undefined, 'floor stock: no patient');
});

test('a custom mapping: semicolons, header names with spaces, US 12-hour times, Issue/Return, a decimal comma refused', () => {
  const mapping: CsvMapping = {
    eventType: 'supply.used',
    columns: {
      transactionId: 'Trans ID', occurredAt: 'Dispense Date', 'payload.location': 'Station', 'payload.item.code': 'Item No',
      'payload.quantity.value': 'Qty', return: 'Txn Type', 'payload.patient.identifier': 'MRN', 'payload.encounter': 'Account',
    },
    defaults: { 'payload.item.system': 'erp', 'payload.quantity.unit': 'EA' },
  };
  assert.deepEqual(mappingProblems(mapping, true), []);
  const { events, errors } = read(decode('usage_pyxis-style_semicolon_us-dates.csv', {
    mapping, delimiter: ';', dateFormat: 'MM/DD/YYYY hh:mm A', defaultOffset: '-06:00', facility: 'FAC-B', sourceSystem: 'pyxis',
  }));
  assert.deepEqual(events.map((e) => [e.type, e.idempotencyKey, e.occurredAt, e.facility]), [
    ['supply.used', 'PX-9001', '2026-11-21T09:14:00-06:00', 'FAC-B'],
    ['supply.used', 'PX-9002', '2026-11-21T13:45:00-06:00', 'FAC-B'],
    ['supply.returned', 'PX-9003:return', '2026-11-21T00:05:00-06:00', 'FAC-B'],
  ]);
  assert.deepEqual(errors, [{ row: 5, original: 'PX-9004;11/21/2026 12:30 PM;LOC-B-CATH1;ITM-00311;2,5;Issue;;', reason: 'Qty: "2,5" is not a number' }]);
});

test('rows mode material: good rows become events; each bad row is named by its line with the row as it was and why', () => {
  const { events, errors, rows } = read(decode('usage_mixed-bad-rows.csv'));
  assert.deepEqual(events.map((e) => e.idempotencyKey), ['OC-200001', 'OC-200009']);
  assert.equal(rows, 11, 'the blank line is not a row');
  assert.deepEqual(errors.map((e) => [e.row, e.reason]), [
    [3, 'Quantity: "one" is not a number'],
    [4, 'TransactionDateTime: "21/11/2026 09:16" is not a time in the form YYYY-MM-DDTHH:mm:ss±hh:mm'],
    [5, '/payload/quantity/value (Quantity): missing'],
    [7, '5 fields where the header has 8'],
    [8, 'TransactionDateTime: "2026-11-31 09:19:00" is not a real date and time'],
    [9, '/payload/item (ItemID): needs a code or a gtin'],
    [10, 'TransactionID: empty'],
    [12, 'Quantity: "1e3" is not a number'],
    [14, '/payload/quantity/value (Quantity): Too small: expected number to be >0'],
  ]);
  assert.equal(errors[0]!.original, 'OC-200002,2026-11-21 09:15:00,FAC-A,LOC-A-OR3,ITM-00042,one,MRN00012345,ENC-7781234');
  assert.equal(errors[7]!.original, 'OC-200010,2026-11-21 09:23:00,FAC-A,"LOC-A-OR3\r\n",ITM-00311,1e3,,', 'a quoted line break stays in its row');
});

test('an item master in Windows-1252: GTINs padded to 14 digits, flag and status spellings, bad rows named', () => {
  const items = { mapping: BUILT_IN_MAPPINGS.items, encoding: 'windows-1252' as const, facility: 'FAC-A' };
  const { events, errors } = read(decode('items_item-master_windows-1252.csv', items));
  assert.deepEqual(events.map((e) => e.payload), [
    { id: 'ITM-00042', description: 'Femoral Component, Cemented, Size 5 Left', uom: 'EA', gtin: '00885556123454', manufacturer: 'Meridian Orthopédics', catalogNumber: 'MO-TKF-PS5L', implant: true, chargeable: true, status: 'active' },
    { id: 'ITM-00107', description: 'Suture 3-0 Vicryl 27in', uom: 'BX', gtin: '00840012345672', manufacturer: 'Ethicon', catalogNumber: 'J416H', implant: false, chargeable: false, status: 'active' },
    { id: 'ITM-00311', description: 'Glove Nitrile Exam M (100/box)', uom: 'BX', manufacturer: 'Medline', catalogNumber: 'MDS19', implant: false, chargeable: false, status: 'inactive' },
  ]);
  assert.ok(events.every((e) => e.type === 'item.upserted' && e.occurredAt === OPTIONS.receivedAt), 'rows without a time take the file\'s');
  assert.match(events[0]!.idempotencyKey, /^[0-9a-f]{64}:2$/, 'no transaction id: the content hash and the line');
  assert.deepEqual(errors.map((e) => [e.row, e.reason]), [
    [5, 'GTIN: "12345" is not a GTIN (8 to 14 digits)'],
    [6, 'Implant: "maybe" is not Y/N, true/false or 1/0'],
  ]);
  assert.equal(errors[0]!.original, 'ITM-00999,Tête fémorale 28mm,EA,12345,Stryker,6260-5-128,Y,Y,A');
  const asUtf8 = decode('items_item-master_windows-1252.csv', { ...items, encoding: 'utf-8' });
  assert.ok(!asUtf8.ok && /not utf-8 text/.test(asUtf8.error.reason), 'read as UTF-8, the file is refused whole');
});

test('a cycle count: a zero count is a count; a negative one is refused', () => {
  const { events, errors } = read(decode('counts_cycle-count.csv', { mapping: BUILT_IN_MAPPINGS.counts }));
  assert.deepEqual(events.map((e) => [e.type, e.payload.location, e.payload.quantity, e.occurredAt]), [
    ['stock.counted', 'LOC-A-OR3', { value: 4, unit: 'EA' }, '2026-11-21T06:00:00-05:00'],
    ['stock.counted', 'LOC-A-OR3', { value: 0, unit: 'BX' }, '2026-11-21T06:00:00-05:00'],
  ]);
  assert.deepEqual(errors.map((e) => [e.row, e.reason]), [[4, '/payload/quantity/value (CountedQuantity): Too small: expected number to be >=0']]);
});

test('files refused whole: a header without a required column, broken quoting, binary, an unknown header; empty files are fine', () => {
  const refused = (d: CsvDecoded) => (d.ok ? assert.fail('expected a refusal') : d.error);
  assert.deepEqual(refused(decode('usage_wrong-header_no-quantity.csv')), {
    row: 1, original: 'TransactionID,TransactionDateTime,Facility,CabinetLocation,ItemID,Qty Dispensed',
    reason: 'the header has no column for Quantity (payload.quantity.value)',
  });
  const quote = refused(decode('usage_unclosed-quote.csv'));
  assert.match(quote.reason, /^the file is not well-formed CSV: Quote Not Closed/);
  assert.ok(quote.row >= 2);
  assert.match(refused(decodeCsv(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), OPTIONS)).reason, /binary/);
  assert.match(refused(decodeCsv(Buffer.from('name,age\nann,3\n'), OPTIONS)).reason, /^the header names none of the mapped columns/);
  const headerOnly = read(decode('usage_header-only.csv'));
  assert.deepEqual([headerOnly.events, headerOnly.errors, headerOnly.rows], [[], [], 0]);
  const empty = read(decodeCsv(Buffer.alloc(0), OPTIONS));
  assert.deepEqual([empty.events, empty.errors], [[], []]);
});

test('the facility: a Facility column, else the channel\'s; neither is a row error', () => {
  const text = 'TransactionID,TransactionDateTime,Facility,CabinetLocation,ItemID,Quantity\nT1,2026-11-21 09:00,,LOC-A-OR3,ITM-1,1\nT2,2026-11-21 09:00,FAC-C,LOC-A-OR3,ITM-1,1\n';
  const withDefault = read(decodeCsv(Buffer.from(text), { ...OPTIONS, facility: 'FAC-A' }));
  assert.deepEqual(withDefault.events.map((e) => e.facility), ['FAC-A', 'FAC-C']);
  const without = read(decodeCsv(Buffer.from(text), OPTIONS));
  assert.deepEqual(without.errors.map((e) => e.reason), ['/facility (Facility): missing: the row names no facility and the channel has none']);
  const noColumn = decodeCsv(Buffer.from('TransactionID,TransactionDateTime,CabinetLocation,ItemID,Quantity\nT1,2026-11-21 09:00,L,I,1\n'), OPTIONS);
  assert.ok(!noColumn.ok && noColumn.error.reason === 'the header has no column for Facility (facility)');
});

test('a file without a header row is mapped by column number', () => {
  const mapping: CsvMapping = {
    eventType: 'stock.counted', columns: { 'payload.location': 1, 'payload.item.code': 2, 'payload.quantity.value': 3, occurredAt: 4 },
    defaults: { 'payload.quantity.unit': 'EA' },
  };
  assert.deepEqual(mappingProblems({ ...mapping, columns: { ...mapping.columns, facility: 'Facility' } }, false), [
    'facility: a file without a header row is mapped by column number, not "Facility"',
  ]);
  const { events, errors } = read(decodeCsv(Buffer.from('LOC-1,ITM-1,3,2026-11-21\nLOC-1,ITM-2,x,2026-11-21\n'), { ...OPTIONS, mapping, header: false, facility: 'FAC-A' }));
  assert.deepEqual(events.map((e) => [e.payload.item, e.occurredAt]), [[{ code: 'ITM-1' }, '2026-11-21T00:00:00-05:00']]);
  assert.deepEqual(errors.map((e) => [e.row, e.reason]), [[2, 'column 3: "x" is not a number']]);
});

test('mappings that cannot work are refused before any file is read', () => {
  assert.deepEqual(mappingProblems({ eventType: 'stock.counted', columns: { 'payload.quantity.value': 'Qty', 'payload.lot': 'Lot', return: 'R' }, defaults: {} }, true), [
    'payload.lot is not a field of stock.counted; it has transactionId, occurredAt, facility, payload.item.system, payload.item.code, payload.item.gtin, payload.quantity.value, payload.quantity.unit, payload.location',
    'return is not a field of stock.counted; it has transactionId, occurredAt, facility, payload.item.system, payload.item.code, payload.item.gtin, payload.quantity.value, payload.quantity.unit, payload.location',
    'payload.quantity.unit is required: map a column to it or give it a default',
    'payload.location is required: map a column to it or give it a default',
  ]);
  for (const mapping of Object.values(BUILT_IN_MAPPINGS)) assert.deepEqual(mappingProblems(mapping, true), []);
});
