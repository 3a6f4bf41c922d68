// What Tendon writes, read back by an independent parser (node-x12's, strict: it checks every trailer count and
// control number): the 850 gives back the order it was made from, and the 997/999 answers are sound X12 that
// Tendon's own reader takes as the acknowledgments they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X12Parser, type X12Interchange, type X12Segment } from 'node-x12';
import { EncodeError } from '../rest/index.ts';
import { decodeX12, encode850, type PurchaseOrder, type X12Envelope } from './index.ts';
import { answerOf, fixture, OPTIONS } from './testing.ts';

const ORDER: PurchaseOrder = {
  poNumber: 'PO-2026-000123', orderDate: '2026-11-20', supplierId: 'SUP-0007', facility: 'FAC-A',
  shipTo: { facility: 'FAC-A', location: 'LOC-A-OR1' }, priority: 'routine', currency: 'USD',
  lines: [
    { line: '1', itemId: 'ITM-00017', vendorItem: 'SUT-3-0-VIC', gtin: '10612479123455', description: 'Suture absorbable 3-0, SH 27in: box of 36', quantity: 10, uom: 'BX', unitPrice: '45.00' },
    { line: '2', itemId: 'ITM-00042', vendorItem: null, gtin: '0884521567897', description: null, quantity: 2, uom: 'EA', unitPrice: null },
  ],
};
const ENVELOPE: X12Envelope = {
  senderQualifier: 'ZZ', senderId: 'TENDONHOSP', receiverQualifier: 'ZZ', receiverId: 'MEDSUPPLYCO', version: '005010', usage: 'T',
  isa13: 4242, gs06: 4242, st02: 1, now: '2026-11-20T16:05:09-05:00',
};

const strict = (text: string) => new X12Parser(true).parse(text) as X12Interchange;
const values = (s: X12Segment) => s.elements.map((e) => e.value);

/** The order as a supplier's translator would read it back from the 850. */
function orderFrom(interchange: X12Interchange) {
  const segments = interchange.functionalGroups[0]!.transactions[0]!.segments;
  const all = (tag: string) => segments.filter((s) => s.tag === tag).map(values);
  const [beg] = all('BEG');
  const lines = segments.flatMap((s, i) => {
    if (s.tag !== 'PO1') return [];
    const v = values(s);
    const id = (q: string) => { const at = v.indexOf(q, 5); return at < 0 ? null : v[at + 1]!; };
    const pid = segments[i + 1]?.tag === 'PID' ? values(segments[i + 1]!)[4]! : null;
    return [{ line: v[0], itemId: id('BP'), vendorItem: id('VC'), gtin: id('UK'), description: pid, quantity: Number(v[1]), uom: v[2], unitPrice: v[3] || null }];
  });
  return {
    purpose: beg![0], type: beg![1], poNumber: beg![2], orderDate: beg![4]!.replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3'),
    currency: all('CUR')[0]![1], location: all('REF').find((r) => r[0] === 'DP')?.[1], shipTo: all('N1').find((n) => n[0] === 'ST')?.[3],
    needBy: all('DTM').find((d) => d[0] === '002')?.[1] ?? null, lines, count: all('CTT')[0],
  };
}

test('encode850 → node-x12 strict parse → the same order: BEG, CUR, REF*DP, N1*ST, PO1 with VC/BP/UK, PID, CTT', () => {
  const text = encode850(ORDER, ENVELOPE);
  const interchange = strict(text);
  assert.deepEqual(values(interchange.header).slice(4, 16),
    ['ZZ', 'TENDONHOSP     ', 'ZZ', 'MEDSUPPLYCO    ', '261120', '1605', '^', '00501', '4242', '0', 'T', ':'], 'node-x12 reads ISA13 as a number');
  assert.match(text, /\*00501\*000004242\*0\*T\*:~\nGS\*PO\*TENDONHOSP\*MEDSUPPLYCO\*20261120\*1605\*4242\*X\*005010~\nST\*850\*0001~\n/);
  assert.deepEqual(orderFrom(interchange), {
    purpose: '00', type: 'SA', poNumber: 'PO-2026-000123', orderDate: '2026-11-20', currency: 'USD', location: 'LOC-A-OR1', shipTo: 'FAC-A', needBy: null,
    lines: [
      // X12 has no escape character: the component separator in the description became a space.
      { line: '1', itemId: 'ITM-00017', vendorItem: 'SUT-3-0-VIC', gtin: '10612479123455', description: 'Suture absorbable 3-0, SH 27in box of 36', quantity: 10, uom: 'BX', unitPrice: '45.00' },
      { line: '2', itemId: 'ITM-00042', vendorItem: null, gtin: '00884521567897', description: null, quantity: 2, uom: 'EA', unitPrice: null },
    ],
    count: ['2', '12'],
  });
});

test('an emergency order is a rush order (BEG02 RO) needed on its order date; 004010 writes ISA11 U; a cancel is BEG01 01', () => {
  const text = encode850({ ...ORDER, priority: 'emergency' }, { ...ENVELOPE, version: '004010', usage: 'P', isa13: 999_999_999, gs06: 7, st02: 3 }, 'cancel');
  const interchange = strict(text);
  assert.match(text, /\*U\*00401\*999999999\*0\*P\*:~\nGS\*PO\*TENDONHOSP\*MEDSUPPLYCO\*20261120\*1605\*7\*X\*004010~\nST\*850\*0003~\n/);
  const order = orderFrom(interchange);
  assert.deepEqual([order.purpose, order.type, order.needBy], ['01', 'RO', '20261120']);
});

test('a bill-only order (a consigned implant already used) is BEG02 CN with the case, the patient token, the service date, lot and serial', () => {
  const token = 'pt_' + 'A'.repeat(32);
  const text = encode850({
    ...ORDER, billOnly: { caseId: 'CASE-778', patient: token, serviceDate: '2026-11-19' },
    lines: [{ ...ORDER.lines[0]!, quantity: 1, lot: 'LOT-55', serial: 'SN-0042' }],
  }, { ...ENVELOPE, version: '004010' });
  const segments = strict(text).functionalGroups[0]!.transactions[0]!.segments;
  const all = (tag: string) => segments.filter((x) => x.tag === tag).map(values);
  assert.equal(all('BEG')[0]![1], 'CN');
  assert.deepEqual(all('REF').map((r) => r.slice(0, 3)), [['DP', ORDER.shipTo.location], ['CO', 'CASE-778'], ['EJ', '', token]], 'the token whole, in REF03');
  assert.deepEqual(all('DTM'), [['472', '20261119']]);
  const po1 = all('PO1')[0]!;
  assert.deepEqual([po1[po1.indexOf('LT') + 1], po1[po1.indexOf('SN') + 1]], ['LOT-55', 'SN-0042']);
  assert.ok(!text.includes('MRN'), 'no identifier, only the token');
});

test('an order that cannot be written is an EncodeError, never a broken interchange', () => {
  const bad: [Partial<PurchaseOrder>, Partial<X12Envelope>][] = [
    [{ lines: [] }, {}], [{ poNumber: ' ' }, {}], [{ orderDate: '20261120' }, {}], [{ currency: 'usd' }, {}],
    [{ lines: [{ ...ORDER.lines[0]!, quantity: 0 }] }, {}], [{ lines: [{ ...ORDER.lines[0]!, uom: 'BOX' }] }, {}],
    [{ lines: [{ ...ORDER.lines[0]!, unitPrice: '12,50' }] }, {}], [{}, { isa13: 0 }], [{}, { isa13: 1_000_000_000 }], [{}, { gs06: 1.5 }],
  ];
  for (const [order, envelope] of bad) {
    assert.throws(() => encode850({ ...ORDER, ...order }, { ...ENVELOPE, ...envelope }), EncodeError, JSON.stringify([order, envelope]));
  }
});

test('997 and 999 answers pass node-x12\'s strict parse; Tendon reads them, and a TA1, back as the acknowledgments they are', () => {
  const cases = [
    { name: '855_po-ack_price-change-and-backorder_4010_CRLF.edi', edit: (t: string) => t.replace('BAK*00*AC*', 'BAK*00*XX*'), type: '997', status: 'rejected' },
    { name: '810_invoice-and-credit-memo_5010.edi', edit: (t: string) => t.replace('BIG*20261201', 'BIG*20261301'), type: '999', status: 'partially-accepted' },
    { name: '810+850_staedi_two-groups-4010-3010.edi', edit: (t: string) => t, type: '997', status: 'accepted' },
  ];
  for (const c of cases) {
    const answer = answerOf(decodeX12(c.edit(fixture(c.name)), OPTIONS))!;
    strict(answer);
    const back = decodeX12(answer, { partners: {} });
    assert.ok(back.ok && back.kind === 'acknowledgment', c.name);
    assert.deepEqual([back.received[0]!.type, back.received[0]!.status], [c.type, c.status], c.name);
  }
  const ta1 = answerOf(decodeX12(fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi').replace('IEA*1*000000101', 'IEA*1*000000102'), OPTIONS))!;
  const back = decodeX12(ta1, { partners: {} });
  assert.ok(back.ok && back.kind === 'acknowledgment');
  assert.deepEqual(back.received, [{
    type: 'TA1', functionalId: '', controlNumber: '000000101', status: 'rejected', sets: [],
    note: '001 The Interchange Control Number in the Header and Trailer Do Not Match',
  }]);
});
