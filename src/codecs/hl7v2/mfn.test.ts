// MFN^M16 → item.upserted per MFE/ITM group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeHl7, type Hl7Decoded } from './index.ts';

const MFN = readFileSync(new URL('./fixtures/mfn_m16_two-items_pkg-ivt_v2.7_CR.hl7', import.meta.url), 'utf8');

function payloads(text: string) {
  const r = decodeHl7(text);
  assert.ok(r.ok, JSON.stringify(r));
  return r.events.map((e) => e.payload);
}
function error(text: string) {
  const r = decodeHl7(text) as Extract<Hl7Decoded, { ok: false }>;
  assert.equal(r.ok, false);
  return [r.ack, r.error.code, r.error.location];
}

test('two MFE/ITM groups are two item.upserted events, field by field', () => {
  const r = decodeHl7(MFN);
  assert.ok(r.ok);
  assert.deepEqual(r.events.map((e) => [e.type, e.idempotencyKey, e.occurredAt, e.facility, e.source.system]), [
    ['item.upserted', 'NETWORK:IM-20260501-0001:1', '2026-05-01T00:00:00-05:00', 'NETWORK', 'ERP_ITEMS'],
    ['item.upserted', 'NETWORK:IM-20260501-0001:2', '2026-05-01T00:00:00-05:00', 'NETWORK', 'ERP_ITEMS'],
  ]);
  assert.deepEqual(r.events.map((e) => e.payload), [
    {
      id: '100234', description: 'Femoral component size 5, cemented', uom: 'EA', gtin: '10886705012343',
      manufacturer: 'Stryker Orthopaedics', catalogNumber: '5515-F-501', implant: true, chargeable: true, status: 'active',
    },
    {
      id: '300051', description: 'Suture, polyglactin 2-0, 27 in', uom: 'BX', manufacturer: 'Ethicon', catalogNumber: 'J317H',
      implant: false, chargeable: false, status: 'active',
    },
  ]);
});

test('status: ITM-3 I (or any other value) is inactive, an empty ITM-3 is active, an MFE delete or deactivate retires', () => {
  assert.equal(payloads(MFN.replace('|A^Active^HL70776|', '|I^Inactive^HL70776|'))[0]!.status, 'inactive');
  assert.equal(payloads(MFN.replace('|A^Active^HL70776|', '|P|'))[0]!.status, 'inactive');
  assert.equal(payloads(MFN.replace('|A^Active^HL70776|', '||'))[0]!.status, 'active');
  assert.equal(payloads(MFN.replace('|A^Active^HL70776|', '|^active|'))[0]!.status, 'active');
  assert.equal(payloads(MFN.replace('MFE|MUP|', 'MFE|MDL|'))[1]!.status, 'inactive');
  assert.equal(payloads(MFN.replace('MFE|MAD|', 'MFE|MDC|'))[0]!.status, 'inactive');
});

test('implant: ITM-4 type or ITM-5 category naming an implant, by code or text, in any case', () => {
  const plain = MFN.replace('IMP^Implantable device^L', 'DEV^Device^L').replace('ORTHO^Orthopaedic implant^L', 'ORTHO^Orthopaedics^L');
  assert.equal(payloads(plain)[0]!.implant, false);
  assert.equal(payloads(plain.replace('ORTHO^Orthopaedics^L', 'IMPLANT'))[0]!.implant, true);
  assert.equal(payloads(plain.replace('DEV^Device^L', 'DEV^Implantable device^L'))[0]!.implant, true);
});

test('GTIN only with a valid check digit (PKG-8, or ITM-1 named GS1); uom defaults to EA; manufacturer falls back to ITM-7', () => {
  assert.equal(payloads(MFN.replace('10886705012343^^GS1', '10886705012344'))[0]!.gtin, undefined);
  assert.equal(payloads(MFN.replace('10886705012343^^GS1', '886705012353'))[0]!.gtin, '00886705012353', 'a GTIN-12 padded');
  const noPkg = MFN.replace(/PKG\|[^\r]*\r/, '');
  assert.equal(payloads(noPkg.replace('ITM|100234^ERP|', 'ITM|10886705012343^GS1|'))[0]!.gtin, '10886705012343');
  assert.equal(payloads(MFN.replace('|BX^Box of 36|', '||'))[1]!.uom, 'EA');
  assert.equal(payloads(MFN.replace('|Stryker Orthopaedics|', '||'))[0]!.manufacturer, 'STRYKER');
  assert.equal(payloads(MFN.replace('ITM|100234^ERP|', 'ITM||'))[0]!.id, '100234', 'MFE-4 primary key when ITM-1 is empty');
});

test('an MFN without MFE, an MFE without ITM, an ITM without description are AE', () => {
  assert.deepEqual(error(MFN.replace(/MFE\|[^\r]*\r/g, '')), ['AE', '100', undefined]);
  assert.deepEqual(error(MFN.replace(/ITM\|300051[^\r]*\r/, '')), ['AE', '100', { segment: 'MFE', sequence: 2, field: 0 }]);
  assert.deepEqual(error(MFN.replace('|Suture, polyglactin 2-0, 27 in|', '||')), ['AE', '101', { segment: 'ITM', sequence: 2, field: 2 }]);
  assert.deepEqual(error(MFN.replace('MFE|MUP||20260501000000-0500|', 'MFE|MUP||yesterday|')), ['AE', '102', { segment: 'MFE', sequence: 2, field: 3 }]);
});
