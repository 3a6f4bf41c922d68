// Every published barcode in fixtures/samples.ts reads as what it carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBarcode } from './index.ts';
import { SAMPLES } from './fixtures/samples.ts';

for (const sample of SAMPLES) {
  test(`${sample.name} (${sample.source})`, () => {
    assert.deepEqual(parseBarcode(sample.input), { ok: true, value: sample.expected });
  });
}

test('a scanner in keyboard mode ends each read with CR, LF or CRLF: the answer is the same', () => {
  for (const sample of SAMPLES) {
    for (const suffix of ['\r', '\n', '\r\n']) {
      assert.deepEqual(parseBarcode(sample.input + suffix), { ok: true, value: sample.expected }, `${sample.name} + ${JSON.stringify(suffix)}`);
    }
  }
});
