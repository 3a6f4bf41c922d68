// Test helpers for the barcode codec's tests: a scan that must be read, and one that must be refused.
import assert from 'node:assert/strict';
import { parseBarcode, type ScannedBarcode } from './index.ts';

export function read(input: string): ScannedBarcode {
  const r = parseBarcode(input);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** The refusal's message. */
export function refused(input: string): string {
  const r = parseBarcode(input);
  assert.equal(r.ok, false, r.ok ? `read as ${JSON.stringify(r.value)}` : '');
  return (r as { error: string }).error;
}
