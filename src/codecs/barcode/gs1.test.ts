// GS1 element strings: the printed form and scanner output, check digits, dates, and the AIs Tendon refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { read, refused } from './testing.ts';

const GS = '\x1d';

test('the scan forms GS1 symbols transmit read the same as the printed form', () => {
  const printed = read('(01)09504000059118(17)141120(10)7654321D(21)10987654d321');
  for (const scanned of [
    `]C10109504000059118171411201${'0'}7654321D${GS}2110987654d321`,
    `]d20109504000059118171411201${'0'}7654321D${GS}2110987654d321`,
    `]Q30109504000059118171411201${'0'}7654321D${GS}2110987654d321`,
    `${GS}0109504000059118171411201${'0'}7654321D${GS}2110987654d321`, // FNC1 in first position sent as GS
    `0109504000059118171411201${'0'}7654321D${GS}2110987654d321${GS}`, // a trailing separator
    `010950400005911817141120${GS}107654321D${GS}2110987654d321`, // a separator after a fixed-length AI
  ]) {
    assert.deepEqual(read(scanned), printed, JSON.stringify(scanned));
  }
});

test('elements may come in any order; the last variable-length AI needs no separator', () => {
  const v = read(`]d22110987654d321${GS}1011AB${GS}17260600010950400005911811250101`);
  assert.deepEqual(v, { symbology: 'gs1', gtin: '09504000059118', hibc: null, lot: '11AB', serial: '10987654d321', expiry: '2026-06-30', manufactured: '2025-01-01' });
});

test('an expiry day of 00 means the last day of the month, leap years included; a production day of 00 the first', () => {
  assert.equal(read('(01)09504000059118(17)240200').expiry, '2024-02-29');
  assert.equal(read('(01)09504000059118(17)250200').expiry, '2025-02-28');
  assert.equal(read('(01)09504000059118(17)251100').expiry, '2025-11-30');
  assert.equal(read('(01)09504000059118(11)250700').manufactured, '2025-07-01');
});

test('a GTIN whose check digit is wrong is refused, saying which digit it should be', () => {
  assert.equal(refused('(01)09504000059119(17)141120'), 'GTIN 09504000059119 fails its check digit (expected 8)');
  assert.equal(refused(']C10109504000059110'), 'GTIN 09504000059110 fails its check digit (expected 8)');
});

test('dates that do not exist are refused, naming the AI', () => {
  assert.equal(refused('(01)09504000059118(17)141320'), 'AI 17 (expiry date) 141320 is not a valid YYMMDD date');
  assert.equal(refused('(01)09504000059118(17)250230'), 'AI 17 (expiry date) 250230 is not a valid YYMMDD date');
  assert.equal(refused('(01)09504000059118(17)250432'), 'AI 17 (expiry date) 250432 is not a valid YYMMDD date');
  assert.equal(refused('(01)09504000059118(11)250000'), 'AI 11 (production date) 250000 is not a valid YYMMDD date');
  assert.equal(refused('(01)09504000059118(17)25AB01'), 'AI 17 (expiry date) must be 6 digits, got "25AB01"');
  assert.equal(refused('(01)09504000059118(17)2501'), 'AI 17 (expiry date) must be 6 digits, got "2501"');
});

test('truncated scans are refused, saying where they stop', () => {
  assert.equal(refused('01095040000591'), 'GS1 data is cut short: AI 01 (GTIN) needs 14 digits, found 12');
  assert.equal(refused('010950400005911817141'), 'GS1 data is cut short: AI 17 (expiry date) needs 6 digits, found 3');
  assert.equal(refused(`0109504000059118171411${GS}10A`), 'GS1 data is cut short: AI 17 (expiry date) needs 6 digits, found 4');
  assert.equal(refused('01095040000591181'), 'GS1 data ends inside an Application Identifier: "1"');
  assert.equal(refused('(01)09504000059118(10)'), 'AI 10 (lot) is empty');
  assert.equal(refused(`010950400005911810${GS}21X`), 'AI 10 (lot) is empty');
});

test('a scan missing its FNC1 after a lot shows up as a lot longer than GS1 allows', () => {
  assert.equal(refused('01095040000591181012345678901234521SERIAL'),
    'AI 10 (lot) is 23 characters, more than the 20 allowed (a missing FNC1 separator?)');
});

test('AIs other than 01, 10, 11, 17, 21 are refused by name unless GS1 gives them a predefined length', () => {
  const message = (ai: string) => `GS1 AI ${ai} is not supported: Tendon reads AIs 01, 10, 11, 17 and 21 and accepts only the predefined-length AIs besides them`;
  assert.equal(refused('(01)09504000059118(240)ABC123'), message('240'));
  assert.equal(refused(`]d2010950400005911824012345${GS}10A`), message('240'));
  assert.equal(refused('(01)09504000059118(7003)2501011200'), message('7003'));
  assert.equal(refused('0109504000059118300012'), message('30'));
  assert.equal(refused('(01)09504000059118(90)X'), message('90'));
  // Predefined-length AIs are checked and read past: a net weight, a best-before date, an SSCC, a ship-to GLN.
  const weight = '3103' + '000525';
  const bestBefore = '15' + '250630';
  const sscc = '00' + '106141411234567897';
  const shipTo = '410' + '0614141000418';
  assert.deepEqual(read(`]C10109504000059118${weight}${bestBefore}${sscc}${shipTo}${'10'}L1`),
    { symbology: 'gs1', gtin: '09504000059118', hibc: null, lot: 'L1', serial: null, expiry: null, manufactured: null });
  assert.equal(refused('(01)09504000059118(00)106141411234567890'), 'AI 00 (SSCC) 106141411234567890 fails its check digit (expected 7)');
  assert.equal(refused('(01)09504000059118(15)251301'), 'AI 15 (best-before date) 251301 is not a valid YYMMDD date');
});

test('AIs GS1 has not assigned are refused: unknown prefixes and a printed AI of the wrong length', () => {
  assert.equal(refused('0109504000059118'.replace('01', '05')), 'no GS1 Application Identifier starts with 05 (at position 0)');
  assert.equal(refused('(01)09504000059118(19)123456'), '(19) is not a GS1 Application Identifier');
  assert.equal(refused('(017)250630'), '(017) is not a GS1 Application Identifier: AIs starting 01 have 2 digits');
});

test('GS1 data without a GTIN, with two different GTINs, or with characters outside GS1\'s set is refused', () => {
  assert.equal(refused('(17)250630(10)ABC'), 'GS1 data has no GTIN (AI 01), so it does not identify a product');
  assert.equal(refused('(01)09504000059118(01)00614141999996'), 'GS1 AI 01 (GTIN) appears twice with different values');
  assert.equal(read('(01)09504000059118(01)09504000059118').gtin, '09504000059118', 'the same element twice is harmless');
  assert.equal(refused('(01)09504000059118(10)AB C'), 'AI 10 (lot) "AB C" has a character GS1 does not allow');
  assert.equal(refused('(01)09504000059118(21)é1'), 'AI 21 (serial number) "é1" has a character GS1 does not allow');
  assert.equal(refused('(01)09504000059118(21)123456789012345678901'), 'AI 21 (serial number) is 21 characters, more than the 20 allowed (a missing FNC1 separator?)');
  assert.equal(refused('(01) 09504000059118'), 'AI 01 (GTIN) must be 14 digits, got " 09504000059118"');
  assert.equal(refused('01)09504000059118'), 'AI 01 (GTIN) must be 14 digits, got ")0950400005911"');
  assert.equal(refused('0109504000059118)17)250630'), 'expected a GS1 Application Identifier at position 16, found ")17)2506…"');
  assert.equal(refused('x(01)09504000059118'), 'not a GS1 or HIBC barcode: GS1 data starts with a digit or "(", HIBC with "+"; this starts with "x(01)0950400…"');
});

test('empty input and input with only a symbology identifier or line end are refused', () => {
  assert.equal(refused(''), 'the barcode is empty');
  assert.equal(refused('\r\n'), 'the barcode holds no data');
  assert.equal(refused(']d2'), 'the barcode holds no data');
  assert.equal(refused(null as unknown as string), 'a barcode is text, got null');
});
