// GS1 mod-10 check digits and GTIN normalisation, on GTINs published as examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gs1CheckDigit, isValidGtin } from './index.ts';
import { hibcCheckCharacter } from './check-digits.ts';

// GS1 General Specifications example GTIN-14; FDA's GS1 UDI example; GS1 US example GTIN; Wikipedia's UPC-A and
// EAN-13 examples; a widely printed EAN-8 example.
const PUBLISHED = ['09504000059118', '51022222233336', '00614141999996', '036000291452', '4006381333931', '96385074'];

test('gs1CheckDigit gives the last digit of published GTINs of every length', () => {
  for (const gtin of PUBLISHED) assert.equal(gs1CheckDigit(gtin.slice(0, -1)), Number(gtin.at(-1)), gtin);
});

test('gs1CheckDigit is 0 when the weighted sum is a multiple of ten, and refuses non-digits', () => {
  assert.equal(gs1CheckDigit('0000000000000'), 0);
  assert.equal(gs1CheckDigit('1'), 7); // 1×3 = 3 → 7
  assert.throws(() => gs1CheckDigit(''), RangeError);
  assert.throws(() => gs1CheckDigit('12a4'), RangeError);
});

test('isValidGtin takes 8, 12, 13 and 14 digits with a correct check digit, nothing else', () => {
  for (const gtin of PUBLISHED) assert.equal(isValidGtin(gtin), true, gtin);
  assert.equal(isValidGtin('09504000059119'), false, 'wrong check digit');
  assert.equal(isValidGtin('4006381333932'), false, 'wrong check digit');
  for (const wrongLength of ['1234565', '123456789', '12345678901', '123456789012345']) {
    const withCheck = wrongLength.slice(0, -1) + gs1CheckDigit(wrongLength.slice(0, -1));
    assert.equal(isValidGtin(withCheck), false, `${withCheck.length} digits`);
  }
  assert.equal(isValidGtin(''), false);
  assert.equal(isValidGtin('0950400005911 8'), false);
  assert.equal(isValidGtin('９６３８５０７４'), false, 'full-width digits are not digits');
});


test('the HIBC mod-43 check character matches published primaries, and is null for characters outside the set', () => {
  assert.equal(hibcCheckCharacter('+A99912345'), '7'); // BWIPP wiki: +A999123457
  assert.equal(hibcCheckCharacter('+A123BJC5D6E71'), 'G');
  assert.equal(hibcCheckCharacter('+A123BJCMD6E79'), '+');
  assert.equal(hibcCheckCharacter('+a123'), null);
});
