// Outbound master files: the item MFN^M16 read back by Tendon's own reader and by medplum, the chargemaster MFN^M04
// read by medplum field by field, and the MFK answers read by parseAckResult.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hl7Message } from '@medplum/core';
import { decodeHl7, parseAckResult, withDefaults } from './index.ts';
import { encodeChargemasterMfn, encodeItemMfn } from './masterfiles.ts';

const header = { controlId: 'tdn-0192-77', now: '2026-11-21T09:15:00.000-05:00', sendingApplication: 'TENDON', sendingFacility: 'NET', receivingApplication: 'EHR', receivingFacility: 'FAC-A' };
// An item as the planner puts it in a delivery body (src/flows/items.ts): the ERP's record, parsed.
const gauze = {
  id: 'ITM-300051', updatedAt: '2026-11-20T10:00:00Z', description: 'Gauze | sponge ^ 4x4 & sterile', uom: 'EA', gtin: '00885556100011',
  packaging: [{ uom: 'BX', quantity: 10, gtin: '10885556100018' }, { uom: 'CS', quantity: 100, gtin: '50885556100016' }],
  hibcc: 'H123GZ44', manufacturer: 'Acme', catalogNumber: 'GZ-44', unspsc: '42311500', supplierId: 'SUP-0007',
  implant: false, lotControlled: false, serialControlled: false, expiryControlled: true, chargeable: false, status: 'active' as const,
};
const knee = {
  id: 'ITM-100234', updatedAt: '2026-11-20T10:00:00Z', description: 'Femoral component size 5, cemented', uom: 'EA', gtin: '10886705012343',
  packaging: [], hibcc: null, manufacturer: 'Stryker Orthopaedics', catalogNumber: '5515-F-501', unspsc: null, supplierId: null,
  implant: true, lotControlled: true, serialControlled: true, expiryControlled: true, chargeable: true, status: 'inactive' as const,
};
const knownToTheReader = (i: typeof gauze | typeof knee) => ({
  id: i.id, description: i.description, uom: i.uom, gtin: i.gtin, manufacturer: i.manufacturer, catalogNumber: i.catalogNumber,
  implant: i.implant, chargeable: i.chargeable, status: i.status,
});

test("an item goes out as an MFN^M16 that Tendon's own reader takes back as the same item", () => {
  for (const item of [gauze, knee]) {
    const decoded = decodeHl7(encodeItemMfn({ item }, header), withDefaults({ facilities: {} }));
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
    assert.equal(decoded.events.length, 1);
    const [event] = decoded.events;
    assert.equal(event!.type, 'item.upserted');
    assert.deepEqual(event!.payload, knownToTheReader(item), `${item.id}: every field the reader takes comes back as it was`);
    assert.equal(event!.idempotencyKey, 'NET:tdn-0192-77:1', 'MSH-10 is the delivery key');
  }
});

test('delimiters inside data are escaped on the wire, not sent raw', () => {
  const text = encodeItemMfn({ item: gauze }, header);
  assert.ok(text.includes('|Gauze \\F\\ sponge \\S\\ 4x4 \\T\\ sterile|'), text);
  assert.ok(text.endsWith('\r') && !text.includes('\n'), 'segments end with CR');
});

test('ITM carries status, type, expiry control, manufacturer, HIBCC labeler, chargeable and UNSPSC', () => {
  const msg = Hl7Message.parse(encodeItemMfn({ item: gauze }, header));
  assert.equal(msg.getSegment('MSH')?.getField(9)?.toString(), 'MFN^M16^MFN_M16');
  assert.equal(msg.getSegment('MSH')?.getField(10)?.toString(), 'tdn-0192-77');
  assert.deepEqual([1, 3, 6].map((n) => msg.getSegment('MFI')?.getField(n)?.toString()), ['INV^Inventory master file^HL70175', 'UPD', 'AL']);
  assert.deepEqual([1, 4, 5].map((n) => msg.getSegment('MFE')?.getField(n)?.toString()), ['MUP', 'ITM-300051^ERP', 'CWE']);
  const itm = msg.getSegment('ITM')!;
  const f = (n: number) => itm.getField(n)?.toString() ?? '';
  assert.deepEqual([f(1), f(3), f(4), f(6), f(8), f(9), f(10), f(11), f(33)], [
    'ITM-300051^ERP', 'A^Active^HL70776', 'SUP^Supply^L', 'Y', 'Acme', 'GZ-44', 'H123^^HB', 'N', '42311500^^UNSPSC',
  ]);
  const implant = Hl7Message.parse(encodeItemMfn({ item: knee }, header)).getSegment('ITM')!;
  assert.deepEqual([3, 4, 10, 11, 33].map((n) => implant.getField(n)?.toString() ?? ''), ['I^Inactive^HL70776', 'IMP^Implantable device^L', '', 'Y', '']);
});

test('the packaging levels follow the supplier (VND), each a PKG with its unit, its count of base units and its GTIN', () => {
  const msg = Hl7Message.parse(encodeItemMfn({ item: gauze }, header));
  assert.deepEqual(msg.segments.map((s) => s.name).filter(Boolean), ['MSH', 'MFI', 'MFE', 'ITM', 'VND', 'PKG', 'PKG', 'PKG']);
  assert.deepEqual([1, 2, 5].map((n) => msg.getSegment('VND')?.getField(n)?.toString()), ['1', 'SUP-0007^ERP', 'Y']);
  const pkgs = msg.getAllSegments('PKG');
  assert.deepEqual(pkgs.map((p) => [p.getField(1)?.toString(), p.getField(2)?.toString(), p.getField(3)?.toString(), p.getField(4)?.toString(), p.getComponent(8, 1)]), [
    ['1', 'EA', 'Y', '1', gauze.gtin], ['2', 'BX', 'N', '10', '10885556100018'], ['3', 'CS', 'N', '100', '50885556100016'],
  ]);
  const noSupplier = Hl7Message.parse(encodeItemMfn({ item: knee }, header));
  assert.deepEqual(noSupplier.segments.map((s) => s.name).filter(Boolean), ['MSH', 'MFI', 'MFE', 'ITM', 'PKG'], 'no VND without a supplier');
});

test('a retired item is MDC; an item without id, description or unit cannot be encoded', () => {
  const retired = Hl7Message.parse(encodeItemMfn({ item: { ...gauze, status: 'inactive' } }, header));
  assert.equal(retired.getSegment('MFE')?.getField(1)?.toString(), 'MDC');
  assert.throws(() => encodeItemMfn({ item: { id: 'X' } }, header), /needs item.id, item.description and item.uom/);
  assert.throws(() => encodeItemMfn({}, header), /needs item.id/);
});

const kneeLine = { itemId: 'ITM-100234', chargeCode: 'CDM-2780011', revenueCode: '0278', hcpcs: 'C1776', description: 'KNEE FEMORAL COMPONENT SZ 5 | CEMENTED', price: '9850.00', status: 'active' as const };

test('a chargemaster line goes out as an MFN^M04: CDM with descriptions, HCPCS and item, PRC with the price and the revenue code', () => {
  const msg = Hl7Message.parse(encodeChargemasterMfn({ charge: kneeLine }, header));
  assert.equal(msg.getSegment('MSH')?.getField(9)?.toString(), 'MFN^M04^MFN_M04');
  assert.equal(msg.getSegment('MSH')?.getField(10)?.toString(), 'tdn-0192-77');
  assert.deepEqual(msg.segments.map((s) => s.name).filter(Boolean), ['MSH', 'MFI', 'MFE', 'CDM', 'PRC']);
  assert.equal(msg.getSegment('MFI')?.getComponent(1, 1), 'CDM');
  assert.deepEqual([1, 4].map((n) => msg.getSegment('MFE')?.getField(n)?.toString()), ['MUP', 'CDM-2780011']);
  const cdm = msg.getSegment('CDM')!;
  assert.deepEqual([cdm.getField(1)?.toString(), cdm.getField(3)?.toString(), cdm.getField(4)?.toString(), cdm.getComponent(7, 1), cdm.getComponent(7, 3), cdm.getField(8)?.toString(), cdm.getField(9)?.toString()],
    ['CDM-2780011', 'KNEE FEMORAL COMPONE', 'KNEE FEMORAL COMPONENT SZ 5 \\F\\ CEMENTED', 'C1776', 'HCPCS', 'A', 'ITM-100234'],
    'CDM-3 is cut to its 20 characters, CDM-4 keeps the whole description (escaped)');
  const prc = msg.getSegment('PRC')!;
  assert.deepEqual([1, 5, 14, 16].map((n) => prc.getField(n)?.toString()), ['CDM-2780011', '9850.00&USD', '0278', 'A']);
});

test('a retired charge line is MDC with CDM-8 I; a markup line Tendon could not price goes without a price rather than a wrong one', () => {
  const retired = Hl7Message.parse(encodeChargemasterMfn({ charge: { ...kneeLine, status: 'inactive' } }, header));
  assert.deepEqual([retired.getSegment('MFE')?.getField(1)?.toString(), retired.getSegment('CDM')?.getField(8)?.toString()], ['MDC', 'I']);
  const text = encodeChargemasterMfn({ charge: { itemId: 'I', chargeCode: 'C', revenueCode: '0272', price: null, status: 'active' } }, header);
  assert.equal(Hl7Message.parse(text).getSegment('PRC')?.getField(5)?.toString() ?? '', '');
  assert.match(text, /\rPRC\|C\|\|\|\|\|/, 'PRC-5 empty, not "" (which would erase the price billing has)');
  assert.equal(Hl7Message.parse(text).getSegment('CDM')?.getField(3)?.toString(), 'I', 'no description: the item id names the line');
  assert.throws(() => encodeChargemasterMfn({ charge: { itemId: 'I', chargeCode: 'C', price: null, status: 'active' } }, header), /needs charge.chargeCode and charge.revenueCode/);
});

test('an MFK answer (MSA, then MFI and MFA) is read like an ACK: AA applied, AE/AR refused with the reason', () => {
  const mfk = (msa: string, rest = '') =>
    `MSH|^~\\&|EHR|FAC-A|TENDON|NET|20261121091501||MFK^M16^MFK_M01|EHR-1|P|2.7\r${msa}\r` +
    `MFI|INV^Inventory master file^HL70175||UPD|||AL\r${rest}`;
  assert.deepEqual(parseAckResult(mfk('MSA|AA|tdn-0192-77', 'MFA|MUP||20261121091501|S|ITM-300051^ERP|CWE\r')),
    { code: 'AA', controlId: 'tdn-0192-77', reason: null });
  assert.deepEqual(
    parseAckResult(mfk('MSA|AE|tdn-0192-77', 'ERR||MFE^1^1|103^Table value not found^HL70357|E||||MFE-1 "MXX" is not a record-level event\rMFA|MUP|||U|ITM-300051^ERP|CWE\r')),
    { code: 'AE', controlId: 'tdn-0192-77', reason: 'MFE-1 "MXX" is not a record-level event' });
  const m04 = mfk('MSA|AR|tdn-0192-78|chargemaster is read-only today').replace('MFK^M16', 'MFK^M04').replace('INV^Inventory master file', 'CDM^Charge description master');
  assert.deepEqual(parseAckResult(m04), { code: 'AR', controlId: 'tdn-0192-78', reason: 'chargemaster is read-only today' });
});
