// What a partner is told when Tendon cannot take what it sent: per transaction set, a 997/999 that points at the
// segment (AK3/IK3, position counted from ST = 1) and element (AK4/IK4) at fault; for an envelope Tendon cannot
// trust, a TA1 and no events at all. None of these throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeX12 } from './index.ts';
import { answerOf, bodyOf, fixture, OPTIONS } from './testing.ts';

const ACK_855 = fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi');
const INVOICES = fixture('810_invoice-and-credit-memo_5010.edi');

/** The 997 body for the 855 fixture's one set when it is rejected with these AK3/AK4 lines. */
const rejected855 = (...errors: string[]) =>
  ['ST*997*0001', 'AK1*PR*101', 'AK2*855*0001', ...errors, 'AK5*R*5', 'AK9*R*1*1*0', `SE*${6 + errors.length}*0001`];

function answer(text: string): string[] {
  const r = decodeX12(text, OPTIONS);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.events, [], 'a rejected set makes no event');
  return bodyOf(answerOf(r));
}

test('a missing mandatory segment: AK3 code 3 where it was expected', () => {
  assert.deepEqual(answer(ACK_855.replace(/BAK\*[^~]*~\r\n/, '')), ['ST*997*0001', 'AK1*PR*101', 'AK2*855*0001', 'AK5*R*4', 'AK9*R*1*1*0', 'SE*6*0001'],
    'removing a segment without fixing SE01 is a count error first');
  const withoutBak = ACK_855.replace(/BAK\*[^~]*~\r\n/, 'REF*ZZ*NO BAK HERE~\r\n');
  assert.deepEqual(answer(withoutBak), rejected855('AK3*BAK*2**3'));
});

test('a missing mandatory element, a bad code, a bad date: AK3 code 8 and AK4 with the element, its error and the value', () => {
  assert.deepEqual(answer(ACK_855.replace('BAK*00*AC*PO-2026-000123*', 'BAK*00*AC**')), rejected855('AK3*BAK*2**8', 'AK4*3**1'));
  assert.deepEqual(answer(ACK_855.replace('BAK*00*AC*', 'BAK*00*XX*')), rejected855('AK3*BAK*2**8', 'AK4*2**7*XX'));
  assert.deepEqual(answer(ACK_855.replace('*20261120*****20261121', '*20261131*****20261121')), rejected855('AK3*BAK*2**8', 'AK4*4**8*20261131'));
  assert.deepEqual(answer(ACK_855.replace('ACK*IB*8*BX', 'ACK*ZZ*8*BX')), rejected855('AK3*ACK*14**8', 'AK4*1**7*ZZ'));
  assert.deepEqual(answer(ACK_855.replace('PO1*3*20*BX*12.75*PE*VC*GLV-NIT-M*BP*ITM-00003', 'PO1*3*20*BX*12.75*PE*ZZ*GLV-NIT-M')),
    rejected855('AK3*PO1*11**8', 'AK4*6**7*ZZ'), 'a line with no product id Tendon can read');
  assert.deepEqual(answer(ACK_855.replace('PO1*1*10*BX*45.00', 'PO1*1*10*BX*45,00')), rejected855('AK3*PO1*5**8', 'AK4*4**6*45,00'));
});

test('a value the canonical schema refuses is still reported at its element (AK4 5: too long)', () => {
  const long = 'P'.repeat(129);
  assert.deepEqual(answer(ACK_855.replace('PO-2026-000123', long)), rejected855('AK3*BAK*2**8', `AK4*3**5*${long.slice(0, 99)}`));
});

test('in a 005010 group the same errors are IK3/IK4/IK5 in a 999, and the good set beside the bad one still makes its event', () => {
  const r = decodeX12(INVOICES.replace('BIG*20261201*CM-88120', 'BIG*20261301*CM-88120'), OPTIONS);
  assert.ok(r.ok);
  assert.deepEqual(r.events.map((e) => e.payload.invoiceNumber), ['INV-553201']);
  assert.deepEqual(r.rejections, ['810 0002 in group 103: BIG01: BIG01 invoice date "20261301" is not a date (CCYYMMDD)']);
  assert.deepEqual(bodyOf(answerOf(r)), [
    'ST*999*0001*005010X231', 'AK1*IN*103*005010', 'AK2*810*0001', 'IK5*A', 'AK2*810*0002', 'IK3*BIG*2**8', 'IK4*1**8*20261301', 'IK5*R*5',
    'AK9*P*2*2*1', 'SE*10*0001',
  ]);
});

test('a transaction set Tendon does not take, or in the wrong group, or with a broken trailer: AK5 R with its code', () => {
  assert.deepEqual(answer(ACK_855.replace('ST*855*0001', 'ST*837*0001')),
    ['ST*997*0001', 'AK1*PR*101', 'AK2*837*0001', 'AK5*R*1', 'AK9*R*1*1*0', 'SE*6*0001']);
  assert.deepEqual(answer(ACK_855.replace('ST*855*0001', 'ST*856*0001')),
    ['ST*997*0001', 'AK1*PR*101', 'AK2*856*0001', 'AK5*R*6', 'AK9*R*1*1*0', 'SE*6*0001'], 'an 856 in a PR group');
  assert.deepEqual(answer(ACK_855.replace('SE*16*0001', 'SE*16*0002')).at(-3), 'AK5*R*3');
  assert.deepEqual(answer(ACK_855.replace('SE*16*0001', 'SE*15*0001')).at(-3), 'AK5*R*4');
  assert.deepEqual(answer(ACK_855.replace('SE*16*0001~\r\n', '')).at(-3), 'AK5*R*2');
  assert.deepEqual(answer(ACK_855.replace('BAK*00*AC', 'B@K*00*AC')), rejected855('AK3*B@K*2**1'), 'a segment id that cannot be one');
});

test('a group in a version Tendon does not take, or a function it does not take: AK9 R with AK905', () => {
  assert.deepEqual(answer(ACK_855.replace('*X*004010~', '*X*003050~')),
    ['ST*997*0001', 'AK1*PR*101', 'AK2*855*0001', 'AK5*R*1', 'AK9*R*1*1*0*2', 'SE*6*0001']);
  assert.deepEqual(answer(ACK_855.replace('GS*PR*', 'GS*PO*')),
    ['ST*997*0001', 'AK1*PO*101', 'AK2*855*0001', 'AK5*R*1', 'AK9*R*1*1*0*1', 'SE*6*0001']);
});

/** The TA1 an envelope error gets, and its note. */
function ta1(text: string): string {
  const r = decodeX12(text, OPTIONS);
  assert.equal(r.ok, false, 'an envelope error is refused whole');
  const a = answerOf(r)!;
  assert.match(a, /^ISA\*.{101}~\nTA1\*[^~]*~\nIEA\*0\*000000900~\n$/);
  return /TA1\*([^~]*)~/.exec(a)![1]!;
}

test('envelope errors get a TA1 (TA104 R) with their note, and no events: ISA13 ≠ IEA02, GS06 ≠ GE02, counts, ISA fields', () => {
  assert.equal(ta1(ACK_855.replace('IEA*1*000000101', 'IEA*1*000000102')), '000000101*261121*0930*R*001');
  assert.equal(ta1(ACK_855.replace('IEA*1*', 'IEA*2*')), '000000101*261121*0930*R*021');
  assert.equal(ta1(ACK_855.replace('GE*1*101', 'GE*1*102')), '000000101*261121*0930*R*024');
  assert.equal(ta1(ACK_855.replace('GE*1*101', 'GE*2*101')), '000000101*261121*0930*R*024');
  assert.equal(ta1(ACK_855.replace('GS*PR*MEDSUPPLYCO*TENDONHOSP*20261121*', 'GS*PR*MEDSUPPLYCO*TENDONHOSP*20261321*')), '000000101*261121*0930*R*024');
  assert.equal(ta1(ACK_855.replace('*000000101*0*P', '*00000010X*0*P')), '000000000*261121*0930*R*018');
  assert.equal(ta1(ACK_855.replace('*261121*0930*', '*261399*0960*')), '000000101*261121*1015*R*014', 'TA102/TA103: the answer\'s own time when the sender\'s is unreadable');
  assert.equal(ta1(ACK_855.replace('ZZ*MEDSUPPLYCO    *', 'ZZ*MEDSUPPLYCO   *')), '000000101*261121*0930*R*006', 'ISA06 one character short');
  assert.equal(ta1(ACK_855.replace(/^ISA[^~]*~/, 'ISA*00**00**ZZ*MEDSUPPLYCO*ZZ*TENDONHOSP*261121*0930*U*00401*000000101*0*P*>~')), '000000000*261121*1015*R*022',
    'an ISA without its fixed widths');
  assert.equal(ta1(ACK_855.replace(/GE\*1\*101~\r\nIEA\*1\*000000101~\r\n$/, '')), '000000101*261121*0930*R*023', 'cut off before the end');
  assert.equal(ta1(ACK_855.replace('IEA*1*000000101~\r\n', 'IEA*1*000000101~\r\nGS*PR*X~\r\n')), '000000101*261121*0930*R*022', 'text after the IEA');
  assert.equal(ta1(ACK_855.replace(/ST\*855/, 'XX*1~\r\nST*855')), '000000101*261121*0930*R*024', 'a segment between sets');
  assert.equal(ta1(`ISA1${ACK_855.slice(4)}`), '000000000*261121*1015*R*026');
});

test('input that is not X12 at all never throws: answered by a TA1 022 in a stand-in envelope', () => {
  for (const text of ['', 'hello', '{"type":"supply.used"}', 'MSH|^~\\&|EHR', Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('latin1')]) {
    const r = decodeX12(text, OPTIONS);
    assert.ok(!r.ok && r.header === null, text);
    assert.equal(r.error.note, '022');
    assert.match(answerOf(r)!, /\*ZZ\*TENDON         \*ZZ\*UNKNOWN        \*/);
  }
});
