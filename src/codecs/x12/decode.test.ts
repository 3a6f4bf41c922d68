// The supplier documents Tendon takes, each from a realistic fixture (fixtures/PROVENANCE.md), to their exact
// canonical events, which the canonical validator accepts as they are; and the 997/999 each interchange gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvents } from '../../model/validate.ts';
import { decodeX12, type X12Decoded } from './index.ts';
import { answerOf, bodyOf, fixture, OPTIONS } from './testing.ts';

function decoded(text: string, options = OPTIONS): Extract<X12Decoded, { ok: true }> {
  const r = decodeX12(text, options);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.rejections, []);
  if (r.events.length > 0) parseEvents(r.events); // throws, naming the field, if any event is not canonical
  return r;
}

const envelope = (key: string, occurredAt: string, facility = 'FAC-A') => ({ schemaVersion: 1, idempotencyKey: key, occurredAt, facility, source: { system: 'SUP-0007' } });

test('855 with a price change and a split line (12 accepted, 8 backordered) → one po.acknowledged, status changed; 997 AK5 A', () => {
  const r = decoded(fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi'));
  const line = (line: string, item: object, value: number, unit: string, status: string, amount: string, expectedDate: string) =>
    ({ line, item, quantity: { value, unit }, status, unitPrice: { amount, currency: 'USD' }, expectedDate });
  assert.deepEqual(r.events, [{
    type: 'po.acknowledged', ...envelope('MEDSUPPLYCO:000000101:101:0001', '2026-11-21T09:30:00-05:00'),
    payload: {
      poNumber: 'PO-2026-000123', supplierId: 'SUP-0007', status: 'changed',
      lines: [
        line('1', { system: 'erp', code: 'ITM-00017', gtin: '10612479123455' }, 10, 'BX', 'accepted', '45.00', '2026-11-24'),
        line('2', { system: 'erp', code: 'ITM-00042', gtin: '00884521567897' }, 4, 'EA', 'changed', '1310.00', '2026-11-25'),
        line('3', { system: 'erp', code: 'ITM-00003' }, 12, 'BX', 'accepted', '12.75', '2026-11-24'),
        line('3', { system: 'erp', code: 'ITM-00003' }, 8, 'BX', 'backordered', '12.75', '2026-12-05'),
      ],
    },
  }]);
  assert.deepEqual(bodyOf(answerOf(r)), ['ST*997*0001', 'AK1*PR*101', 'AK2*855*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
});

test('856 with `~` elements and `*` terminators: one shipment.noticed per order, lot/serial from LIN, lot from a child HL, expiry from DTM*036', () => {
  const r = decoded(fixture('856_asn_two-orders_lot-serial-expiry_tilde-element-star-terminator_4010.edi'));
  const shipment = {
    shipmentId: 'ASN-778812', supplierId: 'SUP-0007', shippedAt: '2026-11-23T14:05:00-05:00', expectedAt: '2026-11-25', carrier: 'UPSN',
    trackingNumber: '1Z999AA10123456784',
  };
  const tray = (serial: string) => ({
    line: '2', item: { system: 'erp', code: 'ITM-00042', gtin: '00884521567897' }, quantity: { value: 1, unit: 'EA' }, lot: 'L2406A', serial, expiry: '2029-03-31',
  });
  assert.deepEqual(r.events, [
    {
      type: 'shipment.noticed', ...envelope('MEDSUPPLYCO:000000102:102:0001:1', '2026-11-23T14:10:00-05:00'),
      payload: { ...shipment, poNumber: 'PO-2026-000123', lines: [tray('SN-TT4-000187'), tray('SN-TT4-000188')] },
    },
    {
      type: 'shipment.noticed', ...envelope('MEDSUPPLYCO:000000102:102:0001:2', '2026-11-23T14:10:00-05:00'),
      payload: {
        ...shipment, poNumber: 'PO-2026-000124',
        lines: [{ line: '1', item: { system: 'SUP-0007', code: 'GLV-NIT-M', gtin: '10700000123453' }, quantity: { value: 12, unit: 'BX' }, lot: 'GN2611K', serial: null, expiry: '2028-10-31' }],
      },
    },
  ]);
  assert.deepEqual(bodyOf(answerOf(r)), ['ST*997*0001', 'AK1*SH*102', 'AK2*856*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001']);
});

test('810 (005010): an invoice and a credit memo (BIG07 CR) → two invoice.received, TDS in cents; one 999 for the group', () => {
  const r = decoded(fixture('810_invoice-and-credit-memo_5010.edi'));
  const usd = (amount: string) => ({ amount, currency: 'USD' });
  const sutures = (qty: number) => ({ line: '1', item: { system: 'erp', code: 'ITM-00017' }, quantity: { value: qty, unit: 'BX' }, unitPrice: usd('45.00') });
  assert.deepEqual(r.events, [
    {
      type: 'invoice.received', ...envelope('MEDSUPPLYCO:000000103:103:0001', '2026-12-01T08:00:00-05:00'),
      payload: {
        invoiceNumber: 'INV-553201', invoiceDate: '2026-11-30', poNumber: 'PO-2026-000123', supplierId: 'SUP-0007', kind: 'invoice',
        total: usd('3223.00'),
        lines: [
          sutures(10),
          { line: '2', item: { system: 'erp', code: 'ITM-00042', gtin: '00884521567897' }, quantity: { value: 2, unit: 'EA' }, unitPrice: usd('1310.00') },
          { line: '3', item: { system: 'SUP-0007', code: 'GLV-NIT-M', gtin: '10700000123453' }, quantity: { value: 12, unit: 'BX' }, unitPrice: usd('12.75') },
        ],
      },
    },
    {
      type: 'invoice.received', ...envelope('MEDSUPPLYCO:000000103:103:0002', '2026-12-01T08:00:00-05:00'),
      payload: {
        invoiceNumber: 'CM-88120', invoiceDate: '2026-12-01', poNumber: 'PO-2026-000123', supplierId: 'SUP-0007', kind: 'credit',
        total: usd('45.00'), lines: [sutures(1)],
      },
    },
  ]);
  assert.deepEqual(bodyOf(answerOf(r)), [
    'ST*999*0001*005010X231', 'AK1*IN*103*005010', 'AK2*810*0001', 'IK5*A', 'AK2*810*0002', 'IK5*A', 'AK9*A*2*2*2', 'SE*8*0001',
  ]);
  assert.match(answerOf(r)!, /^ISA\*00\*          \*00\*          \*ZZ\*TENDONHOSP     \*ZZ\*MEDSUPPLYCO    \*261121\*1015\*\^\*00501\*000000900\*0\*P\*:~\nGS\*FA\*TENDONHOSP\*MEDSUPPLYCO\*20261121\*1015\*900\*X\*005010X231~\n/);
});

test('832 with `^` elements: one price.updated per CTP, dates from the CTP, the LIN or the catalog; the channel facility', () => {
  const r = decoded(fixture('832_price-catalog_caret-element_4010.edi'));
  const price = (key: string, itemId: string, amount: string, uom: string, effectiveFrom: string, effectiveTo: string | null) => ({
    type: 'price.updated', ...envelope(`MEDSUPPLYCO:000000104:104:0001:${key}`, '2026-11-15T16:00:00-05:00', 'FAC-B'),
    payload: { itemId, supplierId: 'SUP-0007', price: { amount, currency: 'USD' }, uom, effectiveFrom, effectiveTo },
  });
  assert.deepEqual(r.events, [
    price('5.1', 'ITM-00017', '44.10', 'BX', '2027-01-01', null),
    price('8.1', 'GLV-NIT-M', '12.40', 'BX', '2027-01-01', null),
    price('8.2', 'GLV-NIT-M', '118.00', 'CA', '2027-02-01', '2027-12-31'),
  ]);
});

test('the same interchange again makes the same idempotency keys; another ISA13 makes new ones', () => {
  const text = fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi');
  assert.deepEqual(decoded(text).events, decoded(text).events);
  const resent = decoded(text.replace('*000000101*', '*000000201*').replace('IEA*1*000000101', 'IEA*1*000000201'));
  assert.equal(resent.events[0]!.idempotencyKey, 'MEDSUPPLYCO:000000201:101:0001');
});

test('an unknown sender is named x12:<ISA06>; ISA14 = 1 adds an accepting TA1 to the 997', () => {
  const text = fixture('855_po-ack_price-change-and-backorder_4010_CRLF.edi').replace('*0*P*>~', '*1*P*>~');
  const r = decoded(text, { partners: {}, facility: 'FAC-B' });
  assert.equal(r.events[0]!.source.system, 'x12:MEDSUPPLYCO');
  assert.equal(r.events[0]!.payload.supplierId, 'x12:MEDSUPPLYCO');
  assert.match(answerOf(r)!, /~\nTA1\*000000101\*261121\*0930\*A\*000~\nGS\*FA\*/);
});

test('a partner\'s 997 for one of Tendon\'s 850s is an acknowledgment: no events, nothing to answer', () => {
  const ack = [
    'ISA*00*          *00*          *ZZ*MEDSUPPLYCO    *ZZ*TENDONHOSP     *261121*1001*U*00401*000000777*0*P*>',
    'GS*FA*MEDSUPPLYCO*TENDONHOSP*20261121*1001*777*X*004010', 'ST*997*0001', 'AK1*PO*42', 'AK2*850*0001',
    'AK3*PO1*7**8', 'AK4*3**7*ZZ', 'AK5*R*5', 'AK9*R*1*1*0', 'SE*8*0001', 'GE*1*777', 'IEA*1*000000777',
  ].join('~\n') + '~\n';
  const r = decoded(ack);
  assert.equal(r.kind, 'acknowledgment');
  assert.deepEqual(r.events, []);
  assert.deepEqual(r.received, [{
    type: '997', functionalId: 'PO', controlNumber: '42', status: 'rejected',
    sets: [{ type: '850', controlNumber: '0001', accepted: false, codes: ['5'], errors: ['segment PO1 at position 7: Segment has data element errors', 'element 3: Invalid code value ("ZZ")'] }],
  }]);
  assert.equal(answerOf(r), null);
});
