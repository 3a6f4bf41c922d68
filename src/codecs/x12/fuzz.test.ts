// Seeded fuzzing: whatever arrives over HTTP or in a file, decodeX12 answers with a value (events, a partner's
// acknowledgment, 997/999 rejections or a TA1), the answer is X12 Tendon itself can read back, and it all finishes
// quickly. A failing case prints its seed and index to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { InboundEvent } from '../../model/events.ts';
import { prng } from '../fuzzing.ts';
import { decodeX12, maskX12, TA1_NOTES, type X12Decoded } from './index.ts';
import { answerOf, fixture, OPTIONS } from './testing.ts';

const SEED = 0x12e01;
const CASES = 10_000;

const BASES = readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => f.endsWith('.edi')).map(fixture);
const POOL = ['*', '~', ':', '^', '>', '\n', '\r\n', ' ', '', '0', '9', '-', '.', '+', 'E', 'é', '\u0000', '\uFFFF', '\uD800', 'ISA', 'IEA*1*',
  'GS*', 'ST*855*0001', 'SE*', '20261345', '2400', '999999999999', '1e309', 'NaN', '-1', '٣', 'constructor', '__proto__', 'ZZ', 'IB', 'CR'];

function mutate(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const at = int(text.length + 1);
  const terminator = text.charAt(105) || '~';
  const segments = text.split(terminator);
  const element = text.charAt(3) || '*';
  switch (int(12)) {
    case 0: return text.slice(0, at) + pick(POOL) + text.slice(at + 1); // replace a character
    case 1: return text.slice(0, at); // truncate
    case 2: return text.slice(0, at) + pick(['*', '~', ':', '^', '>', '\n', '~\n', '****', '~~']) + text.slice(at); // insert delimiters
    case 3: { const i = int(segments.length); segments.splice(i, 0, segments[i] ?? ''); return segments.join(terminator); } // duplicate a segment
    case 4: segments.splice(int(segments.length), 1); return segments.join(terminator); // drop a segment
    case 5: { const i = int(segments.length); const j = int(segments.length); [segments[i], segments[j]] = [segments[j]!, segments[i]!]; return segments.join(terminator); }
    case 6: { // binary garbage, alone or behind a plausible ISA
      const garbage = Array.from({ length: int(600) }, () => String.fromCharCode(int(rnd() < 0.8 ? 256 : 65536))).join('');
      return rnd() < 0.5 ? garbage : text.slice(0, 106) + garbage;
    }
    case 7: { // a huge element
      const size = rnd() < 0.05 ? 1_000_000 : 2_000 + int(60_000);
      const cut = text.indexOf(element, Math.max(at, 107));
      return cut < 0 ? text + 'X'.repeat(size) : text.slice(0, cut + 1) + pick(['X', '9', element, terminator]).repeat(size) + text.slice(cut + 1);
    }
    case 8: { // the delimiters the ISA names, shuffled or changed
      const chars = [...text];
      for (const i of [3, 82, 104, 105]) if (rnd() < 0.5) chars[i] = pick(['*', '~', ':', '^', '>', '\n', 'A', ' ', '|']);
      return chars.join('');
    }
    case 9: { // one element replaced by something plausible but wrong
      const i = int(segments.length);
      const parts = (segments[i] ?? '').split(element);
      parts[int(parts.length + 3)] = pick(POOL) + pick(POOL);
      segments[i] = Array.from(parts, (p) => p ?? '').join(element);
      return segments.join(terminator);
    }
    case 10: return text // versions, set ids, functions and codes Tendon branches on
      .replace(/00[45]010(VICS|X\d{3})?/, pick(['003010', '005010', '004010', '006020', '']))
      .replace(/ST(.)8\d\d/, `ST$1${pick(['855', '856', '810', '832', '837', '997', '999', '850', 'XYZ'])}`)
      .replace(/GS(.)[A-Z]{2}/, `GS$1${pick(['PR', 'SH', 'IN', 'SC', 'FA', 'PO', 'HC', ''])}`);
    default: return pick(BASES) + pick(['', '\n', '~']) + text.slice(at); // two interchanges glued together
  }
}

function check(r: X12Decoded, where: string): string {
  if (!r.ok) {
    assert.ok(Object.hasOwn(TA1_NOTES, r.error.note) && r.error.note !== '000', where);
    assert.ok(!r.error.message.startsWith('internal error'), `${where}: ${r.error.message}`);
    assert.equal(r.answer.ta1?.note, r.error.note, where);
    return `TA1 ${r.error.note}`;
  }
  for (const e of r.events) assert.ok(InboundEvent.safeParse(e).success, `${where}: ${JSON.stringify(e).slice(0, 300)}`);
  for (const g of r.answer.groups) for (const s of g.sets) {
    assert.ok(s.accepted || s.code, where);
    assert.ok(!s.error?.message.startsWith('internal error'), `${where}: ${s.error?.message}`);
  }
  if (r.kind === 'acknowledgment') return 'acknowledgment';
  return r.events.length > 0 ? (r.rejections.length > 0 ? 'events + rejections' : 'events') : 'rejections';
}

test(`${CASES} seeded mutations: decodeX12 never throws, never hangs, always events or a 997/999/TA1 that Tendon can read back`, { timeout: 60_000 }, () => {
  const rnd = prng(SEED);
  const counts: Record<string, number> = {};
  for (let i = 0; i < CASES; i++) {
    let input = BASES[Math.floor(rnd() * BASES.length)]!;
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < rounds; k++) input = mutate(input, rnd);
    const where = `seed ${SEED} case ${i}`;
    const r = decodeX12(rnd() < 0.5 ? input : Buffer.from(input, 'latin1'), OPTIONS);
    const outcome = check(r, where);
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    const answer = answerOf(r);
    if (answer !== null) {
      const back = decodeX12(answer, { partners: {} });
      assert.ok(back.ok && back.kind === 'acknowledgment', `${where}: the answer does not read back: ${JSON.stringify(answer.slice(0, 300))}`);
    } else {
      assert.ok(r.ok && r.kind === 'acknowledgment' && !r.answer.ta1, `${where}: no answer`);
    }
    if (i % 10 === 0) assert.equal(typeof maskX12(input), 'string');
  }
  const ta1s = Object.keys(counts).filter((k) => k.startsWith('TA1')).length;
  assert.ok((counts.events ?? 0) > 300 && (counts.rejections ?? 0) > 300 && (counts.acknowledgment ?? 0) > 100 && ta1s >= 10, `the mutations reach every outcome: ${JSON.stringify(counts)}`);
});

// A hang guard, not a speed check: a reader quadratic in the input's size would take minutes here, not seconds.
test('size alone cannot stall it: 10,000 invoice lines, and one 4 MB element', { timeout: 30_000 }, () => {
  const base = fixture('810_invoice-and-credit-memo_5010.edi');
  const line = 'IT1*1*10*BX*45.00*PE*VC*SUT-3-0-VIC*BP*ITM-00017~\n';
  const lines = Array.from({ length: 10_000 }, (_, i) => line.replace('IT1*1*', `IT1*${i + 1}*`)).join('');
  const many = base.replace(/ST\*810\*0001~\n[\s\S]*?SE\*15\*0001~\n/, (set) => set.replace(/IT1\*[\s\S]*?TDS/, `${lines}TDS`).replace('SE*15*', `SE*${15 - 5 + 10_000}*`));
  const r = decodeX12(many, OPTIONS);
  assert.ok(r.ok && r.events.length === 2 && (r.events[0]!.payload.lines as unknown[]).length === 10_000, JSON.stringify(r.ok && r.rejections));
  const huge = decodeX12(base.replace('INV-553201', '9'.repeat(4_000_000)), OPTIONS);
  assert.ok(huge.ok);
  assert.deepEqual(huge.answer.groups[0]!.sets[0]!.error?.element?.code, '5', 'too long for an invoice number');
});
