import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { TendonError } from '../core/errors.ts';
import { EVENT_TYPES, eventJsonSchemas, type EventType } from './events.ts';
import { issuesOf, MAX_BATCH, parseEvents } from './validate.ts';

const envelope = (type: EventType, payload: Record<string, unknown>, key: string) => ({
  type, idempotencyKey: key, occurredAt: '2026-05-12T09:41:00-05:00', facility: 'FAC-NORTH', source: { system: 'periop' }, payload,
});

/** One realistic, valid event of every canonical type. */
const VALID: Record<EventType, ReturnType<typeof envelope>> = {
  'supply.used': envelope('supply.used', {
    item: { system: 'periop', code: 'KN-FEM-5L', gtin: '00885556123454' }, quantity: { value: 1, unit: 'EA' },
    location: 'LOC-N-OR-CORE', lot: 'L240917A', serial: 'SN-0048213', expiry: '2029-09-30',
    patient: { identifier: 'MRN00012345' }, encounter: 'ACCT-778812', caseId: 'CASE-20260512-0007', procedureCode: '27447',
    surgeon: { id: 'NPI-1487654321', name: 'Dana Okafor' }, serviceLine: 'orthopaedics', payerClass: 'medicare',
  }, 'DFT-000981-1'),
  'supply.returned': envelope('supply.returned', {
    item: { system: 'periop', code: 'BC40' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-N-OR-CORE', lot: 'BC2406',
    patient: { token: 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6' }, encounter: 'ACCT-778812', reason: 'opened in error, not used',
  }, 'DFT-000982-1'),
  'stock.received': envelope('stock.received', {
    item: { gtin: '0885556123454' }, quantity: { value: 2, unit: 'EA' }, location: 'LOC-N-OR-CORE', lot: 'L240917A',
    expiry: '2029-09-30', requisitionNumber: 'REQ-55120', poNumber: 'PO-2026-004411', unitCost: { amount: '2480.00', currency: 'USD' },
  }, 'ASN-8812-1'),
  'stock.adjusted': envelope('stock.adjusted', {
    item: { system: 'periop', code: 'GZ44' }, quantity: { value: -10, unit: 'EA' }, location: 'LOC-N-OR-CORE',
    reason: 'package damaged, sterility compromised',
  }, 'ADJ-1193'),
  'stock.counted': envelope('stock.counted', {
    item: { system: 'periop', code: 'GZ44' }, quantity: { value: 0, unit: 'EA' }, location: 'LOC-N-OR-CORE',
  }, 'CNT-2026-05-12-44'),
  'charge.posted': envelope('charge.posted', {
    account: 'ACCT-778812', patient: { identifier: 'MRN00012345' }, chargeCode: 'CDM-3600012', revenueCode: '0360',
    hcpcs: '27447', quantity: { value: 1, unit: 'EA' }, unitPrice: { amount: '18250.00', currency: 'USD' },
    serviceDate: '2026-05-12', performer: { id: 'NPI-1487654321' },
  }, 'CHG-99120'),
  'charge.credited': envelope('charge.credited', {
    account: 'ACCT-778812', patient: { identifier: 'MRN00012345' }, chargeCode: 'CDM-3600012', quantity: { value: 1, unit: 'EA' },
    serviceDate: '2026-05-12', reason: 'posted to the wrong account',
  }, 'CHG-99121'),
  'item.upserted': envelope('item.upserted', {
    id: 'ITM-100234', description: 'Total Knee Femoral Component, Cemented, PS, Size 5, Left', uom: 'EA', gtin: '00885556123454',
    manufacturer: 'Meridian Orthopedics', catalogNumber: 'MO-TKF-PS5L', implant: true, chargeable: true, status: 'active',
  }, 'ITEM-ITM-100234-v7'),
  'supplier.upserted': envelope('supplier.upserted', { id: 'SUP-0042', name: 'Meridian Orthopedics', status: 'active' }, 'SUP-0042-v3'),
  'costcenter.upserted': envelope('costcenter.upserted', { id: 'CC-4010', name: 'Surgical Services - Main OR', facilityId: 'FAC-NORTH', glAccountId: 'GL-6110', status: 'active' }, 'CC-4010-v2'),
  'location.upserted': envelope('location.upserted', { id: 'LOC-N-OR-CORE', facilityId: 'FAC-NORTH', departmentId: 'DEP-N-OR', name: 'Main OR Sterile Core', managedBy: 'tendon' }, 'LOC-N-OR-CORE-v5'),
  'price.updated': envelope('price.updated', {
    itemId: 'ITM-100234', supplierId: 'SUP-0042', price: { amount: '2480.00', currency: 'USD' }, uom: 'EA',
    effectiveFrom: '2026-04-01', effectiveTo: null,
  }, 'PRICE-ITM-100234-2026-04-01'),
  'requisition.created': envelope('requisition.created', {
    item: { system: 'erp', code: 'ITM-100990' }, quantity: { value: 3, unit: 'EA' }, location: 'LOC-N-CATH-CAB',
    priority: 'emergency', reason: 'on hand 0 below reorder point 3',
  }, 'REQ-CAB-1-0091'),
  'po.acknowledged': envelope('po.acknowledged', {
    poNumber: 'PO-2026-004411', supplierId: 'SUP-0042', status: 'changed',
    lines: [
      { line: '1', item: { system: 'SUP-0042', code: 'MO-TKF-PS5L' }, quantity: { value: 2, unit: 'EA' }, status: 'accepted', unitPrice: { amount: '2480.00', currency: 'USD' } },
      { line: '2', item: { gtin: '00885556123461' }, quantity: { value: 1, unit: 'EA' }, status: 'backordered', expectedDate: '2026-05-20' },
    ],
  }, 'X12-855-000000912-0001'),
  'shipment.noticed': envelope('shipment.noticed', {
    shipmentId: 'ASN-8812', poNumber: 'PO-2026-004411', supplierId: 'SUP-0042', shippedAt: '2026-05-13T16:00:00-05:00',
    carrier: 'UPSN', trackingNumber: '1Z999AA10123456784',
    lines: [{ line: '1', item: { gtin: '00885556123454' }, quantity: { value: 2, unit: 'EA' }, lot: 'L240917A', expiry: '2029-09-30' }],
  }, 'X12-856-000000913-0001'),
  'invoice.received': envelope('invoice.received', {
    invoiceNumber: 'INV-77120', invoiceDate: '2026-05-14', poNumber: 'PO-2026-004411', supplierId: 'SUP-0042', kind: 'invoice',
    total: { amount: '4960.00', currency: 'USD' },
    lines: [{ line: '1', item: { system: 'SUP-0042', code: 'MO-TKF-PS5L' }, quantity: { value: 2, unit: 'EA' }, unitPrice: { amount: '2480.00', currency: 'USD' } }],
  }, 'X12-810-000000914-0001'),
  'payment.settled': envelope('payment.settled', {
    paymentId: 'PAY-000031', invoiceNumber: 'INV-77120', poNumber: 'PO-2026-004411', supplierId: 'SUP-0042',
    amount: { amount: '4960.00', currency: 'USD' }, paidAt: '2026-06-13T09:00:00Z',
  }, 'PAY-000031'),
};

/** Runs parseEvents and answers the validation error it must throw. */
const rejection = (body: unknown): TendonError => {
  try {
    parseEvents(body);
  } catch (e) {
    assert.ok(e instanceof TendonError, `expected a TendonError, got ${String(e)}`);
    assert.equal(e.category, 'invalid');
    assert.equal(e.status, 400);
    return e;
  }
  assert.fail('the body was accepted');
};
const pathsOf = (e: TendonError) => e.issues.map((i) => i.path);
const withPayload = (type: EventType, change: Record<string, unknown>) =>
  ({ ...VALID[type], payload: { ...VALID[type].payload, ...change } });

test('a valid example of every event type is accepted and stamped with schema version 1', () => {
  assert.deepEqual(Object.keys(VALID).sort(), [...EVENT_TYPES].sort(), 'one example per event type');
  for (const type of EVENT_TYPES) {
    const { events, batch } = parseEvents(VALID[type]);
    assert.equal(batch, false);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, type);
    assert.equal(events[0]?.schemaVersion, 1, `${type} without schemaVersion defaults to 1`);
  }
});

test('a batch of every event type is accepted in order', () => {
  const { events, batch } = parseEvents(EVENT_TYPES.map((t) => VALID[t]));
  assert.equal(batch, true);
  assert.deepEqual(events.map((e) => e.type), EVENT_TYPES);
});

test('an unknown event type or a future schema version is refused', () => {
  const unknown = rejection({ ...VALID['supply.used'], type: 'supply.wasted' });
  assert.deepEqual(pathsOf(unknown), ['/type']);
  assert.match(unknown.issues[0]?.message ?? '', /supply\.used/, 'the sender is told which types exist');
  assert.deepEqual(pathsOf(rejection({ ...VALID['supply.used'], schemaVersion: 2 })), ['/schemaVersion']);
});

test('each error in a batch is named by the index and the JSON path of the bad field', () => {
  const e = rejection([
    VALID['supply.used'],
    withPayload('supply.used', { quantity: { value: -1, unit: 'EA' } }),
    VALID['stock.counted'],
    withPayload('stock.received', { location: '' }),
  ]);
  assert.deepEqual(pathsOf(e).sort(), ['/1/payload/quantity/value', '/3/payload/location']);
  assert.match(e.message, /2 invalid field\(s\); nothing was stored/);
});

test('a batch entry that is not an object is named by its index', () => {
  assert.deepEqual(pathsOf(rejection([VALID['stock.counted'], 5, null])), ['/1', '/2']);
});

test('a single event (not an array) reports paths without an index', () => {
  assert.deepEqual(pathsOf(rejection(withPayload('supply.used', { quantity: { value: 0, unit: 'EA' } }))), ['/payload/quantity/value']);
});

test('every problem in one event is reported at once', () => {
  const { facility: _facility, ...noFacility } = VALID['supply.used'];
  const e = rejection({ ...noFacility, payload: { ...VALID['supply.used'].payload, quantity: { value: 1 }, lot: '' } });
  assert.deepEqual(pathsOf(e).sort(), ['/facility', '/payload/lot', '/payload/quantity/unit']);
});

test('a time without an offset is rejected; Z and ±hh:mm are accepted', () => {
  assert.deepEqual(pathsOf(rejection({ ...VALID['supply.used'], occurredAt: '2026-05-12T09:41:00' })), ['/occurredAt']);
  assert.deepEqual(pathsOf(rejection({ ...VALID['supply.used'], occurredAt: '2026-05-12' })), ['/occurredAt']);
  for (const occurredAt of ['2026-05-12T14:41:00Z', '2026-05-12T14:41:00.250Z', '2026-05-12T09:41:00-05:00', '2026-05-12T20:11:00+05:30']) {
    assert.equal(parseEvents({ ...VALID['supply.used'], occurredAt }).events[0]?.occurredAt, occurredAt);
  }
});

test('money given as a float is rejected; as a decimal string it is accepted', () => {
  const e = rejection(withPayload('charge.posted', { unitPrice: { amount: 18250.5, currency: 'USD' } }));
  assert.deepEqual(pathsOf(e), ['/payload/unitPrice/amount']);
  assert.deepEqual(pathsOf(rejection(withPayload('charge.posted', { unitPrice: { amount: '18250.505000', currency: 'USD' } }))),
    ['/payload/unitPrice/amount'], 'more than 4 decimals is refused');
  assert.deepEqual(pathsOf(rejection(withPayload('charge.posted', { unitPrice: { amount: '10.00', currency: 'usd' } }))),
    ['/payload/unitPrice/currency']);
  const ok = parseEvents(withPayload('charge.posted', { unitPrice: { amount: '-12.5', currency: 'EUR' } })).events[0];
  assert.deepEqual(ok?.payload.unitPrice, { amount: '-12.5', currency: 'EUR' });
});

test('an empty batch and a batch over the limit are refused before any event is read', () => {
  const empty = rejection([]);
  assert.match(empty.message, /empty/);
  assert.deepEqual(pathsOf(empty), ['/']);

  const full = Array.from({ length: MAX_BATCH }, (_, i) => ({ ...VALID['stock.counted'], idempotencyKey: `CNT-${i}` }));
  assert.equal(parseEvents(full).events.length, 1000, 'exactly the limit is fine');
  const over = rejection([...full, VALID['stock.counted']]);
  assert.match(over.message, /at most 1000/);
  assert.deepEqual(over.issues, [{ path: '/', message: '1001 events' }]);
});

test('a patient needs exactly one of identifier or token', () => {
  const both = rejection(withPayload('supply.used', { patient: { identifier: 'MRN00012345', token: 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6' } }));
  assert.deepEqual(pathsOf(both), ['/payload/patient']);
  assert.match(both.issues[0]?.message ?? '', /exactly one of identifier or token/);
  assert.deepEqual(pathsOf(rejection(withPayload('charge.posted', { patient: {} }))), ['/payload/patient']);
  assert.deepEqual(pathsOf(rejection(withPayload('supply.used', { patient: { token: 'MRN00012345' } }))), ['/payload/patient/token'],
    'a token must look like a token, so an MRN cannot be smuggled in as one');
  const { patient: _patient, ...noPatient } = VALID['supply.used'].payload;
  assert.equal(parseEvents({ ...VALID['supply.used'], payload: noPatient }).events.length, 1, 'a use may have no patient');
  assert.deepEqual(pathsOf(rejection({ ...VALID['charge.posted'], payload: { ...VALID['charge.posted'].payload, patient: undefined } })),
    ['/payload/patient'], 'a charge must have one');
});

test('an item needs a code or a GTIN, and a GTIN has a GTIN length', () => {
  assert.deepEqual(pathsOf(rejection(withPayload('supply.used', { item: { system: 'periop' } }))), ['/payload/item']);
  assert.deepEqual(pathsOf(rejection(withPayload('supply.used', { item: { gtin: '08855561234' } }))), ['/payload/item/gtin']);
  for (const gtin of ['12345670', '885556123454', '0885556123454', '00885556123454']) {
    assert.equal(parseEvents(withPayload('supply.used', { item: { gtin } })).events.length, 1, gtin);
  }
});

test('a stock adjustment of zero is refused, and a count of zero is allowed', () => {
  assert.deepEqual(pathsOf(rejection(withPayload('stock.adjusted', { quantity: { value: 0, unit: 'EA' } }))), ['/payload/quantity/value']);
  assert.equal(parseEvents(withPayload('stock.counted', { quantity: { value: 0, unit: 'EA' } })).events.length, 1);
  assert.deepEqual(pathsOf(rejection(withPayload('stock.counted', { quantity: { value: -1, unit: 'EA' } }))), ['/payload/quantity/value']);
});

test('codes are trimmed, so a padded location from an HL7 field is the same location', () => {
  const e = parseEvents(withPayload('supply.used', { location: '  LOC-N-OR-CORE ' })).events[0];
  assert.equal(e?.payload.location, 'LOC-N-OR-CORE');
  assert.deepEqual(pathsOf(rejection(withPayload('supply.used', { location: '   ' }))), ['/payload/location']);
});

test('a JSON path escapes "/" and "~" in keys (RFC 6901)', () => {
  const result = z.record(z.string(), z.number()).safeParse({ 'LOC/OR~1': 'three' });
  assert.equal(result.success, false);
  assert.deepEqual(issuesOf(result.error!, [4]).map((i) => i.path), ['/4/LOC~1OR~01']);
});

test('the JSON Schema export covers every type and marks required fields', () => {
  const schemas = eventJsonSchemas() as Record<string, { required?: string[]; properties: Record<string, { required?: string[]; const?: unknown }> }>;
  assert.deepEqual(Object.keys(schemas).sort(), [...EVENT_TYPES].sort());
  for (const type of EVENT_TYPES) {
    const s = schemas[type]!;
    assert.equal(s.properties.type?.const, type);
    for (const field of ['type', 'idempotencyKey', 'occurredAt', 'facility', 'source', 'payload']) {
      assert.ok(s.required?.includes(field), `${type} requires ${field}`);
    }
    assert.ok(!s.required?.includes('schemaVersion'), 'schemaVersion has a default, so senders may omit it');
    assert.ok(!s.required?.includes('correlationId'));
  }
  assert.deepEqual(schemas['supply.used']!.properties.payload?.required?.sort(), ['item', 'location', 'quantity']);
  assert.deepEqual(schemas['charge.posted']!.properties.payload?.required?.sort(),
    ['account', 'chargeCode', 'patient', 'quantity', 'serviceDate', 'unitPrice']);
  assert.deepEqual(schemas['stock.adjusted']!.properties.payload?.required?.sort(), ['item', 'location', 'quantity', 'reason']);
});

test('the JSON Schema says occurredAt is a date-time and money a string', () => {
  const s = eventJsonSchemas()['charge.posted'] as {
    properties: { occurredAt: { format?: string }; payload: { properties: { unitPrice: { properties: { amount: { type?: string } } } } } };
  };
  assert.equal(s.properties.occurredAt.format, 'date-time');
  assert.equal(s.properties.payload.properties.unitPrice.properties.amount.type, 'string');
});

test('the exported JSON Schema carries the rules zod checks by refinement: an item needs a code or a GTIN, a patient exactly one reference', () => {
  const payload = (eventJsonSchemas()['supply.used'] as { properties: { payload: { properties: Record<string, Record<string, unknown>> } } })
    .properties.payload.properties;
  assert.deepEqual(payload.item!.anyOf, [{ required: ['code'] }, { required: ['gtin'] }]);
  assert.deepEqual(payload.patient!.oneOf, [{ required: ['identifier'] }, { required: ['token'] }]);
});
