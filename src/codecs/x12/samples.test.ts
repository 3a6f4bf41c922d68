// Every public sample (fixtures/PROVENANCE.md) gets a definite answer: events, a partner acknowledgment read, or
// the 997/999/TA1 a sender can act on. None was written for Tendon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseEvents } from '../../model/validate.ts';
import { decodeX12, maskX12, type X12Decoded } from './index.ts';
import { answerOf, bodyOf, fixture, OPTIONS } from './testing.ts';

const ok = (r: X12Decoded): Extract<X12Decoded, { ok: true }> => {
  assert.ok(r.ok, JSON.stringify(r));
  return r;
};

test('StAEDI 810+850 dual: the two 4010 invoices decode; the 3010 PO group is a version not taken (AK905 2); one 997 each', () => {
  const r = ok(decodeX12(fixture('810+850_staedi_two-groups-4010-3010.edi'), OPTIONS));
  parseEvents(r.events);
  assert.deepEqual(r.events.map((e) => [e.type, e.idempotencyKey, e.payload.invoiceNumber, e.payload.poNumber, (e.payload.total as { amount: string }).amount]), [
    ['invoice.received', 'SENDERISA:000000020:1:000000001', '00001', 'A99999-01', '2554.38'],
    ['invoice.received', 'SENDERISA:000000020:1:000000002', '00001', 'A99999-04', '2554.38'],
  ]);
  const first = r.events[0]!;
  assert.equal(first.source.system, 'x12:SENDERISA', 'a sender not in the partner table');
  assert.equal(first.facility, 'FAC-B', 'no N1*ST with a 92 code: the channel facility');
  assert.equal(first.occurredAt, '1996-08-07T15:48:00-05:00');
  assert.deepEqual((first.payload.lines as unknown[])[0], { line: null, item: { gtin: '002840022222' }, quantity: { value: 16, unit: 'CA' }, unitPrice: { amount: '12.34', currency: 'USD' } });
  assert.deepEqual(bodyOf(answerOf(r)), [
    'ST*997*0001', 'AK1*IN*1', 'AK2*810*000000001', 'AK5*A', 'AK2*810*000000002', 'AK5*A', 'AK9*A*2*2*2', 'SE*8*0001',
    'ST*997*0002', 'AK1*PO*165', 'AK2*850*000191240', 'AK5*R*1', 'AK9*R*1*1*0*2', 'SE*6*0002',
  ]);
});

test('node-x12 850s (tilde and newline terminators): a purchase order is not taken inbound, AK905 1; both read the same', () => {
  const tilde = ok(decodeX12(fixture('850_node-x12_vics4010_tilde.edi'), OPTIONS));
  const newline = ok(decodeX12(fixture('850_node-x12_newline-segment-terminator.edi'), OPTIONS));
  for (const r of [tilde, newline]) {
    assert.deepEqual(r.events, []);
    assert.deepEqual(bodyOf(answerOf(r)), ['ST*997*0001', 'AK1*PO*1421', 'AK2*850*000000010', 'AK5*R*1', 'AK9*R*1*1*0*1', 'SE*6*0001']);
  }
  assert.deepEqual(tilde.header, newline.header);
  assert.equal(tilde.header.version, '00400');
});

test('node-x12 855: lines IA and IR; the rejected lines keep their ordered quantity; the order is changed', () => {
  const r = ok(decodeX12(fixture('855_node-x12_line-ack-IA-IR.edi'), { partners: { 1556150: 'SUP-BOOKS' }, facility: 'FAC-B' }));
  parseEvents(r.events);
  const payload = r.events[0]!.payload as { poNumber: string; status: string; lines: { status: string; quantity: { value: number } }[] };
  assert.equal(payload.poNumber, 'POTEST1112');
  assert.equal(payload.status, 'changed');
  assert.deepEqual(payload.lines.map((l) => [l.status, l.quantity.value]), [['accepted', 3], ['rejected', 2], ['rejected', 1], ['accepted', 2]]);
  assert.equal(r.events[0]!.source.system, 'SUP-BOOKS');
  assert.deepEqual(bodyOf(answerOf(r)), ['ST*997*0001', 'AK1*PR*5', 'AK2*855*0005', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
});

test('StAEDI 997 (5010, rejecting an 837 with AK3/AK4) and 999 (partial, IK3/CTX/IK4) are read as acknowledgments', () => {
  const ack997 = ok(decodeX12(fixture('997_staedi_reject-837-AK3-AK4.edi'), OPTIONS));
  assert.equal(ack997.kind, 'acknowledgment');
  assert.deepEqual(ack997.received.map((a) => [a.type, a.functionalId, a.controlNumber, a.status, a.sets.map((s) => [s.controlNumber, s.accepted, s.codes])]),
    [['997', 'HC', '000001', 'rejected', [['0021', false, ['5']]]]]);
  const ack999 = ok(decodeX12(fixture('999_staedi_partial-accept-IK3-IK4-CTX.edi'), OPTIONS));
  assert.deepEqual(ack999.received[0]!.status, 'partially-accepted');
  assert.deepEqual(ack999.received[0]!.sets.map((s) => [s.controlNumber, s.accepted, s.errors]), [
    ['0001', true, []],
    ['0002', false, ['segment CLM at position 22: Segment has data element errors', 'element 2: Mandatory data element missing']],
    ['0003', false, ['segment REF at position 57: Mandatory segment missing']],
  ]);
  for (const r of [ack997, ack999]) assert.equal(answerOf(r), null, 'acknowledgments are not acknowledged');
});

test('every fixture masks to something safe to show: supply documents as they are, anything that may carry PHI masked', () => {
  for (const name of readdirSync(new URL('./fixtures/', import.meta.url)).filter((f) => f.endsWith('.edi'))) {
    const text = fixture(name);
    const masked = maskX12(text);
    if (/^(855|856|810|832)_/.test(name)) assert.equal(masked, text, name);
    else assert.ok(masked.includes('ISA'), name);
  }
  assert.ok(!maskX12(fixture('999_staedi_partial-accept-IK3-IK4-CTX.edi')).includes('123456789~'), 'CTX quotes a claim: masked');
  assert.ok(!maskX12(fixture('997_staedi_reject-837-AK3-AK4.edi')).includes('*MI~'), 'AK404 copies bad data: masked');
  const claim = fixture('855_node-x12_line-ack-IA-IR.edi').replace('ST*855*0005', 'ST*837*0005');
  assert.ok(!maskX12(claim).includes('CLAPTON') && maskX12(claim).includes('PO1*(masked)'), 'a set Tendon does not take is masked');
  assert.match(maskX12('NM1*IL*1*DOE*JOHN'), /^\[17 characters that are not a readable X12 interchange/);
});
