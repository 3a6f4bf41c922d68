// Seeded fuzzing: whatever arrives on an MLLP socket or in a file drop, decodeHl7 answers with a value (events or
// AE/AR), builds an ACK for it, and finishes quickly. A failing case prints its seed and index to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { InboundEvent } from '../../model/events.ts';
import { prng } from '../fuzzing.ts';
import { parseMessage } from './decode.ts';
import { buildAcks, decodeHl7, HL7_ERROR_TEXT, maskHl7, splitBatch } from './index.ts';

const SEED = 0x7e1d0;
const CASES = 10_000;

const dir = new URL('./fixtures/', import.meta.url);
const BASES = readdirSync(dir).filter((f) => f.endsWith('.hl7')).flatMap((f) => splitBatch(readFileSync(new URL(f, dir), 'utf8')));
const POOL = ['|', '^', '~', '\\', '&', '#', '\r', '\n', '\r\n', ' ', '"', '""', '0', '9', '-', '+', '.', 'é', '™', '\u0000', '\uFFFF',
  '\uD800', '\x0b', '\x1c', 'MSH|', '\\X0D\\', '\\F\\', '\\', '\\.br\\', '\\Zfoo\\', '1e309', 'NaN', '٣', '20261345', '-999999999'];

function mutate(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const at = int(text.length + 1);
  const lines = text.split('\r');
  switch (int(12)) {
    case 0: return text.slice(0, at) + pick(POOL) + text.slice(at + 1); // replace a character
    case 1: return text.slice(0, at); // truncate
    case 2: return text.slice(0, at) + pick(['|', '^', '~', '&', '\\', '\r', '||||', '^^^^']) + text.slice(at); // insert delimiters
    case 3: { const i = int(lines.length); lines.splice(i, 0, lines[i] ?? ''); return lines.join('\r'); } // duplicate a segment
    case 4: lines.splice(int(lines.length), 1); return lines.join('\r'); // drop a segment
    case 5: { const i = int(lines.length); const j = int(lines.length); [lines[i], lines[j]] = [lines[j]!, lines[i]!]; return lines.join('\r'); }
    case 6: { // binary garbage, alone or behind a plausible MSH
      const garbage = Array.from({ length: int(600) }, () => String.fromCharCode(int(rnd() < 0.8 ? 256 : 65536))).join('');
      return rnd() < 0.5 ? garbage : `MSH|^~\\&|${garbage}`;
    }
    case 7: { // a huge field
      const pipe = text.indexOf('|', at);
      const size = rnd() < 0.05 ? 1_000_000 : 2_000 + int(60_000);
      return pipe < 0 ? text + 'X'.repeat(size) : text.slice(0, pipe + 1) + pick(['X', '9', '^', '~']).repeat(size) + text.slice(pipe + 1);
    }
    case 8: return text.slice(0, 4) + [...text.slice(4, 8)].sort(() => rnd() - 0.5).join('') + text.slice(8); // shuffle MSH-2
    case 9: { // one field's value replaced by something plausible but wrong
      const i = int(lines.length);
      const fields = (lines[i] ?? '').split('|');
      fields[int(fields.length + 3)] = pick(POOL) + pick(POOL);
      lines[i] = Array.from(fields, (f) => f ?? '').join('|');
      return lines.join('\r');
    }
    case 10: return text.replace(/\|2\.\d(\.\d)?\|/, `|${pick(['2.2', '2.10', '', '2.5^x', '9'])}|`).replace(/DFT\^P\d\d|MFN\^M16/, pick(['DFT^P03', 'DFT', '^P03', 'MFN^M16^', 'dft^p11']));
    default: return pick(BASES) + pick(['\r', '\n\n', '']) + text.slice(at); // two messages glued together
  }
}

test(`${CASES} seeded mutations: decodeHl7 never throws, never hangs, always answers ok or AE/AR with a 0357 code`, { timeout: 60_000 }, () => {
  const rnd = prng(SEED);
  const counts: Record<string, number> = {};
  for (let i = 0; i < CASES; i++) {
    let input = BASES[Math.floor(rnd() * BASES.length)]!;
    const rounds = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < rounds; k++) input = mutate(input, rnd);
    const where = `seed ${SEED} case ${i}`;
    const r = decodeHl7(input);
    if (r.ok) {
      assert.ok(r.events.length > 0, where);
      for (const e of r.events) assert.ok(InboundEvent.safeParse(e).success, where);
    } else {
      assert.ok(r.ack === 'AE' || r.ack === 'AR', where);
      assert.ok(Object.hasOwn(HL7_ERROR_TEXT, r.error.code), where);
      assert.notEqual(r.error.code, '207', `${where}: an internal error: ${r.error.message}`);
    }
    const key = r.ok ? 'ok' : `${r.ack} ${r.error.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
    // The answer to whatever arrived is itself sound HL7 that Tendon can read back.
    const acks = buildAcks(r.header, r.ok ? { code: 'AA' } : { code: r.ack, error: r.error }, { controlId: `F${i}`, now: '2026-05-12T14:41:01-05:00', receivingApplication: 'TENDON' });
    for (const ack of acks) assert.ok(parseMessage(ack.slice(0, -1))?.getSegment('MSA'), `${where}: ACK ${JSON.stringify(ack.slice(0, 80))}`);
    if (i % 10 === 0) assert.equal(typeof maskHl7(input), 'string');
  }
  assert.ok((counts.ok ?? 0) > 500 && Object.keys(counts).length >= 6, `the mutations reach both outcomes: ${JSON.stringify(counts)}`);
});

// A hang guard, not a speed check: a decoder quadratic in the input's size would take minutes here, not seconds.
test('size alone cannot stall it: 20,000 lines in one DFT, and one 4 MB field', { timeout: 30_000 }, () => {
  const [head, ...rest] = BASES.find((b) => b.includes('PX-000981'))!.split('\r');
  const ft1 = rest.find((l) => l.startsWith('FT1|'))!;
  const lines = Array.from({ length: 20_000 }, (_, i) => ft1.replace('FT1|1|', `FT1|${i + 1}|`));
  const many = decodeHl7([head, ...rest.filter((l) => !l.startsWith('FT1|')), ...lines].join('\r'));
  assert.ok(many.ok && many.events.length === 20_000);
  const huge = decodeHl7([head, ...rest].join('\r').replace('|300099^', `|${'9'.repeat(4_000_000)}^`));
  assert.deepEqual(huge.ok ? null : [huge.error.code, huge.error.location?.field], ['102', 34]);
});
