// Outbound: a charge.post / requisition.create delivery body → a valid R4 resource whose identifier is the
// delivery's key (so a retried conditional create never makes a second one); and the server's answer → outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EncodeError } from '../rest/codec.ts';
import type { ChargeItem, Encoded, SupplyRequest } from './index.ts';
import { decodeFhir, encodeChargeCredit, encodeChargeItem, encodePurchaseOrder, encodeSupplyRequest, enteredInError, readFhirAnswer, validateR4 } from './index.ts';

// As src/flows/supply.ts and src/flows/requisition.ts build them.
const CHARGE = {
  account: 'VIS-5566', patient: { token: 'pt_Q2hhcmdlVG9rZW4xMjM0' }, facilityId: 'FAC-NORTH', chargeCode: 'CDM-2780011', quantity: 1,
  serviceDate: '2026-05-12', itemId: 'ITM-100234', revenueCode: '0278', hcpcs: 'C1776', unitPrice: '9850.00', performer: '1234567893',
  lot: 'LOT-4471A', serial: 'SN-88213-A', expiry: '2029-01-31',
};
const REQUISITION = { locationId: 'LOC-N-OR-CORE', itemId: 'ITM-100234', quantity: 4, uom: 'EA', priority: 'emergency' };
const KEY = 'dlv_01JV7Q6M2B3C4D5E6F7G8H9J0K';
const NOW = '2026-05-12T14:41:01-05:00';
const mrn = { idempotencyKey: KEY, now: NOW, patient: { mrn: 'MRN00012345' } };
const token = { idempotencyKey: KEY, now: NOW, patient: { token: CHARGE.patient.token } };

test('a ChargeItem is valid R4 with an MRN, with a token, without traceability and with a CPT code', () => {
  for (const [body, ctx] of [[CHARGE, mrn], [CHARGE, token], [{ ...CHARGE, lot: null, serial: null, expiry: null }, mrn], [{ ...CHARGE, hcpcs: '27447' }, mrn]] as const) {
    assert.deepEqual(validateR4(encodeChargeItem(body, ctx).resource), []);
  }
});

test('the ChargeItem: billable, identifier = the delivery key, code with HCPCS and revenue code, total price, lot/serial in a contained Device', () => {
  const { resource, ifNoneExist } = encodeChargeItem(CHARGE, mrn);
  assert.equal(ifNoneExist, `identifier=urn:tendon:delivery|${KEY}`);
  assert.deepEqual(resource, {
    resourceType: 'ChargeItem',
    contained: [{ resourceType: 'Device', id: 'product', lotNumber: 'LOT-4471A', serialNumber: 'SN-88213-A', expirationDate: '2029-01-31', type: { coding: [{ system: 'urn:tendon:item', code: 'ITM-100234' }] } }],
    productReference: { reference: '#product' },
    extension: [{ url: 'urn:tendon:extension:facility', valueCode: 'FAC-NORTH' }],
    identifier: [{ system: 'urn:tendon:delivery', value: KEY }],
    status: 'billable',
    code: { coding: [{ code: 'CDM-2780011' }, { system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'C1776' }, { system: 'https://www.nubc.org/CodeSystem/RevenueCodes', code: '0278' }] },
    subject: { type: 'Patient', identifier: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'MRN00012345' } },
    occurrenceDateTime: '2026-05-12',
    performer: [{ actor: { type: 'Practitioner', identifier: { value: '1234567893' } } }],
    quantity: { value: 1 },
    priceOverride: { value: 9850, currency: 'USD' },
    enteredDate: NOW,
    account: [{ type: 'Account', identifier: { value: 'VIS-5566' } }],
  });
  assert.deepEqual(encodeChargeItem({ ...CHARGE, quantity: 3, unitPrice: '436.10' }, mrn).resource.priceOverride, { value: 1308.3, currency: 'USD' });
  assert.deepEqual(encodeChargeItem({ ...CHARGE, hcpcs: '0042T' }, mrn).resource.code.coding?.[1], { system: 'http://www.ama-assn.org/go/cpt', code: '0042T' });
});

test('the MRN goes only where it is given: with a token the patient is Tendon\'s pseudonym and no MRN is anywhere', () => {
  const { resource } = encodeChargeItem(CHARGE, token);
  assert.deepEqual(resource.subject, { type: 'Patient', identifier: { system: 'urn:tendon:patient-token', value: CHARGE.patient.token } });
  assert.doesNotMatch(JSON.stringify(resource), /MRN/);
});

test('stable: the same delivery gives the same resource and query, attempt after attempt; another delivery another identifier', () => {
  assert.deepEqual(encodeChargeItem(CHARGE, mrn), encodeChargeItem(structuredClone(CHARGE), { ...mrn }));
  assert.deepEqual(encodeSupplyRequest(REQUISITION, mrn), encodeSupplyRequest({ ...REQUISITION }, mrn));
  assert.notDeepEqual(encodeChargeItem(CHARGE, { ...mrn, idempotencyKey: 'dlv_other' }).resource.identifier, encodeChargeItem(CHARGE, mrn).resource.identifier);
});

test('the key is escaped for the search it becomes: FHIR\'s \\ | , $ and URL characters', () => {
  const { ifNoneExist } = encodeChargeItem(CHARGE, { ...mrn, idempotencyKey: 'evt:1|billing,a$b\\c d&e' });
  assert.equal(ifNoneExist, 'identifier=urn:tendon:delivery|evt:1%5C%7Cbilling%5C%2Ca%5C%24b%5C%5Cc%20d%26e');
});

test('what billing receives reads back as the same charge (round trip through decodeFhir)', () => {
  const r = decodeFhir(encodeChargeItem(CHARGE, mrn).resource, { sourceSystem: 'tendon' });
  assert.ok(r.ok, JSON.stringify(r));
  const e = r.events[0]!;
  assert.deepEqual([e.type, e.idempotencyKey, e.occurredAt, e.facility], ['charge.posted', `ChargeItem/urn:tendon:delivery|${KEY}`, NOW, 'FAC-NORTH']);
  assert.deepEqual(e.payload, {
    account: 'VIS-5566', patient: { identifier: 'MRN00012345' }, chargeCode: 'CDM-2780011', hcpcs: 'C1776', quantity: { value: 1, unit: 'EA' },
    unitPrice: { amount: '9850.00', currency: 'USD' }, serviceDate: '2026-05-12', item: { system: 'urn:tendon:item', code: 'ITM-100234' },
    performer: { id: '1234567893', name: null },
  });
});

test('a body that cannot be a ChargeItem throws EncodeError (the delivery goes dead, nothing wrong is sent)', () => {
  for (const [change, ctx] of [
    [{ chargeCode: '' }, mrn], [{ serviceDate: '12/05/2026' }, mrn], [{ quantity: 0 }, mrn], [{ unitPrice: 'a lot' }, mrn],
    [{ account: null }, mrn], [{ expiry: '2029-01' }, mrn], [{}, { ...mrn, patient: { mrn: '' } }],
  ] as const) {
    assert.throws(() => encodeChargeItem({ ...CHARGE, ...change }, ctx), EncodeError, JSON.stringify(change));
  }
});

test('a SupplyRequest: valid R4, active central supply, emergency is stat, to the location by identifier; reads back', () => {
  const { resource, ifNoneExist } = encodeSupplyRequest(REQUISITION, mrn);
  assert.deepEqual(validateR4(resource), []);
  assert.equal(ifNoneExist, `identifier=urn:tendon:delivery|${KEY}`);
  assert.deepEqual([resource.status, resource.priority, resource.authoredOn, resource.quantity], ['active', 'stat', NOW, { value: 4, unit: 'EA' }]);
  assert.deepEqual(['routine', 'urgent', undefined].map((p) => encodeSupplyRequest({ ...REQUISITION, priority: p }, mrn).resource.priority), ['routine', 'urgent', 'routine']);
  assert.throws(() => encodeSupplyRequest({ ...REQUISITION, priority: 'whenever' }, mrn), EncodeError);
  assert.throws(() => encodeSupplyRequest({ ...REQUISITION, locationId: undefined }, mrn), EncodeError);
  const r = decodeFhir(resource, { sourceSystem: 'tendon', defaultFacility: 'FAC-NORTH' });
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.events[0]!.payload, {
    item: { system: 'urn:tendon:item', code: 'ITM-100234' }, quantity: { value: 4, unit: 'EA' }, location: 'LOC-N-OR-CORE',
    priority: 'emergency', reason: null, requisitionNumber: KEY,
  });
});

// As src/flows/supply.ts builds a return's credit, and src/flows/requisition.ts a purchase order.
const CREDIT = {
  account: 'VIS-5566', patient: { token: 'pt_Q2hhcmdlVG9rZW4xMjM0' }, facilityId: 'FAC-NORTH', chargeCode: 'CDM-2780011', quantity: 2,
  serviceDate: '2026-05-12', itemId: 'ITM-100234', reason: 'supply returned',
};
const PO = {
  poNumber: 'T0196A1B2C3D4E5F6A7', orderDate: '2026-05-12', supplierId: 'SUP-0042', facility: 'FAC-NORTH',
  shipTo: { facility: 'FAC-NORTH', location: 'LOC-N-OR-CORE' }, priority: 'urgent', currency: 'USD',
  lines: [
    { line: '1', itemId: 'ITM-100234', vendorItem: 'ZB-4471', gtin: '00888912345675', description: 'Knee tibial tray', quantity: 2, uom: 'EA', unitPrice: '412.50' },
    { line: '2', itemId: 'ITM-100235', vendorItem: null, gtin: null, description: 'Bone cement', quantity: 10, uom: 'BX', unitPrice: null },
  ],
};

test('a credit is an offsetting ChargeItem: valid R4, billable, the credited quantity negative, the reason as a note', () => {
  const { resource, ifNoneExist } = encodeChargeCredit(CREDIT, mrn);
  assert.deepEqual(validateR4(resource), []);
  assert.equal(ifNoneExist, `identifier=urn:tendon:delivery|${KEY}`);
  assert.deepEqual([resource.status, resource.quantity, resource.note, resource.code.coding], ['billable', { value: -2 }, [{ text: 'supply returned' }], [{ code: 'CDM-2780011' }]]);
  assert.deepEqual(resource.productCodeableConcept, { coding: [{ system: 'urn:tendon:item', code: 'ITM-100234' }] });
  assert.equal(resource.priceOverride, undefined, 'billing prices the credit from the charge it offsets');
  assert.throws(() => encodeChargeCredit({ ...CREDIT, quantity: -2 }, mrn), EncodeError, 'the sign is the encoder\'s, never the body\'s');
});

test('a purchase order is one valid SupplyRequest per line, each keyed by the delivery and its line number', () => {
  const encoded = encodePurchaseOrder(PO, mrn);
  assert.equal(encoded.length, 2);
  for (const { resource } of encoded) assert.deepEqual(validateR4(resource), []);
  assert.deepEqual(encoded.map((e) => e.ifNoneExist), [`identifier=urn:tendon:delivery|${KEY}:1`, `identifier=urn:tendon:delivery|${KEY}:2`]);
  assert.deepEqual(encoded[0]!.resource, {
    resourceType: 'SupplyRequest',
    extension: [{ url: 'urn:tendon:extension:facility', valueCode: 'FAC-NORTH' }],
    identifier: [{ system: 'urn:tendon:delivery', value: `${KEY}:1` }, { system: 'urn:tendon:purchase-order-line', value: 'T0196A1B2C3D4E5F6A7:1' }],
    status: 'active',
    priority: 'urgent',
    itemCodeableConcept: {
      coding: [{ system: 'urn:tendon:item', code: 'ITM-100234' }, { system: 'https://www.gs1.org/gtin', code: '00888912345675' }, { system: 'urn:tendon:vendor-item', code: 'ZB-4471' }],
      text: 'Knee tibial tray',
    },
    quantity: { value: 2, unit: 'EA' },
    parameter: [{ code: { coding: [{ system: 'urn:tendon:order-parameter', code: 'unit-price' }] }, valueQuantity: { value: 412.5, unit: 'USD', system: 'urn:iso:std:iso:4217', code: 'USD' } }],
    authoredOn: '2026-05-12',
    supplier: [{ type: 'Organization', identifier: { system: 'urn:tendon:supplier', value: 'SUP-0042' } }],
    deliverTo: { type: 'Location', identifier: { system: 'urn:tendon:location', value: 'LOC-N-OR-CORE' } },
  });
  const second = encoded[1]!.resource;
  assert.deepEqual([second.itemCodeableConcept?.coding?.length, second.parameter, second.quantity], [1, undefined, { value: 10, unit: 'BX' }]);
  for (const change of [{ lines: [] }, { poNumber: '' }, { shipTo: {} }, { priority: 'whenever' }, { lines: [{ ...PO.lines[0], quantity: 0 }] }, { lines: [{ ...PO.lines[0], unitPrice: 'cheap' }] }]) {
    assert.throws(() => encodePurchaseOrder({ ...PO, ...change }, mrn), EncodeError, JSON.stringify(change));
  }
});

test('a reversal withdraws the same resource: entered-in-error, same identifier and conditional query, still valid R4', () => {
  const all: Encoded<ChargeItem | SupplyRequest>[] = [encodeChargeItem(CHARGE, mrn), encodeChargeCredit(CREDIT, mrn), encodeSupplyRequest(REQUISITION, mrn)];
  for (const encoded of all) {
    const withdrawn = enteredInError(encoded);
    assert.equal(withdrawn.resource.status, 'entered-in-error');
    assert.deepEqual([withdrawn.resource.identifier, withdrawn.ifNoneExist], [encoded.resource.identifier, encoded.ifNoneExist]);
    assert.deepEqual(validateR4(withdrawn.resource), []);
    assert.notEqual(encoded.resource.status, 'entered-in-error', 'the original is left as it was');
  }
});

test('readFhirAnswer: 201/200 succeed with the resource from Location or the body; a conditional-create match is success', () => {
  assert.deepEqual(readFhirAnswer(201, '', 'https://billing.example.org/fhir/ChargeItem/ci-9/_history/1'), { outcome: 'success', reason: null, remoteRef: 'ChargeItem/ci-9' });
  assert.deepEqual(readFhirAnswer(201, { resourceType: 'ChargeItem', id: 'ci-9' }), { outcome: 'success', reason: null, remoteRef: 'ChargeItem/ci-9' });
  assert.deepEqual(readFhirAnswer(200, JSON.stringify({ resourceType: 'ChargeItem', id: 'ci-9' })), { outcome: 'success', reason: null, remoteRef: 'ChargeItem/ci-9' });
  assert.deepEqual(readFhirAnswer(200, { resourceType: 'OperationOutcome', issue: [] }), { outcome: 'success', reason: null, remoteRef: null });
});

test('readFhirAnswer: 400/409/412/422 are rejected in the OperationOutcome\'s own words; 5xx, 429 and the rest retry', () => {
  const oo = {
    resourceType: 'OperationOutcome',
    issue: [
      { severity: 'error', code: 'business-rule', diagnostics: 'Account VIS-5566 is closed', expression: ['ChargeItem.account[0]'] },
      { severity: 'warning', code: 'informational', diagnostics: 'ignored' },
      { severity: 'error', code: 'code-invalid', details: { text: 'Unknown charge code' } },
    ],
  };
  for (const status of [400, 409, 412, 422]) {
    assert.deepEqual(readFhirAnswer(status, JSON.stringify(oo)), {
      outcome: 'rejected', reason: `HTTP ${status}: Account VIS-5566 is closed (ChargeItem.account[0]); Unknown charge code`, remoteRef: null,
    });
  }
  assert.deepEqual(readFhirAnswer(422, 'plain refusal'), { outcome: 'rejected', reason: 'HTTP 422: plain refusal', remoteRef: null });
  for (const status of [500, 502, 503, 429, 408, 401, 403, 404]) assert.equal(readFhirAnswer(status, oo).outcome, 'retryable', String(status));
  assert.equal(readFhirAnswer(503, '<html>down</html>').reason, 'HTTP 503: <html>down</html>');
  assert.equal(readFhirAnswer(502, null).reason, 'HTTP 502');
});
