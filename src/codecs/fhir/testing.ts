// Test support for the FHIR codec's tests: editing a fixture without touching it, and reading a refusal.
import assert from 'node:assert/strict';
import type { FhirDecodeResult } from './decode.ts';

// `any`: fixtures are edited freely in tests, and shapes that break the types are the point.
export type Json = Record<string, any>;

export function edited(base: Json, change: (r: Json) => void): Json {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

/** The status and the (code, first expression) of each issue of a refused decode. */
export function refused(r: FhirDecodeResult) {
  assert.equal(r.ok, false, r.ok ? JSON.stringify(r.events) : '');
  const f = r as Extract<FhirDecodeResult, { ok: false }>;
  return { status: f.status, issues: f.outcome.issue.map((i) => [i.code, i.expression?.[0] ?? null]) };
}
