import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hl7Message } from '@medplum/core';
import { decodeHl7, withDefaults } from './index.ts';
import { encodeChargemasterMfn, encodeItemMfn } from './masterfiles.ts';

const header = { controlId: 'tdn-0192-77', now: '2026-11-21T09:15:00.000-05:00', sendingApplication: 'TENDON', sendingFacility: 'NET', receivingApplication: 'EHR', receivingFacility: 'FAC-A' };
const gauze = {
  id: 'ITM-300051', description: 'Gauze | sponge ^ 4x4 & sterile', uom: 'EA', gtin: '00885556100011', manufacturer: 'Acme', catalogNumber: 'GZ-44',
  packaging: [{ uom: 'BX', quantity: 10, gtin: '10885556100018' }, { uom: 'CS', quantity: 100, gtin: '50885556100016' }],
  implant: false, chargeable: false, status: 'active' as const,
};

test("an item goes out as an MFN^M16 that Tendon's own reader takes back as the same item", () => {
  const text = encodeItemMfn({ item: gauze }, header);
  const decoded = decodeHl7(text, withDefaults({ facilities: {} }));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  const [event] = decoded.events;
  assert.equal(event!.type, 'item.upserted');
  assert.deepEqual(
    [event!.payload.id, event!.payload.description, event!.payload.uom, event!.payload.gtin, event!.payload.status, event!.payload.catalogNumber],
    [gauze.id, gauze.description, 'EA', gauze.gtin, 'active', 'GZ-44'], 'escaped delimiters come back as they were');
  assert.equal(event!.idempotencyKey.includes('tdn-0192-77'), true, 'MSH-10 is the delivery key');
});

test('each packaging level is a PKG with its unit, its count of base units and its GTIN; a retired item is MDC', () => {
  const msg = Hl7Message.parse(encodeItemMfn({ item: gauze }, header));
  const pkgs = msg.getAllSegments('PKG');
  assert.deepEqual(pkgs.map((p) => [p.getField(2)?.toString(), p.getField(4)?.toString(), p.getComponent(8, 1)]),
    [['EA', '1', gauze.gtin], ['BX', '10', '10885556100018'], ['CS', '100', '50885556100016']]);
  assert.equal(msg.getSegment('MFE')?.getField(1)?.toString(), 'MUP');
  const retired = Hl7Message.parse(encodeItemMfn({ item: { ...gauze, status: 'inactive' } }, header));
  assert.equal(retired.getSegment('MFE')?.getField(1)?.toString(), 'MDC');
  assert.throws(() => encodeItemMfn({ item: { id: 'X' } }, header), /needs item.id, item.description and item.uom/);
});

test('a chargemaster line goes out as an MFN^M04: CDM with HCPCS and item, PRC with the price and the revenue code', () => {
  const msg = Hl7Message.parse(encodeChargemasterMfn({
    charge: { itemId: 'ITM-100234', chargeCode: 'CDM-2780011', revenueCode: '0278', hcpcs: 'C1776', description: 'KNEE FEM COMP', price: '9850.00', status: 'active' },
  }, header));
  assert.equal(msg.getSegment('MSH')?.getField(9)?.toString(), 'MFN^M04^MFN_M04');
  assert.equal(msg.getSegment('MSH')?.getField(10)?.toString(), 'tdn-0192-77');
  assert.equal(msg.getSegment('MFI')?.getComponent(1, 1), 'CDM');
  assert.equal(msg.getSegment('MFE')?.getField(4)?.toString(), 'CDM-2780011');
  const cdm = msg.getSegment('CDM')!;
  assert.deepEqual([cdm.getField(1)?.toString(), cdm.getField(3)?.toString(), cdm.getComponent(7, 1), cdm.getField(8)?.toString(), cdm.getField(9)?.toString()],
    ['CDM-2780011', 'KNEE FEM COMP', 'C1776', 'A', 'ITM-100234']);
  const prc = msg.getSegment('PRC')!;
  assert.deepEqual([prc.getField(5)?.toString(), prc.getField(14)?.toString()], ['9850.00&USD', '0278']);
});

test('a markup line Tendon could not price goes without a price rather than a wrong one', () => {
  const msg = Hl7Message.parse(encodeChargemasterMfn({ charge: { itemId: 'I', chargeCode: 'C', revenueCode: '0272', price: null, status: 'active' } }, header));
  assert.equal(msg.getSegment('PRC')?.getField(5)?.toString() ?? '', '');
});
