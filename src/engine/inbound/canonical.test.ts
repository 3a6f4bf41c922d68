// Seeded fuzzing of what a canonical JSON message can carry (a NATS message, a webhook, a POST): whatever the bytes,
// readCanonical answers with events or with why they cannot be read (the message is then refused), never throws
// and never hangs. Mutations work on the JSON text (flipped, dropped and inserted bytes, truncation) and on the tree (wrong types, missing fields).
// A failing case prints its seed and index to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../codecs/fuzzing.ts';
import { readCanonical } from './canonical.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 0x7a75);
const CASES = 10_000;

const use = (key: string) => ({
  type: 'supply.used', idempotencyKey: key, occurredAt: '2026-05-12T09:41:00-05:00', facility: 'FAC-NORTH', source: { system: 'periop' },
  payload: { item: { system: 'periop', code: 'KN-FEM-5L' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-N-OR-CORE', lot: 'L1', serial: 'S1' },
});
const BASES = [use('k-1'), [use('k-2'), use('k-3')]];
const VALUES: unknown[] = [null, 0, -1, 1.5, true, '', 'x', [], {}, '2026-05-12', 'supply.returned', { value: 'one' }, '__proto__'];

function mutate(rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const tree = structuredClone(BASES[int(BASES.length)]) as Record<string, unknown> | Record<string, unknown>[];
  const event = (Array.isArray(tree) ? tree[int(tree.length)] : tree)!;
  const payload = event.payload as Record<string, unknown>;
  const target = rnd() < 0.5 ? event : payload;
  const keys = Object.keys(target);
  if (rnd() < 0.5) target[keys[int(keys.length)]!] = VALUES[int(VALUES.length)];
  else delete target[keys[int(keys.length)]!];
  const text = Buffer.from(JSON.stringify(tree));
  if (rnd() < 0.5) return text.toString('latin1');
  const bytes = [...text];
  for (let n = 1 + int(4); n > 0; n--) {
    const at = int(bytes.length);
    const op = int(4);
    if (op === 0) bytes[at] = int(256);
    else if (op === 1) bytes.splice(at, 1);
    else if (op === 2) bytes.splice(at, 0, '{}[]",:\\'.charCodeAt(int(9)));
    else bytes.length = at; // truncated
  }
  return Buffer.from(bytes).toString('latin1');
}

test('the events a message carries are read; an array is a batch', () => {
  const one = readCanonical(Buffer.from(JSON.stringify(use('k-1'))));
  const batch = readCanonical(Buffer.from(JSON.stringify([use('k-2'), use('k-3')])));
  assert.deepEqual(one.ok && one.events.map((e) => e.idempotencyKey), ['k-1']);
  assert.deepEqual(batch.ok && batch.events.map((e) => e.idempotencyKey), ['k-2', 'k-3']);
});

test('a bad field is named in the reason; text that is not JSON says so', () => {
  const bad = readCanonical(Buffer.from(JSON.stringify({ ...use('k-1'), occurredAt: '2026-05-12 09:41' })));
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? JSON.stringify(bad.error.issues) : '', /\/occurredAt/);
  const notJson = readCanonical(Buffer.from('[{"type":'));
  assert.match(!notJson.ok ? notJson.error.message : '', /not valid JSON/);
});

test(`${CASES} mutated messages: always events or a reason, never a throw (seed ${SEED})`, () => {
  const rnd = prng(SEED);
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const input = mutate(rnd);
    try {
      const r = readCanonical(Buffer.from(input, 'latin1'));
      if (!r.ok) {
        refused++;
        assert.ok(r.error.message.length > 0 && r.error.issues.length > 0);
      } else assert.ok(r.events.length > 0);
    } catch (error) {
      assert.fail(`case ${i} (seed ${SEED}) threw ${(error as Error).message}: ${JSON.stringify(input).slice(0, 300)}`);
    }
  }
  assert.ok(refused > CASES / 4, `most mutations are refused (${refused})`);
});
