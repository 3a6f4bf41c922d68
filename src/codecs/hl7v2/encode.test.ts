// The outbound charge DFT, read back with medplum, and a billing system's ACK read by parseAckResult.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hl7Message } from '@medplum/core';
import { EncodeError } from '../rest/codec.ts';
import { buildAcks, decodeHl7, encodeChargeDft, parseAckResult, type ChargeDftContext } from './index.ts';

const TOKEN = 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6';
// A charge.post body as src/flows/supply.ts billing() produces it.
const charge = {
  account: 'ACCT-778812', patient: { token: TOKEN }, facilityId: 'FAC-NORTH', chargeCode: 'CDM-2780011', quantity: 1,
  serviceDate: '2026-05-12', itemId: 'ITM-100234', revenueCode: '0278', hcpcs: 'C1776', unitPrice: '9850.00',
  performer: '1234567', lot: 'LOT-4471A', serial: 'SN-88213-A', expiry: '2029-01-31',
};
const credit = {
  account: 'ACCT-778812', patient: { token: TOKEN }, facilityId: 'FAC-NORTH', chargeCode: 'CDM-2780011', quantity: 1,
  serviceDate: '2026-05-12', itemId: 'ITM-100234', reason: 'supply returned',
};
const ctx: ChargeDftContext = {
  controlId: 'tdn-DLV-01', now: '2026-05-12T14:41:01-05:00', sendingApplication: 'TENDON', sendingFacility: 'FAC-NORTH',
  receivingApplication: 'BILLING', receivingFacility: 'NORTH_HOSP', mrn: 'MRN00012345',
};
const field = (m: Hl7Message, seg: string, n: number) => m.getSegment(seg)!.getField(n).toString();

test('a charge becomes a DFT^P03 whose fields medplum reads back', () => {
  const text = encodeChargeDft({ action: 'charge.post', body: charge }, ctx);
  assert.ok(text.endsWith('\r') && !text.includes('\n'));
  const m = Hl7Message.parse(text);
  // medplum splits on the final CR too, leaving one empty segment after the last.
  assert.deepEqual(m.segments.map((s) => s.name), ['MSH', 'EVN', 'PID', 'FT1', 'ZQD', '']);
  assert.deepEqual([3, 4, 5, 6, 7, 9, 10, 11, 12].map((n) => field(m, 'MSH', n)),
    ['TENDON', 'FAC-NORTH', 'BILLING', 'NORTH_HOSP', '20260512144101-0500', 'DFT^P03^DFT_P03', 'tdn-DLV-01', 'P', '2.7']);
  assert.equal(field(m, 'EVN', 2), '20260512144101-0500');
  assert.deepEqual([field(m, 'PID', 3), field(m, 'PID', 18)], ['MRN00012345^^^^MR', 'ACCT-778812']);
  const ft1 = (n: number) => field(m, 'FT1', n);
  assert.deepEqual([1, 2, 4, 6, 7, 10, 11, 12, 20, 25, 34, 41].map(ft1),
    ['1', 'tdn-DLV-01', '20260512', 'CG', 'CDM-2780011', '1', '9850.00&USD', '9850.00&USD', '1234567', 'C1776', 'ITM-100234', '0278']);
  assert.deepEqual([1, 2, 3].map((n) => field(m, 'ZQD', n)), ['SN-88213-A', 'LOT-4471A', '20290131']);
  assert.ok(!text.includes(TOKEN), 'the MRN replaces the token');
});

test('the same delivery encodes to the same text: MSH-10 is stable across retries', () => {
  assert.equal(encodeChargeDft({ action: 'charge.post', body: charge }, ctx), encodeChargeDft({ action: 'charge.post', body: charge }, ctx));
});

test('without an MRN, PID-3 carries the token; a credit is FT1-6 CD without price and without ZQD', () => {
  const m = Hl7Message.parse(encodeChargeDft({ action: 'charge.credit', body: credit }, { ...ctx, mrn: null }));
  assert.equal(field(m, 'PID', 3), `${TOKEN}^^^TENDON^ANON`);
  assert.deepEqual([6, 10, 11, 12].map((n) => field(m, 'FT1', n)), ['CD', '1', '', '']);
  assert.equal(m.getSegment('ZQD'), undefined);
});

test('quantity times price is the extended amount, exactly', () => {
  const m = Hl7Message.parse(encodeChargeDft({ action: 'charge.post', body: { ...charge, quantity: 3, unitPrice: '0.10' } }, ctx));
  assert.equal(field(m, 'FT1', 11), '0.30&USD');
});

test('delimiters inside values are escaped, so medplum reads the value whole and Tendon decodes it back', () => {
  const text = encodeChargeDft({ action: 'charge.post', body: { ...charge, chargeCode: 'CDM|27^80&11~X', itemId: 'A\\B' } }, ctx);
  const m = Hl7Message.parse(text);
  assert.equal(field(m, 'FT1', 7), 'CDM\\F\\27\\S\\80\\T\\11\\R\\X');
  // Decoded as an inbound DFT (it has no location, so it is refused; the refusal still reads the header).
  const r = decodeHl7(text);
  assert.deepEqual(r.ok ? null : [r.error.code, r.error.location], ['101', { segment: 'FT1', sequence: 1, field: 16 }]);
  assert.equal(r.header?.controlId, 'tdn-DLV-01');
});

test('a body that cannot become a charge, or another action, is an EncodeError (the delivery goes dead, not retried)', () => {
  const bad = [
    { action: 'charge.post', body: { ...charge, account: undefined } },
    { action: 'charge.post', body: { ...charge, serviceDate: '12/05/2026' } },
    { action: 'charge.post', body: { ...charge, quantity: 0 } },
    { action: 'charge.post', body: { ...charge, unitPrice: 'lots' } },
    { action: 'inventory.issue', body: charge },
  ];
  for (const d of bad) assert.throws(() => encodeChargeDft(d, ctx), EncodeError, JSON.stringify(d.body).slice(0, 40));
});

test("parseAckResult reads a billing system's ACK: code, control id, reason", () => {
  assert.deepEqual(parseAckResult('MSH|^~\\&|BILLING|NORTH|TENDON|NET|20260512||ACK^P03^ACK|B1|P|2.7\rMSA|AA|tdn-DLV-01\r'),
    { code: 'AA', controlId: 'tdn-DLV-01', reason: null });
  assert.deepEqual(parseAckResult('MSH|^~\\&|B|N|||20260512||ACK|B2|P|2.5\nMSA|AE|tdn-DLV-01\nERR||PID^1^18|204^Unknown key identifier^HL70357|E||||account closed\n'),
    { code: 'AE', controlId: 'tdn-DLV-01', reason: 'account closed' });
  assert.deepEqual(parseAckResult('MSH|^~\\&|B|N|||20260512||ACK|B3|P|2.5\rMSA|AR|X|duplicate\r'), { code: 'AR', controlId: 'X', reason: 'duplicate' });
  assert.deepEqual(parseAckResult('MSH|^~\\&|B|N|||20260512||ACK|B3|P|2.3\rMSA|AE|X\rERR|PID^1^18^204&Unknown key&HL70357\r'),
    { code: 'AE', controlId: 'X', reason: 'Unknown key' });
  assert.deepEqual(parseAckResult('\x0bMSH|^~\\&|B|N|||20260512||ACK|B4|P|2.5\rMSA|CA|Y\r\x1c\r'), { code: 'CA', controlId: 'Y', reason: null });
  for (const junk of ['', 'HTTP/1.1 500', 'MSH|^~\\&|B|N\rPID|1', 'MSH|^~\\&|B\rMSA|ZZ|Y']) {
    assert.deepEqual(parseAckResult(junk).code, null, junk);
  }
});

test("Tendon's own ACKs read back through parseAckResult", () => {
  const header = decodeHl7(encodeChargeDft({ action: 'charge.post', body: charge }, ctx)).header;
  const error = { code: '102' as const, message: 'FT1-10 quantity is not a number' };
  const [ack] = buildAcks(header, { code: 'AE', error }, { controlId: 'A1', now: ctx.now, receivingApplication: 'BILLING' });
  assert.deepEqual(parseAckResult(ack!), { code: 'AE', controlId: 'tdn-DLV-01', reason: 'FT1-10 quantity is not a number' });
});
