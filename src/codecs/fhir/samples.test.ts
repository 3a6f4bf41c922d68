// Every public sample (fixtures/PROVENANCE.md) gets a definite answer: an event, or the OperationOutcome a sender
// can act on, with the HTTP status and the element at fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFhir, maskFhir, validateR4, type FhirDecodeResult } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const options = { sourceSystem: 'ehr', defaultFacility: 'FAC-NORTH' };

function refused(r: FhirDecodeResult) {
  assert.equal(r.ok, false, r.ok ? JSON.stringify(r.events) : '');
  const f = r as Extract<FhirDecodeResult, { ok: false }>;
  return { status: f.status, issues: f.outcome.issue.map((i) => [i.code, i.expression?.[0] ?? null]), outcome: f.outcome };
}

test('the pre-R4 SupplyRequest (identifier an object, not an array) is 400 structure at SupplyRequest.identifier', () => {
  const r = refused(decodeFhir(fixture('supplyrequest-example-simpleorder.PRE-R4-build_identifier-not-array.json'), options));
  assert.equal(r.status, 400);
  assert.deepEqual(r.issues, [['structure', 'SupplyRequest.identifier']]);
  assert.deepEqual(validateR4(r.outcome), [], 'the answer is itself valid R4');
});

test('the R4 SupplyRequest is valid but cannot be mapped: a date without time, and a deliverTo that is only a display', () => {
  const text = fixture('supplyrequest-example-simpleorder.R4-spec.json');
  assert.deepEqual(validateR4(JSON.parse(text)), []);
  const r = refused(decodeFhir(text, options));
  assert.equal(r.status, 422);
  assert.deepEqual(r.issues, [['value', 'SupplyRequest.authoredOn'], ['required', 'SupplyRequest.deliverTo']]);
  assert.match(r.outcome.issue[0]!.diagnostics!, /"2016-12-31" needs a time with a UTC offset/);
});

test('the same SupplyRequest, given a time with offset and a Location reference, becomes requisition.created', () => {
  const sr = JSON.parse(fixture('supplyrequest-example-simpleorder.R4-spec.json'));
  Object.assign(sr, { authoredOn: '2016-12-31T09:00:00+01:00', deliverTo: { reference: 'Location/receiving' } });
  const r = decodeFhir(sr, options);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.events[0], {
    type: 'requisition.created', schemaVersion: 1, idempotencyKey: 'SupplyRequest/Order10284', occurredAt: '2016-12-31T09:00:00+01:00',
    facility: 'FAC-NORTH', source: { system: 'ehr' },
    payload: {
      item: { code: 'BlueTubes' }, quantity: { value: 10, unit: 'EA' }, location: 'receiving', priority: 'urgent',
      reason: 'Refill due to low stock', requisitionNumber: 'Order10284',
    },
  });
});

test('the R4 SupplyDelivery (no patient: a receipt) cannot be mapped: its destination is a display, its date has no time', () => {
  const r = refused(decodeFhir(fixture('supplydelivery-example-simpledelivery.R4-spec.json'), options));
  assert.equal(r.status, 422);
  assert.deepEqual(r.issues, [['required', 'SupplyDelivery.destination'], ['value', 'SupplyDelivery.occurrenceDateTime']]);
});

test('the R4 SupplyDelivery completed with a Location becomes stock.received, its requisition from basedOn', () => {
  const sd = JSON.parse(fixture('supplydelivery-example-simpledelivery.R4-spec.json'));
  Object.assign(sd, { occurrenceDateTime: '2016-12-31T15:00:00Z', destination: { reference: 'Location/1' } });
  const r = decodeFhir(sd, options);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.events[0]!.type, 'stock.received');
  // Order10284 is also the SupplyRequest's identifier in the spec: the resource type keeps the two keys apart.
  assert.equal(r.events[0]!.idempotencyKey, 'SupplyDelivery/Order10284');
  assert.deepEqual(r.events[0]!.payload, {
    item: { code: 'BlueTubes' }, quantity: { value: 10, unit: 'EA' }, location: '1', requisitionNumber: 'simpleorder',
  });
});

test('the R4 ChargeItem becomes charge.posted: account from account[0], patient from Patient/<id>, price in EUR', () => {
  const r = decodeFhir(fixture('chargeitem-example.R4-spec_via-android-fhir-test.json'), options);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.events, [{
    type: 'charge.posted', schemaVersion: 1, idempotencyKey: 'ChargeItem/http://myHospital.org/ChargeItems|654321',
    occurredAt: '2017-01-25T08:00:00+01:00', facility: 'FAC-NORTH', source: { system: 'ehr' },
    payload: {
      account: 'example', patient: { identifier: 'example' }, chargeCode: '01510', hcpcs: null, quantity: { value: 1, unit: 'EA' },
      // priceOverride overrides the list price; factorOverride (0.8) applies to a list price, so it does not apply here.
      unitPrice: { amount: '40.00', currency: 'EUR' }, serviceDate: '2017-01-25', performer: { id: 'example', name: null },
    },
  }]);
  assert.deepEqual(r.entries, [{ index: 0, resourceType: 'ChargeItem' }]);
});

test('the XML ChargeItem is refused as 415: the endpoint takes JSON only, and the outcome says so', () => {
  const xml = fixture('chargeitem-example.R4-compatible_HL7-fhir-source.xml');
  const r = refused(decodeFhir(xml, options));
  assert.equal(r.status, 415);
  assert.deepEqual(r.issues, [['not-supported', null]]);
  assert.match(r.outcome.issue[0]!.diagnostics!, /XML.*JSON only.*application\/fhir\+json/);
  assert.equal(refused(decodeFhir(Buffer.from(xml), options)).status, 415, 'as bytes too');
});

test('the Invoice is valid R4 but not a resource Tendon takes: 422 not-supported', () => {
  const r = refused(decodeFhir(fixture('invoice-example.R4-spec-TRIMMED_via-android-fhir-test.json'), options));
  assert.equal(r.status, 422);
  assert.deepEqual(r.issues, [['not-supported', 'Invoice']]);
});

test('every sample can be shown masked without the patient references it holds', () => {
  assert.doesNotMatch(maskFhir(fixture('chargeitem-example.R4-spec_via-android-fhir-test.json')), /Patient\/example|Account\/example|Encounter\/example/);
  assert.doesNotMatch(maskFhir(fixture('chargeitem-example.R4-compatible_HL7-fhir-source.xml')), /Patient\/example/);
  assert.match(maskFhir(fixture('invoice-example.R4-spec-TRIMMED_via-android-fhir-test.json')), /"Patient\/\*\*\*"/);
});
