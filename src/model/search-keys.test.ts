// Search keys read from canonical events of every kind that names a business key. Each event is first checked
// against its schema (InboundEvent), so the shapes here are the real ones, patient already as its token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundEvent } from './events.ts';
import { HL7_V2_CONTENT_TYPE, isPatientToken, messageSearchKeys, searchKeysOf, type SearchKey } from './search-keys.ts';

const TOKEN = 'pt_Q2xlYXJseU5vdEFuTVJOMTIzNDU2';

/** A canonical event as the pipeline stores it, validated first. */
function event(type: string, payload: Record<string, unknown>) {
  const parsed = InboundEvent.parse({
    type, idempotencyKey: `k-${type}`, occurredAt: '2026-11-21T09:14:03-05:00', facility: 'FAC-A', source: { system: 'ehr-optime' }, payload,
  });
  return { type: parsed.type, payload: parsed.payload as Record<string, unknown> };
}

const keys = (...k: [SearchKey['kind'], string][]): SearchKey[] => k.map(([kind, value]) => ({ kind, value }));
const money = (amount: string) => ({ amount, currency: 'USD' });

test('a use names its item, lot, serial and patient token; never the encounter or case (those are correlation ids)', () => {
  const e = event('supply.used', {
    item: { system: 'erp', code: 'ITM-00042' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-A-OR1', lot: 'L2406A', serial: 'SN123456',
    expiry: '2028-03-31', patient: { token: TOKEN }, encounter: 'ENC-7781234', caseId: 'CASE-000123', procedureCode: '27447',
  });
  assert.deepEqual(searchKeysOf(e), keys(['item', 'ITM-00042'], ['lot', 'L2406A'], ['serial', 'SN123456'], ['patient', TOKEN]));
});

test('an item scanned from a barcode is found by its GTIN; a use without lot or serial has none', () => {
  const e = event('supply.used', { item: { gtin: '00884521123456' }, quantity: { value: 2, unit: 'EA' }, location: 'LOC-A-OR1' });
  assert.deepEqual(searchKeysOf(e), keys(['item', '00884521123456']));
});

test('a receipt against a purchase order names the PO number', () => {
  const e = event('stock.received', {
    item: { system: 'erp', code: 'ITM-00042' }, quantity: { value: 10, unit: 'EA' }, location: 'LOC-A-CS', lot: 'L9', poNumber: 'PO-4711',
    requisitionNumber: 'REQ-88',
  });
  assert.deepEqual(searchKeysOf(e), keys(['po', 'PO-4711'], ['item', 'ITM-00042'], ['lot', 'L9']));
});

test('supplier documents name the PO and, per line, the item, lot and serial, each once', () => {
  const ack = event('po.acknowledged', {
    poNumber: 'PO-4711', supplierId: 'SUP-1', status: 'changed',
    lines: [{ line: '1', item: { system: 'SUP-1', code: 'VND-77' }, quantity: { value: 5, unit: 'EA' }, status: 'accepted' },
      { line: '2', item: { system: 'SUP-1', code: 'VND-78' }, quantity: { value: 1, unit: 'EA' }, status: 'backordered', expectedDate: '2026-12-01' }],
  });
  assert.deepEqual(searchKeysOf(ack), keys(['po', 'PO-4711'], ['item', 'VND-77'], ['item', 'VND-78']));

  const asn = event('shipment.noticed', {
    shipmentId: 'SH-1', poNumber: 'PO-4711', supplierId: 'SUP-1',
    lines: [
      { item: { system: 'SUP-1', code: 'VND-77' }, quantity: { value: 1, unit: 'EA' }, lot: 'LOT-1', serial: 'SER-1' },
      { item: { system: 'SUP-1', code: 'VND-77' }, quantity: { value: 1, unit: 'EA' }, lot: 'LOT-1', serial: 'SER-2' },
    ],
  });
  assert.deepEqual(searchKeysOf(asn), keys(['po', 'PO-4711'], ['item', 'VND-77'], ['lot', 'LOT-1'], ['serial', 'SER-1'], ['serial', 'SER-2']));

  const invoice = event('invoice.received', {
    invoiceNumber: 'INV-9', invoiceDate: '2026-11-30', poNumber: 'PO-4711', supplierId: 'SUP-1', kind: 'invoice', total: money('10.00'),
    lines: [{ item: { gtin: '00884521123456' }, quantity: { value: 1, unit: 'EA' }, unitPrice: money('10.00'), lot: 'LOT-1', serial: 'SER-1' }],
  });
  assert.deepEqual(searchKeysOf(invoice), keys(['po', 'PO-4711'], ['item', '00884521123456'], ['lot', 'LOT-1'], ['serial', 'SER-1']));

  const paid = event('payment.settled', {
    paymentId: 'PAY-1', invoiceNumber: 'INV-9', poNumber: 'PO-4711', supplierId: 'SUP-1', amount: money('10.00'), paidAt: '2026-12-15T10:00:00Z',
  });
  assert.deepEqual(searchKeysOf(paid), keys(['po', 'PO-4711']));
});

test('master data names the ERP item: item.upserted by its id and GTIN, price.updated by its itemId', () => {
  const item = event('item.upserted', {
    id: 'ITM-00042', description: 'Knee implant', uom: 'EA', gtin: '00884521123456', implant: true, chargeable: true, status: 'active',
  });
  assert.deepEqual(searchKeysOf(item), keys(['item', 'ITM-00042'], ['item', '00884521123456']));
  const price = event('price.updated', { itemId: 'ITM-00042', supplierId: 'SUP-1', price: money('1200.00'), uom: 'EA', effectiveFrom: '2026-01-01' });
  assert.deepEqual(searchKeysOf(price), keys(['item', 'ITM-00042']));
  const supplier = event('supplier.upserted', { id: 'SUP-1', name: 'Med Supply', status: 'active' });
  assert.deepEqual(searchKeysOf(supplier), [], 'a supplier id is not an item');
});

test('a charge names its patient token and item; a requisition its item', () => {
  const charge = event('charge.posted', {
    account: 'ENC-1', patient: { token: TOKEN }, chargeCode: 'CDM-1', quantity: { value: 1, unit: 'EA' }, unitPrice: money('99.00'),
    serviceDate: '2026-11-21', item: { system: 'erp', code: 'ITM-00042' },
  });
  assert.deepEqual(searchKeysOf(charge), keys(['item', 'ITM-00042'], ['patient', TOKEN]));
  const req = event('requisition.created', {
    item: { system: 'erp', code: 'ITM-00042' }, quantity: { value: 4, unit: 'EA' }, location: 'LOC-A-CS', priority: 'routine', requisitionNumber: 'REQ-88',
  });
  assert.deepEqual(searchKeysOf(req), keys(['item', 'ITM-00042']));
});

test('a message adds its source id under every trace its events belong to: MSH-10 for HL7 v2, a source id otherwise', () => {
  const use = (correlationId: string, recordedAt: string, lot: string) => ({
    ...event('supply.used', { item: { system: 'erp', code: 'ITM-1' }, quantity: { value: 1, unit: 'EA' }, location: 'L', lot }),
    correlationId, recordedAt,
  });
  const events = [use('CASE-1', '2026-11-21T10:00:00.000Z', 'LOT-A'), use('CASE-1', '2026-11-21T10:00:00.005Z', 'LOT-A'), use('CASE-2', '2026-11-21T10:00:00.001Z', 'LOT-A')];
  const rows = messageSearchKeys({ sourceId: 'MSG-0001', contentType: HL7_V2_CONTENT_TYPE }, events);
  const at = (iso: string) => Date.parse(iso);
  assert.deepEqual(rows.sort((a, b) => `${a.correlationId}${a.kind}`.localeCompare(`${b.correlationId}${b.kind}`)), [
    { kind: 'item', value: 'ITM-1', correlationId: 'CASE-1', at: at('2026-11-21T10:00:00.005Z') },
    { kind: 'lot', value: 'LOT-A', correlationId: 'CASE-1', at: at('2026-11-21T10:00:00.005Z') },
    { kind: 'msh10', value: 'MSG-0001', correlationId: 'CASE-1', at: at('2026-11-21T10:00:00.005Z') },
    { kind: 'item', value: 'ITM-1', correlationId: 'CASE-2', at: at('2026-11-21T10:00:00.001Z') },
    { kind: 'lot', value: 'LOT-A', correlationId: 'CASE-2', at: at('2026-11-21T10:00:00.001Z') },
    { kind: 'msh10', value: 'MSG-0001', correlationId: 'CASE-2', at: at('2026-11-21T10:00:00.001Z') },
  ], 'each key once per trace, at its latest time');

  const json = messageSearchKeys({ sourceId: 'idem-77', contentType: 'application/json' }, events.slice(0, 1));
  assert.deepEqual(json.map((r) => r.kind), ['item', 'lot', 'source']);
  assert.deepEqual(messageSearchKeys({ sourceId: null, contentType: 'application/json' }, events.slice(0, 1)).map((r) => r.kind), ['item', 'lot']);
  assert.deepEqual(messageSearchKeys({ sourceId: 'MSG-2', contentType: HL7_V2_CONTENT_TYPE }, []), [], 'no events, no keys');
});

test('a patient token is told from a clear identifier', () => {
  assert.equal(isPatientToken(TOKEN), true);
  assert.equal(isPatientToken('MRN00012345'), false);
  assert.equal(isPatientToken('pt_short'), false);
});
