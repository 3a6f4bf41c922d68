// HIBC LIC: the primary, primary + secondary as two labels, the concatenated 2D form, and every way one is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { read, refused } from './testing.ts';
import { hibcCheckCharacter } from './check-digits.ts';

/** Data with its mod-43 check character appended, for building test labels. */
const checked = (data: string) => data + hibcCheckCharacter(data);
/** A secondary label linked to a primary: '+', data, the primary's check character, its own check character. */
const secondaryFor = (primary: string, data: string) => checked(`+${data}${primary.at(-1)}`);

const PRIMARY = '+A123BJC5D6E71G'; // DacoTaco/BarcodeParserBuilder HIBC tests

test('each $$ date flag reads its format, on a two-label scan', () => {
  const expiryOf = (data: string) => read(PRIMARY + secondaryFor(PRIMARY, data)).expiry;
  assert.equal(expiryOf('$$0525LOT1'), '2025-05-31', 'MMYY is the month\'s last day');
  assert.equal(expiryOf('$$1225LOT1'), '2025-12-31');
  assert.equal(expiryOf('$$2123125LOT1'), '2025-12-31', 'MMDDYY');
  assert.equal(expiryOf('$$3251231LOT1'), '2025-12-31', 'YYMMDD');
  assert.equal(expiryOf('$$425123123LOT1'), '2025-12-31', 'YYMMDDHH');
  assert.equal(expiryOf('$$525365LOT1'), '2025-12-31', 'YYJJJ');
  assert.equal(expiryOf('$$52406023LOT1'), '2024-02-29', 'YYJJJ day 060 of a leap year');
  assert.equal(expiryOf('$$62436523LOT1'), '2024-12-30', 'YYJJJHH');
  assert.equal(expiryOf('$$7LOT1'), null, 'flag 7: no date');
  assert.equal(expiryOf('$LOT1'), null);
  assert.equal(expiryOf('25365LOT1'), '2025-12-31', 'the original Julian-date secondary');
});

test('lot and serial go where their flags say; a date-only secondary has neither', () => {
  const secondary = (data: string) => {
    const { lot, serial, expiry } = read(PRIMARY + secondaryFor(PRIMARY, data));
    return { lot, serial, expiry };
  };
  assert.deepEqual(secondary('$LOT1'), { lot: 'LOT1', serial: null, expiry: null });
  assert.deepEqual(secondary('$+SER1'), { lot: null, serial: 'SER1', expiry: null });
  assert.deepEqual(secondary('$$3251231LOT1'), { lot: 'LOT1', serial: null, expiry: '2025-12-31' });
  assert.deepEqual(secondary('$$+3251231SER1'), { lot: null, serial: 'SER1', expiry: '2025-12-31' });
  assert.deepEqual(secondary('$$+0525SER1'), { lot: null, serial: 'SER1', expiry: '2025-05-31' });
  assert.deepEqual(secondary('$$3251231'), { lot: null, serial: null, expiry: '2025-12-31' });
  assert.deepEqual(secondary('25365'), { lot: null, serial: null, expiry: '2025-12-31' });
});

test('a primary may end in any of the 43 check characters, including a space, "/" and "+"', () => {
  // Product numbers chosen so each primary's check character is a symbol rather than a letter or digit.
  const seen = new Set<string>();
  for (let n = 0; seen.size < 7 && n < 36 * 36; n++) {
    const product = `P${n.toString(36).toUpperCase().padStart(2, '0')}`;
    const primary = checked(`+A123${product}0`);
    const check = primary.at(-1)!;
    if (/[A-Z0-9]/.test(check) || seen.has(check)) continue;
    seen.add(check);
    const expected = { labelerId: 'A123', product, unitOfMeasure: 0 };
    assert.deepEqual(read(primary).hibc, expected, `alone, check ${JSON.stringify(check)}`);
    const both = read(primary + secondaryFor(primary, '$$3251231LOT9'));
    assert.deepEqual([both.hibc, both.lot, both.expiry], [expected, 'LOT9', '2025-12-31'], `with a secondary, check ${JSON.stringify(check)}`);
  }
  assert.deepEqual([...seen].sort(), [' ', '$', '%', '+', '-', '.', '/']);
});

test('the primary\'s fields: LIC, product number up to 18 characters, the unit of measure digit', () => {
  assert.deepEqual(read(checked('+Z9Z9X0')).hibc, { labelerId: 'Z9Z9', product: 'X', unitOfMeasure: 0 });
  assert.deepEqual(read(checked('+A123ABCDEFGHIJKLMNOPQR9')).hibc, { labelerId: 'A123', product: 'ABCDEFGHIJKLMNOPQR', unitOfMeasure: 9 });
  assert.equal(refused(checked('+A123ABCDEFGHIJKLMNOPQRS9')), 'HIBC product number "ABCDEFGHIJKLMNOPQRS" is 19 characters, more than 18');
  // A digit after the '+' cannot start a labeler code, so the data is read as a Julian-date secondary.
  assert.match(refused(checked('+1123ABC1')), /^HIBC secondary data \(lot, serial, expiry\) without its primary/);
  assert.equal(refused(checked('+A-23ABC1')), 'HIBC labeler identification code must be 4 letters or digits, the first a letter: got "A-23"');
  assert.equal(refused(checked('+A12')), 'HIBC primary data "A12" is too short: it needs a 4-character labeler code, a product number and a unit of measure digit');
  assert.equal(refused(checked('+A1231')), 'HIBC primary data "A1231" is too short: it needs a 4-character labeler code, a product number and a unit of measure digit');
  assert.equal(refused(checked('+A123ABCX')), 'HIBC unit of measure must be a digit, got "X" at the end of "A123ABCX"');
});

test('a wrong check character is refused, naming the one the data gives', () => {
  assert.equal(refused('+A123BJC5D6E71H'), 'HIBC primary check character is "H" but the data gives "G"');
  assert.equal(refused('+A123BJC5D6E71G+$$52001510X3GE'), 'HIBC secondary check character is "E" but the data gives "D"');
  assert.equal(refused('+X999123ABC0/$$05191234AB/S5678EDFG/16D20151001B'), 'HIBC data check character is "B" but the data gives "A"');
  assert.equal(refused('+A123BJC5D6E72G'), 'HIBC primary check character is "G" but the data gives "H"', 'one digit misread');
});

test('a secondary label from another item is refused by its link character', () => {
  const other = checked('+B456OTHER1');
  assert.equal(refused(PRIMARY + secondaryFor(other, '$$52001510X3')),
    `HIBC secondary label's link character ${JSON.stringify(other.at(-1))} does not match the primary's check character "G": the two labels are not from the same item`);
});

test('a secondary on its own is refused: it cannot be matched to a product', () => {
  const message = 'HIBC secondary data (lot, serial, expiry) without its primary cannot be matched to a product: scan the primary label too';
  assert.equal(refused('+$$52001510X3GD'), message);
  assert.equal(refused('+2001510X3GG'), message);
});

test('dates that do not exist are refused with their format', () => {
  const secondary = (data: string) => refused(PRIMARY + secondaryFor(PRIMARY, data));
  assert.equal(secondary('$$1325LOT'), 'HIBC expiry "1325" is not a valid MMYY date');
  assert.equal(secondary('$$2023025LOT'), 'HIBC expiry "023025" is not a valid MMDDYY date (flag 2)');
  assert.equal(secondary('$$3250230LOT'), 'HIBC expiry "250230" is not a valid YYMMDD date (flag 3)');
  assert.equal(secondary('$$425123124LOT'), 'HIBC expiry "25123124" is not a valid YYMMDDHH date (flag 4)');
  assert.equal(secondary('$$525366LOT'), 'HIBC expiry "25366" is not a valid YYJJJ date (flag 5)');
  assert.equal(secondary('$$525000LOT'), 'HIBC expiry "25000" is not a valid YYJJJ date (flag 5)');
  assert.equal(secondary('$$32512'), 'HIBC expiry "2512" is not a valid YYMMDD date (flag 3)', 'truncated date');
  assert.equal(secondary('25366LOT'), 'HIBC secondary "25366LOT" starts with a digit, so it must start with a YYJJJ date');
  assert.equal(refused(checked('+X999123ABC0/$1234AB/14D20190230')), 'HIBC expiry date "14D20190230" is not a valid YYYYMMDD date');
  assert.equal(refused(checked('+X999123ABC0/$1234AB/16D2019051')), 'HIBC manufacture date "16D2019051" is not a valid YYYYMMDD date');
});

test('secondary data Tendon does not read is refused by name', () => {
  const secondary = (data: string) => refused(PRIMARY + secondaryFor(PRIMARY, data));
  assert.equal(secondary('$$812LOT1'), 'HIBC quantity formats ($$8) are not supported');
  assert.equal(secondary('$$+900012SER1'), 'HIBC quantity formats ($$+9) are not supported');
  assert.equal(secondary('$$'), 'HIBC secondary "$$": \'$$\' must be followed by a date format flag 0–7, got "nothing"');
  assert.equal(secondary('$'), 'HIBC lot "" must be 1–18 letters or digits');
  assert.equal(secondary('$$7'), 'HIBC lot "" must be 1–18 letters or digits');
  assert.equal(secondary('$+ABCDEFGHIJKLMNOPQRS'), 'HIBC serial number "ABCDEFGHIJKLMNOPQRS" must be 1–18 letters or digits');
  assert.equal(secondary('25001ABCDEFGHIJKLMN'), 'HIBC lot "ABCDEFGHIJKLMN" after a YYJJJ date must be 1–13 letters or digits');
  assert.equal(refused(checked('+X999123ABC0/$1234AB/Q12')), 'HIBC quantity (Q) is not supported');
  assert.equal(refused(checked('+X999123ABC0/$1234AB/7X12')), 'HIBC supplemental data "7X12" is not one Tendon reads (S, 14D, 16D)');
  assert.equal(refused(checked('+X999123ABC0/$1234AB//S1')), 'HIBC data has an empty field between two "/"');
});

test('the concatenated form may not give the same field twice', () => {
  assert.equal(refused(checked('+X999123ABC0/$$3190515LOT/14D20190515')), 'HIBC data gives the expiry date twice');
  assert.equal(refused(checked('+X999123ABC0/$+SER1/SSER2')), 'HIBC data gives the serial number twice');
  assert.equal(refused(checked('+X999123ABC0/$LOT1/$LOT2')), 'HIBC supplemental data "$LOT2" is not one Tendon reads (S, 14D, 16D)');
  assert.deepEqual(read(checked('+X999123ABC0/S5678')).serial, '5678', 'supplemental data without a secondary');
});

test('characters HIBC cannot carry, truncated labels and stray text are refused', () => {
  assert.equal(refused('+a123BJC5D6E71G'), 'HIBC data cannot hold "a" (position 1)');
  assert.equal(refused('+A123BJC5D6E71G\x1d'), 'HIBC data cannot hold "\\u001d" (position 15)');
  assert.equal(refused('+A123BJC5D6E71G+$G'), 'HIBC secondary label "+$G" is too short: it needs data, a link character and a check character');
  assert.equal(refused('+A123BJC5D6E71G-X'), 'HIBC data has "-X" after the primary, where a \'/\' or a secondary label\'s \'+\' belongs');
  assert.equal(refused('+'), 'HIBC labeler identification code must be 4 letters or digits, the first a letter: got ""');
  assert.equal(refused('+A12'), 'HIBC labeler identification code must be 4 letters or digits, the first a letter: got "A12"');
});

test('the Code 39 caption form *+…* reads like the data; a symbology identifier is stripped', () => {
  assert.deepEqual(read('*+A123BJC5D6E71G*'), read(PRIMARY));
  assert.deepEqual(read(']C0+A123BJC5D6E71G'), read(PRIMARY));
  assert.deepEqual(read(']d1+X999123ABC0/$$05191234AB/S5678EDFG/16D20151001A').lot, '1234AB');
});
