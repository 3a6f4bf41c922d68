// Field mapping: which element each canonical field comes from, and the 422 a sender gets when one is missing or
// cannot be read, always pointing at the FHIR element to fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFhir, type FhirDecodeResult } from './index.ts';

type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const USE = fixture('supplydelivery_implant-used-in-surgery_contained-device-patient-procedure.json');
const RECEIPT = fixture('supplydelivery_receipt-into-par-location_gtin-contained-location.json');
const REQUEST = fixture('supplyrequest_par-breach_asap_gtin.json');
const CHARGE = fixture('chargeitem_implant-knee_C1776_contained-device.json');
const options = { sourceSystem: 'periop' };
const edit = (base: Json, change: (r: Json) => void): Json => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

function event(r: FhirDecodeResult) {
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.events.length, 1);
  return r.events[0]!;
}
function issues(r: FhirDecodeResult) {
  assert.equal(r.ok, false, r.ok ? JSON.stringify(r.events) : '');
  const f = r as Extract<FhirDecodeResult, { ok: false }>;
  return { status: f.status, issues: f.outcome.issue.map((i) => [i.code, i.expression?.[0]]) };
}

test('an implant used in surgery → supply.used: UDI-DI as GTIN, Device lot/serial/expiry, MR identifier, the Procedure as context', () => {
  assert.deepEqual(event(decodeFhir(USE, options)), {
    type: 'supply.used', schemaVersion: 1, idempotencyKey: 'SupplyDelivery/https://fhir.northside.example.org/sid/supply-usage|OPT-L-1',
    occurredAt: '2026-05-12T14:10:00-05:00', facility: 'FAC-NORTH', source: { system: 'periop' },
    payload: {
      item: { gtin: '00885556123454' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-N-OR-CORE',
      lot: 'LOT-4471A', serial: 'SN-88213-A', expiry: '2029-01-31',
      patient: { identifier: 'MRN00012345' }, // the MR identifier, not the SSN listed first
      encounter: 'VIS-5566', caseId: 'CASE-20260512-0007', procedureCode: '27447', surgeon: { id: '1234567893', name: 'ORTHO, SAMIRA MD' },
    },
  });
});

test('a receipt → stock.received: location and facility from the contained Location, a month-only expiry is its last day', () => {
  const e = event(decodeFhir(RECEIPT, options));
  assert.equal(e.type, 'stock.received');
  assert.equal(e.facility, 'FAC-NORTH'); // Location.managingOrganization: no extension, no default needed
  assert.equal(e.occurredAt, '2026-05-14T09:22:00-05:00'); // occurrencePeriod.start
  assert.deepEqual(e.payload, {
    item: { gtin: '00885556123454' }, quantity: { value: 4, unit: 'EA' }, location: 'LOC-N-OR-CORE',
    lot: 'LOT-4502C', serial: null, expiry: '2029-03-31', requisitionNumber: 'REQ-N-20260510-0042',
  });
});

test('a SupplyRequest → requisition.created: the GTIN coding wins over a local one listed first; occurredAt is authoredOn', () => {
  const e = event(decodeFhir(REQUEST, options));
  assert.equal(e.occurredAt, '2026-05-10T16:45:00-05:00');
  assert.deepEqual(e.payload, {
    item: { gtin: '00885556123454' }, quantity: { value: 4, unit: 'EA' }, location: 'LOC-N-OR-CORE', priority: 'urgent',
    reason: 'Below par after case CASE-20260510-0003', requisitionNumber: 'REQ-N-20260510-0042',
  });
  const priority = (p: string | undefined) => event(decodeFhir(edit(REQUEST, (r) => (p ? (r.priority = p) : delete r.priority)), options)).payload.priority;
  assert.deepEqual(['routine', 'urgent', 'asap', 'stat', undefined].map(priority), ['routine', 'urgent', 'urgent', 'emergency', 'routine']);
});

test('a ChargeItem for an implant → charge.posted: CDM code, HCPCS C1776, account, MRN, price, performer, the Device\'s GTIN', () => {
  assert.deepEqual(event(decodeFhir(CHARGE, options)).payload, {
    account: 'VIS-5566', patient: { identifier: 'MRN00012345' }, chargeCode: 'CDM-2780011', hcpcs: 'C1776', quantity: { value: 1, unit: 'EA' },
    unitPrice: { amount: '9850.00', currency: 'USD' }, serviceDate: '2026-05-12', item: { gtin: '00885556123454' },
    performer: { id: '1234567893', name: 'ORTHO, SAMIRA MD' },
  });
});

test('ChargeItem: priceOverride is the total, divided exactly by quantity; CPT counts as a billing code; coding order does not matter', () => {
  const three = edit(CHARGE, (r) => Object.assign(r, { quantity: { value: 3 }, priceOverride: { value: 1308, currency: 'USD' } }));
  assert.deepEqual(event(decodeFhir(three, options)).payload.unitPrice, { amount: '436.00', currency: 'USD' });
  const odd = edit(three, (r) => (r.priceOverride.value = 100));
  assert.deepEqual(issues(decodeFhir(odd, options)), { status: 422, issues: [['value', 'ChargeItem.priceOverride']] });
  const cptFirst = edit(CHARGE, (r) => (r.code.coding = [{ system: 'http://www.ama-assn.org/go/cpt', code: '27447' }, { code: 'CDM-1' }]));
  assert.deepEqual([event(decodeFhir(cptFirst, options)).payload.chargeCode, event(decodeFhir(cptFirst, options)).payload.hcpcs], ['CDM-1', '27447']);
  const noPrice = edit(CHARGE, (r) => delete r.priceOverride);
  assert.deepEqual(issues(decodeFhir(noPrice, options)).issues, [['required', 'ChargeItem.priceOverride']]);
});

test('ChargeItem: the account falls back to context; serviceDate from a date-only occurrence, occurredAt then from enteredDate', () => {
  const r = edit(CHARGE, (c) => {
    delete c.account;
    c.occurrenceDateTime = '2026-05-11';
  });
  const e = event(decodeFhir(r, options));
  assert.deepEqual([e.payload.account, e.payload.serviceDate, e.occurredAt], ['VIS-5566', '2026-05-11', '2026-05-12T14:35:12-05:00']);
  const noAccount = edit(r, (c) => delete c.context);
  assert.deepEqual(issues(decodeFhir(noAccount, options)).issues, [['required', 'ChargeItem.account']]);
  const group = edit(CHARGE, (c) => (c.subject = { reference: 'Group/ward-7' }));
  assert.deepEqual(issues(decodeFhir(group, options)).issues, [['not-supported', 'ChargeItem.subject']]);
});

test('statuses that are not a fact yet (or any more) are 422 business-rule at status', () => {
  for (const [resource, status] of [[USE, 'in-progress'], [REQUEST, 'draft'], [CHARGE, 'billed']] as const) {
    const r = issues(decodeFhir(edit(resource, (x) => (x.status = status)), options));
    assert.deepEqual(r, { status: 422, issues: [['business-rule', `${resource.resourceType}.status`]] });
  }
});

test('items: a GTIN that fails its check digit, text without a code, a Device without UDI or type, a logical reference', () => {
  const badGtin = edit(REQUEST, (r) => (r.itemCodeableConcept.coding[1].code = '00885556123455'));
  assert.deepEqual(issues(decodeFhir(badGtin, options)).issues, [['value', 'SupplyRequest.itemCodeableConcept.coding']]);
  const textOnly = edit(REQUEST, (r) => (r.itemCodeableConcept = { text: 'knee thing' }));
  assert.deepEqual(issues(decodeFhir(textOnly, options)).issues, [['required', 'SupplyRequest.itemCodeableConcept']]);
  const bare = edit(USE, (r) => Object.assign(r.contained[2], { udiCarrier: undefined, type: undefined }));
  assert.deepEqual(issues(decodeFhir(bare, options)).issues, [['required', 'SupplyDelivery.suppliedItem.itemReference.resolve().type']]);
  const hibcc = edit(USE, (r) => (r.contained[2].udiCarrier = [{ deviceIdentifier: 'H123PARTNO1234567890120', issuer: 'http://hl7.org/fhir/NamingSystem/hibcc-dI' }]));
  assert.deepEqual(event(decodeFhir(hibcc, options)).payload.item, { system: 'http://hl7.org/fhir/NamingSystem/hibcc-dI', code: 'H123PARTNO1234567890120' });
  const logical = edit(REQUEST, (r) => {
    delete r.itemCodeableConcept;
    r.itemReference = { identifier: { system: 'urn:oid:1.2.3', value: 'ITM-1' } };
  });
  assert.deepEqual(event(decodeFhir(logical, options)).payload.item, { system: 'urn:oid:1.2.3', code: 'ITM-1' });
});

test('quantities: UCUM counts are EA, a coded unit wins over its display, no unit is EA', () => {
  const unit = (q: Json) => event(decodeFhir(edit(REQUEST, (r) => (r.quantity = q)), options)).payload.quantity;
  assert.deepEqual(unit({ value: 2, system: 'http://unitsofmeasure.org', code: '1', unit: 'each' }), { value: 2, unit: 'EA' });
  assert.deepEqual(unit({ value: 2, system: 'urn:tendon:uom', code: 'BX', unit: 'box of 10' }), { value: 2, unit: 'BX' });
  assert.deepEqual(unit({ value: 2.5 }), { value: 2.5, unit: 'EA' });
});

test('a canonical-schema failure points back at the FHIR element: quantity 0, a 200-character lot', () => {
  const zero = edit(USE, (r) => (r.suppliedItem.quantity.value = 0));
  assert.deepEqual(issues(decodeFhir(zero, options)), { status: 422, issues: [['value', 'SupplyDelivery.suppliedItem.quantity']] });
  const longLot = edit(USE, (r) => (r.contained[2].lotNumber = 'L'.repeat(200)));
  assert.deepEqual(issues(decodeFhir(longLot, options)).issues, [['value', 'SupplyDelivery.suppliedItem.itemReference']]);
});

test('patients: Patient/<id>, a reference identifier, a contained Patient without MR (its first identifier)', () => {
  const patient = (ref: Json, contained?: Json) =>
    event(decodeFhir(edit(USE, (r) => { r.patient = ref; if (contained) r.contained[0] = contained; }), options)).payload.patient;
  assert.deepEqual(patient({ reference: 'Patient/pt-77' }), { identifier: 'pt-77' });
  assert.deepEqual(patient({ reference: 'https://ehr.example.org/fhir/Patient/pt-77/_history/3' }), { identifier: 'pt-77' });
  assert.deepEqual(patient({ identifier: { value: 'MRN-9' } }), { identifier: 'MRN-9' });
  assert.deepEqual(patient({ reference: '#patient' }, { resourceType: 'Patient', id: 'patient', identifier: [{ value: 'X-1' }] }), { identifier: 'X-1' });
  const display = issues(decodeFhir(edit(USE, (r) => (r.patient = { display: 'Renée' })), options));
  assert.deepEqual(display.issues, [['required', 'SupplyDelivery.patient']]);
});
