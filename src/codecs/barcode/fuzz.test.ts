// Seeded fuzzing: whatever a scanner, a keyboard wedge or a person typing sends, parseBarcode answers with a value
// or a string error, never throws, and every value it gives is one a caller can trust (a GTIN with a valid check
// digit, a real calendar date, an HIBC labeler code of the right shape). A failing case prints its seed and index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../fuzzing.ts';
import { isValidGtin, parseBarcode, type BarcodeResult } from './index.ts';
import { SAMPLES } from './fixtures/samples.ts';

const SEED = 0xba5c0de;
const CASES = 10_000;

const BASES = SAMPLES.map((s) => s.input);
const POOL = ['\x1d', '\x1d\x1d', '(', ')', '(01)', '(17)', '(10)', '(21)', '(240)', '+', '/', '$', '$$', '$$+', '$+', '*', ']d2', ']C1', ']Q3',
  '\r\n', '\n', ' ', '0', '9', '00', 'A', 'a', 'Z', '-', '.', '%', '14D', '16D', 'S', 'Q', 'é', '\u0000', '\uD800', '\uFFFF', '٣', '１',
  '991399', '000000', '999999', '25366', '1325', 'constructor', '__proto__'];

function mutate(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const at = int(text.length + 1);
  switch (int(11)) {
    case 0: return text.slice(0, at) + pick(POOL) + text.slice(at + 1); // replace a character
    case 1: return text.slice(0, at); // truncate (a partial read)
    case 2: return text.slice(0, at) + pick(POOL) + text.slice(at); // insert
    case 3: return text.slice(0, at) + text.slice(at + 1 + int(4)); // drop a few characters (a lost FNC1, a lost '/')
    case 4: { // one digit misread: check digits and check characters must catch it
      const digits = [...text.matchAll(/\d/g)];
      if (digits.length === 0) return text;
      const i = pick(digits).index;
      return text.slice(0, i) + String((Number(text[i]) + 1 + int(9)) % 10) + text.slice(i + 1);
    }
    case 5: { const i = int(text.length); const j = int(text.length); const c = [...text]; [c[i], c[j]] = [c[j]!, c[i]!]; return c.join(''); }
    case 6: return rnd() < 0.5 ? text.toLowerCase() : text.toUpperCase();
    case 7: return Array.from({ length: int(80) }, () => String.fromCharCode(int(rnd() < 0.8 ? 128 : 65536))).join(''); // garbage
    case 8: { // a long run, rarely a huge one
      const size = rnd() < 0.01 ? 1_000_000 : 20 + int(2_000);
      return text.slice(0, at) + pick(['9', 'A', '\x1d', '/', '$', '(01)']).repeat(size) + text.slice(at);
    }
    case 9: return text.slice(at) + text.slice(0, at); // rotated (a read started mid-label)
    default: return pick(BASES) + pick(['', '\r\n', '\x1d', '+', '/']) + text.slice(at); // two reads glued together
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isRealDate = (s: string) => {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // not Date.UTC, which reads years 0–99 as 19xx
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

function check(r: BarcodeResult, where: string): string {
  assert.equal(typeof r, 'object', where);
  if (!r.ok) {
    assert.equal(typeof r.error, 'string', where);
    assert.ok(r.error.length > 0 && r.error.length < 400, `${where}: an error message a person can read, got ${r.error.length} characters`);
    return 'error';
  }
  const v = r.value;
  assert.deepEqual(Object.keys(v).sort(), ['expiry', 'gtin', 'hibc', 'lot', 'manufactured', 'serial', 'symbology'], where);
  if (v.symbology === 'gs1') {
    assert.ok(v.gtin !== null && v.gtin.length === 14 && isValidGtin(v.gtin), `${where}: gtin ${v.gtin}`);
    assert.equal(v.hibc, null, where);
  } else {
    assert.equal(v.symbology, 'hibcc', where);
    assert.equal(v.gtin, null, where);
    assert.ok(v.hibc && /^[A-Z][A-Z0-9]{3}$/.test(v.hibc.labelerId) && /^[A-Z0-9]{1,18}$/.test(v.hibc.product), `${where}: ${JSON.stringify(v.hibc)}`);
    assert.ok(Number.isInteger(v.hibc.unitOfMeasure) && v.hibc.unitOfMeasure >= 0 && v.hibc.unitOfMeasure <= 9, where);
  }
  for (const field of [v.lot, v.serial]) assert.ok(field === null || (field.length >= 1 && field.length <= 20), `${where}: ${field}`);
  for (const date of [v.expiry, v.manufactured]) assert.ok(date === null || isRealDate(date), `${where}: date ${date}`);
  return v.symbology;
}

test(`${CASES} seeded mutations: parseBarcode never throws and answers a trustworthy value or a string error`, { timeout: 60_000 }, () => {
  const rnd = prng(SEED);
  const counts: Record<string, number> = { error: 0, gs1: 0, hibcc: 0 };
  for (let i = 0; i < CASES; i++) {
    let text = BASES[Math.floor(rnd() * BASES.length)]!;
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < rounds; k++) text = mutate(text, rnd);
    const where = `seed ${SEED} case ${i}: ${JSON.stringify(text.slice(0, 120))}`;
    let r: BarcodeResult;
    try {
      r = parseBarcode(text);
    } catch (e) {
      assert.fail(`${where}: threw ${(e as Error).stack}`);
    }
    counts[check(r, where)]!++;
    if (i % 10 === 0) assert.deepEqual(parseBarcode(text), r, `${where}: the same input, the same answer`);
  }
  // The mutations must reach both outcomes for both formats, or this test proves little.
  assert.ok(counts.error! > 3_000 && counts.gs1! > 200 && counts.hibcc! > 200, `outcomes: ${JSON.stringify(counts)}`);
});
