// Cell readers: the spellings exports use, and a reason for everything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBoolean, readDate, readDateTime, readGtin, readNumber, readReturnFlag, readStatus } from './values.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; reason: string }) => (r.ok ? r.value : `! ${r.reason}`);

test('numbers: plain decimals with a sign; no exponent, no thousands separator, no decimal comma', () => {
  assert.deepEqual(['1', '-2', '+3', '2.5', '.5', '10.'].map((s) => value(readNumber(s))), [1, -2, 3, 2.5, 0.5, 10]);
  for (const s of ['1e3', '1,000', '2,5', 'NaN', 'Infinity', '0x10', '1 2', '']) assert.equal(readNumber(s).ok, false, s);
});

test('flags, return flags and statuses as item masters and cabinets spell them', () => {
  assert.deepEqual(['Y', 'yes', 'TRUE', 't', '1', 'x'].map((s) => value(readBoolean(s))), [true, true, true, true, true, true]);
  assert.deepEqual(['N', 'no', 'False', 'f', '0'].map((s) => value(readBoolean(s))), [false, false, false, false, false]);
  assert.equal(value(readBoolean('maybe')), '! "maybe" is not Y/N, true/false or 1/0');
  assert.deepEqual(['R', 'Return', 'RETURNED', 'Y'].map((s) => value(readReturnFlag(s))), [true, true, true, true]);
  assert.deepEqual(['I', 'Issue', 'dispense', 'N'].map((s) => value(readReturnFlag(s))), [false, false, false, false]);
  assert.equal(readReturnFlag('Waste').ok, false, 'a waste is neither: refused rather than guessed');
  assert.deepEqual(['A', 'Active', 'I', 'inactive', 'Discontinued'].map((s) => value(readStatus(s))), ['active', 'active', 'inactive', 'inactive', 'inactive']);
});

test('GTINs come out as GTIN-14, whatever a spreadsheet did to the leading zeros', () => {
  assert.deepEqual(['885556123454', '0885556123454', '00885556123454', '12345670', '0088-5556-1234-54'].map((s) => value(readGtin(s))),
    ['00885556123454', '00885556123454', '00885556123454', '00000012345670', '00885556123454']);
  for (const s of ['1234567', '123456789012345', 'ABC12345678']) assert.equal(readGtin(s).ok, false, s);
});

test('ISO times: the offset given, else the site\'s; a space for the T; a date alone is midnight; impossible dates refused', () => {
  const iso = (s: string) => value(readDateTime(s, 'iso', '-05:00'));
  assert.equal(iso('2026-11-21T09:14:03-06:00'), '2026-11-21T09:14:03-06:00');
  assert.equal(iso('2026-11-21 09:14:03'), '2026-11-21T09:14:03-05:00');
  assert.equal(iso('2026-11-21 09:14'), '2026-11-21T09:14:00-05:00');
  assert.equal(iso('2026-11-21T09:14:03.250Z'), '2026-11-21T09:14:03.250Z');
  assert.equal(iso('2026-11-21T09:14:03+0100'), '2026-11-21T09:14:03+01:00');
  assert.equal(iso('2026-11-21'), '2026-11-21T00:00:00-05:00');
  assert.equal(iso('2024-02-29 12:00'), '2024-02-29T12:00:00-05:00');
  for (const s of ['2026-02-29 12:00', '2026-11-21 24:00', '2026-11-21 09:60', '2026-13-01', '21/11/2026', '2026-11-21T09:14:03+15:00', 'today']) {
    assert.equal(readDateTime(s, 'iso', '-05:00').ok, false, s);
  }
});

test('patterned times: day-first, US 12-hour with 12 AM and 12 PM, an offset after the pattern', () => {
  const at = (s: string, f: string) => value(readDateTime(s, f, '+01:00'));
  assert.equal(at('21.11.2026 09:14', 'DD.MM.YYYY HH:mm'), '2026-11-21T09:14:00+01:00');
  assert.equal(at('1/5/2026 9:05:07 PM', 'MM/DD/YYYY hh:mm:ss A'), '2026-01-05T21:05:07+01:00');
  assert.equal(at('11/21/2026 12:05 AM', 'MM/DD/YYYY hh:mm A'), '2026-11-21T00:05:00+01:00');
  assert.equal(at('11/21/2026 12:30 pm', 'MM/DD/YYYY hh:mm A'), '2026-11-21T12:30:00+01:00');
  assert.equal(at('20261121 0914 -0500', 'YYYYMMDD HHmm'), '2026-11-21T09:14:00-05:00');
  const wrong: [string, string][] = [['13/21/2026 09:14', 'MM/DD/YYYY HH:mm'], ['11/21/2026 13:05 PM', 'MM/DD/YYYY hh:mm A'], ['11/21/2026 09:05', 'MM/DD/YYYY hh:mm A'], ['2026-11-21', 'DD.MM.YYYY']];
  for (const [s, f] of wrong) {
    assert.equal(readDateTime(s, f, '+01:00').ok, false, `${s} as ${f}`);
  }
});

test('dates (expiry): ISO, compact, or the date part of the channel\'s pattern', () => {
  assert.equal(value(readDate('2028-03-31', 'iso')), '2028-03-31');
  assert.equal(value(readDate('20280331', 'iso')), '2028-03-31');
  assert.equal(value(readDate('03/31/2028', 'MM/DD/YYYY hh:mm A')), '2028-03-31');
  assert.equal(value(readDate('2028-03-31', 'MM/DD/YYYY hh:mm A')), '2028-03-31');
  for (const s of ['2028-02-30', '03/31/2028', '2028-03-31T00:00:00', '2028-03']) assert.equal(readDate(s, 'iso').ok, false, s);
});
