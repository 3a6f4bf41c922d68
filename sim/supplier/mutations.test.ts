// Seeded mutations of a valid 850 through POST /x12: the supplier must answer every one with 202 or with 400 and a
// TA1 rejection (never a crash or a 500), and must be able to write every document it then owes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../common/prng.ts';
import { DEFAULT_DELIMITERS, parseInterchange, readTa1s } from '../common/x12.ts';
import { orderKeyOf, renderDocument } from './documents.ts';
import type { Order } from './plan.ts';
import { createSupplierSim } from './server.ts';

const VALID = [
  'ISA*00*          *00*          *ZZ*TENDON         *ZZ*MEDSUPPLY      *261121*0930*U*00401*000000001*0*P*:~',
  'GS*PO*TENDON*MEDSUPPLY*20261121*0930*1*X*004010~',
  'ST*850*0001~',
  'BEG*00*SA*4500000001**20261121~',
  'N1*ST*RIVERSIDE GENERAL*UL*0614141000029~',
  'PO1*1*2*EA*4080.00*PE*VC*MO-0330-86*UK*03894600134015*IN*ITM-00001~',
  'PID*F****KNEE FEMORAL COMPONENT~',
  'PO1*2*10*BX*12.5*PE*VC*GH-8927-99*UK*08490651147285~',
  'CTT*2~',
  'SE*8*0001~',
  'GE*1*1~',
  'IEA*1*000000001~',
].join('\n');

const NOISE = ['*', '~', ':', '^', '\n', '\r', ' ', '0', '9', '.', '-', 'A', 'ISA', 'GS*', 'ST*850*0001~', 'SE*', 'IEA*1*', '\u00e9', '\u0000'];

function mutate(text: string, rng: ReturnType<typeof createRng>, round: number): string {
  let out = text;
  const edits = 1 + rng.int(0, 3);
  for (let k = 0; k < edits; k++) {
    const at = rng.int(0, out.length);
    switch (rng.int(0, 5)) {
      case 0: out = out.slice(0, at) + out.slice(at + rng.int(1, 8)); break; // delete a few characters
      case 1: out = out.slice(0, at) + rng.pick(NOISE) + out.slice(at); break; // insert a delimiter or a fragment
      case 2: out = out.slice(0, at) + rng.pick(NOISE) + out.slice(at + 1); break; // replace one character
      case 3: { // drop or repeat a whole segment
        const segs = out.split('\n');
        const i = rng.int(0, segs.length - 1);
        if (rng.chance(0.5)) segs.splice(i, 1);
        else segs.splice(i, 0, segs[i] ?? '');
        out = segs.join('\n');
        break;
      }
      case 4: out = out.slice(0, at); break; // cut short
      default: { // swap two neighbouring segments
        const segs = out.split('\n');
        const i = rng.int(0, Math.max(0, segs.length - 2));
        [segs[i], segs[i + 1]] = [segs[i + 1] ?? '', segs[i] ?? ''];
        out = segs.join('\n');
      }
    }
  }
  // A fresh control number per round (where the mutation left it readable): not all duplicates of the first.
  return out.replace('*000000001*0*P', `*${String(round).padStart(9, '0')}*0*P`).replace('IEA*1*000000001', `IEA*1*${String(round).padStart(9, '0')}`);
}

test('10,000 mutated 850s: each answered 202 or 400 with a TA1 R, and every owed document can be written', async () => {
  const sim = createSupplierSim({ seed: 11, log: () => {} });
  const rng = createRng(20261121);
  const counts = { accepted: 0, refused: 0 };
  try {
    for (let round = 1; round <= 10_000; round++) {
      const body = mutate(VALID, rng, round);
      const res = await sim.app.inject({ method: 'POST', url: '/x12', headers: { 'content-type': 'application/edi-x12' }, payload: body });
      if (res.statusCode === 202) {
        counts.accepted++;
        continue;
      }
      assert.equal(res.statusCode, 400, `round ${round}: ${res.statusCode} ${res.body}\n${body}`);
      counts.refused++;
      assert.match(String(res.headers['content-type']), /^application\/edi-x12/);
      assert.equal(readTa1s(parseInterchange(res.body))[0]?.code, 'R', `round ${round}`);
    }
    assert.ok(counts.accepted > 1000 && counts.refused > 1000, JSON.stringify(counts));
    for (const entry of sim.outbox.entries()) {
      const doc = entry.document;
      const key = orderKeyOf(doc);
      const order = key === undefined ? undefined : sim.store.get<Order>('orders', key);
      const text = renderDocument(doc, order, { controlNumber: 1, at: Date.now(), us: { qualifier: 'ZZ', id: 'MEDSUPPLY' }, delimiters: DEFAULT_DELIMITERS });
      assert.equal(parseInterchange(text).groups.length, 1);
    }
  } finally {
    await sim.outbox.close();
  }
});
