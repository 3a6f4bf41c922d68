// Seeded fuzzing: whatever a FHIR sender posts, decodeFhir answers with a value (events, or an OperationOutcome with
// 400/415/422), never throws, never fails inside (500), and finishes quickly. Mutations work on the JSON tree (wrong
// types, missing and extra elements, other resource types, broken references) and on the text (truncation, stray
// characters). A failing case prints its seed and index to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { InboundEvent } from '../../model/events.ts';
import { prng } from '../fuzzing.ts';
import { decodeFhir, maskFhir, validateR4, type FhirDecodeResult } from './index.ts';

// FUZZ_SEED=<n> replays another sequence (CI runs the fixed one; a found failure is fixed, then kept by its seed here).
const SEED = Number(process.env.FUZZ_SEED ?? 0xf41e);
const CASES = 10_000;

const dir = new URL('./fixtures/', import.meta.url);
const BASES: unknown[] = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
const VALUES: unknown[] = [
  null, 0, -1, 1.5, 1e21, true, '', ' ', 'x', [], {}, [null], [{}], 'completed', 'billable', 'active', 'in-progress', '2026-05-12T14:10:00',
  '2026-05-12T14:10:00-05:00', '2026-02-30T00:00:00Z', '2026-05', 'Patient/pt-1', 'Location/LOC-1', '#implant', '#nope', 'urn:oid:1.3.160',
  'https://www.gs1.org/gtin', '00885556123454', '12345', 'é™\u0000\uFFFF', '\uD800', 'SupplyDelivery', 'ChargeItem', 'Bundle', 'Patient', 'Foo',
  { resourceType: 'Device', id: 'implant' }, { reference: 'Patient/1' }, { value: 0 }, { value: -3, unit: 'EA' }, { coding: [{ code: 'X' }] },
  { url: 'urn:tendon:extension:facility', valueCode: 'FAC-NORTH' }, 'constructor', '__proto__', 'toString',
];
const KEYS = ['status', 'identifier', 'resourceType', 'quantity', 'value', 'code', 'coding', 'system', 'reference', 'contained', 'entry', 'resource',
  'request', 'method', 'type', 'extension', 'patient', 'subject', 'destination', 'deliverTo', 'priceOverride', 'occurrenceDateTime', 'authoredOn',
  'itemCodeableConcept', 'itemReference', 'suppliedItem', 'account', 'context', 'lotNumber', 'valueString', '__proto__', 'constructor', 'x'];

type Node = Record<string, unknown> | unknown[];

/** Every object and array in a tree, so a mutation can land anywhere. */
function containers(root: unknown): Node[] {
  const out: Node[] = [];
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v && typeof v === 'object') {
      out.push(v as Node);
      for (const child of Object.values(v)) stack.push(child);
    }
  }
  return out;
}

function mutateTree(root: unknown, rnd: () => number): unknown {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const nodes = containers(root);
  if (nodes.length === 0) return pick(VALUES);
  const node = pick(nodes);
  const keys = Object.keys(node);
  const key = Array.isArray(node) ? int(node.length + 1) : rnd() < 0.7 && keys.length ? pick(keys) : pick(KEYS);
  const target = node as Record<string | number, unknown>;
  switch (int(8)) {
    case 0: delete target[key]; break; // a missing element
    case 1: target[key] = structuredClone(pick(VALUES)); break; // a wrong value or type
    case 2: target[key] = [target[key]]; break; // a single value where an array is expected, or the reverse
    case 3: target[key] = Array.isArray(target[key]) ? (target[key] as unknown[])[0] : target[key]; break;
    case 4: target[key] = structuredClone(pick(BASES)); break; // a whole resource somewhere unexpected
    case 5: Object.defineProperty(target, pick(KEYS), { value: structuredClone(pick(VALUES)), enumerable: true, configurable: true, writable: true }); break;
    case 6: target[key] = 'X'.repeat(rnd() < 0.02 ? 1_000_000 : 1 + int(5000)); break; // a huge value
    default: { // deep nesting
      let deep: unknown = pick(VALUES);
      for (let i = 0, n = int(200); i < n; i++) deep = rnd() < 0.5 ? [deep] : { extension: [deep], url: 'urn:x' };
      target[key] = deep;
    }
  }
  return root;
}

function mutateText(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const at = int(text.length + 1);
  switch (int(5)) {
    case 0: return text.slice(0, at); // truncated
    case 1: return text.slice(0, at) + ['{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', 'é'][int(10)] + text.slice(at); // a stray character
    case 2: return text.slice(0, at) + text.slice(at + 1 + int(20)); // a few characters lost
    case 3: return `<${text}`; // looks like XML
    default: return text.replace(/"(-?\d+(\.\d+)?)"|(-?\d+(\.\d+)?)/, (m) => (m.startsWith('"') ? m.slice(1, -1) : `"${m}"`)); // number ↔ string
  }
}

const ISSUE_TYPES = new Set(['invalid', 'structure', 'required', 'value', 'invariant', 'code-invalid', 'not-supported', 'business-rule', 'too-costly']);

function check(r: FhirDecodeResult, where: string, deep: boolean) {
  if (r.ok) {
    assert.equal(r.entries.length, r.events.length, where);
    for (const e of r.events) assert.ok(InboundEvent.safeParse(e).success, `${where}: ${JSON.stringify(e)}`);
    for (const f of r.failures) assert.ok([400, 422].includes(f.status), where);
    return;
  }
  assert.notEqual(r.status, 500, `${where}: the codec failed inside: ${r.outcome.issue[0]?.diagnostics}`);
  assert.ok([400, 415, 422].includes(r.status), where);
  assert.ok(r.outcome.issue.length > 0, where);
  for (const i of r.outcome.issue) {
    assert.ok(i.severity === 'error' && ISSUE_TYPES.has(i.code), `${where}: ${JSON.stringify(i)}`);
    assert.ok(i.expression === undefined || i.expression.every((e) => typeof e === 'string' && e.length > 0), where);
  }
  if (deep) assert.deepEqual(validateR4(r.outcome), [], `${where}: the OperationOutcome is itself valid R4`);
}

test(`${CASES} seeded mutations: decodeFhir never throws, never fails inside, always answers events or a 400/415/422 outcome`, { timeout: 60_000 }, () => {
  const rnd = prng(SEED);
  const counts: Record<string, number> = {};
  for (let i = 0; i < CASES; i++) {
    let input: unknown = structuredClone(BASES[Math.floor(rnd() * BASES.length)]);
    const rounds = Math.floor(rnd() * 4); // 0 keeps a fixture as it is: the good ones must still map
    for (let k = 0; k < rounds; k++) input = mutateTree(input, rnd);
    const asText = rnd() < 0.35;
    const body = asText ? (rnd() < 0.5 ? mutateText(JSON.stringify(input) ?? 'null', rnd) : JSON.stringify(input) ?? 'null') : input;
    const where = `seed ${SEED} case ${i}`;
    let r: FhirDecodeResult;
    try {
      r = decodeFhir(body, { sourceSystem: 'fuzz', defaultFacility: rnd() < 0.8 ? 'FAC-NORTH' : undefined });
    } catch (e) {
      assert.fail(`${where}: threw ${e instanceof Error ? e.stack : String(e)}`);
    }
    check(r, where, i % 50 === 0);
    const key = r.ok ? (r.failures.length ? 'ok with failures' : 'ok') : String(r.status);
    counts[key] = (counts[key] ?? 0) + 1;
    if (i % 10 === 0 && typeof body === 'string') assert.equal(typeof maskFhir(body), 'string', where);
  }
  assert.ok(['ok', 'ok with failures', '400', '415', '422'].every((k) => (counts[k] ?? 0) > 50), `the mutations reach every outcome: ${JSON.stringify(counts)}`);
});
