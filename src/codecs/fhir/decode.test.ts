// What decodeFhir takes (text, bytes, parsed JSON) and how it refuses the rest: 400 for what is not R4, 415 for
// XML, 422 for valid R4 it cannot map. Also the facility and business-key rules, and the R4 validation it relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFhir, loadDefinitions, validateR4, type FhirDecodeResult } from './index.ts';
import { edited, refused, type Json } from './testing.ts';

const text = readFileSync(new URL('./fixtures/supplyrequest_par-breach_asap_gtin.json', import.meta.url), 'utf8');
const REQUEST: Json = JSON.parse(text);
const options = { sourceSystem: 'periop', defaultFacility: 'FAC-SOUTH' };
const edit = (change: (r: Json) => void, base: Json = REQUEST): Json => edited(base, change);
const eventOf = (r: FhirDecodeResult) => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.events[0]!;
};

test('the definitions load once and say how long they took', () => {
  const { loadMs } = loadDefinitions();
  assert.ok(loadMs > 0, `${loadMs} ms`);
  assert.equal(loadDefinitions().loadMs, loadMs, 'loaded once');
});

test('text, UTF-8 bytes, a BOM, leading whitespace and parsed JSON decode to the same event', () => {
  const expected = eventOf(decodeFhir(text, options));
  for (const body of [Buffer.from(text), new TextEncoder().encode(text), `\uFEFF\n  ${text}`, REQUEST]) {
    assert.deepEqual(eventOf(decodeFhir(body, options)), expected);
  }
});

test('not JSON, not an object, not UTF-8, no resourceType: 400 structure', () => {
  for (const body of ['{"resourceType": "SupplyRequest",', '[]', '42', 'null', '', null, 7, [REQUEST], new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]) {
    assert.equal(refused(decodeFhir(body, options)).status, 400, JSON.stringify(body));
  }
  assert.deepEqual(refused(decodeFhir({ status: 'active' }, options)), { status: 400, issues: [['required', 'resourceType']] });
});

test('an unknown resourceType, an unknown element, a wrong type and a code outside a required binding are 400', () => {
  assert.deepEqual(refused(decodeFhir({ resourceType: 'SupplyOrder' }, options)), { status: 400, issues: [['structure', 'SupplyOrder.resourceType']] });
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.lotNumber = 'L1')), options)), { status: 400, issues: [['structure', 'SupplyRequest.lotNumber']] });
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.reasonCode = [])), options)), { status: 400, issues: [['structure', 'SupplyRequest.reasonCode']] });
  const misplaced = edit((r) => (r.quantity.value = { resourceType: 'Device' }));
  assert.deepEqual(refused(decodeFhir(misplaced, options)).issues[0], ['structure', 'SupplyRequest.quantity.value']);
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.quantity.value = '4')), options)), { status: 400, issues: [['structure', 'SupplyRequest.quantity.value']] });
  // medplum leaves terminology to a server; a required binding's codes are in the R4 definitions, so Tendon checks them.
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.status = 'open')), options)), { status: 400, issues: [['code-invalid', 'SupplyRequest.status']] });
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.priority = 'soon')), options)), { status: 400, issues: [['code-invalid', 'SupplyRequest.priority']] });
});

test('R4 rules beyond types: a choice element holds one type, nesting is bounded; a day that does not exist is 422', () => {
  const both = edit((r) => (r.extension = [{ url: 'urn:tendon:extension:facility', valueCode: 'A', valueString: 'B' }]));
  assert.equal(refused(decodeFhir(both, options)).status, 400);
  // R4's dateTime is a regular expression that lets 30 February through; the canonical schema does not.
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.authoredOn = '2026-02-30T10:00:00Z')), options)), { status: 422, issues: [['value', 'SupplyRequest.authoredOn']] });
  const nested = (levels: number) => {
    let deep: Json = { url: 'urn:x', valueString: 'leaf' };
    for (let i = 0; i < levels; i++) deep = { url: 'urn:x', extension: [deep] };
    return edit((r) => (r.extension = [deep]));
  };
  assert.deepEqual(refused(decodeFhir(JSON.stringify(nested(40)), options)), { status: 400, issues: [['structure', 'SupplyRequest']] });
  // Deeper than JSON.stringify can go: refused as not JSON, never a stack overflow inside the codec.
  assert.deepEqual(refused(decodeFhir(nested(20_000), options)), { status: 400, issues: [['structure', null]] });
});

test('times: a date-time without offset is 422 at the element; a missing authoredOn is 422 required', () => {
  assert.deepEqual(refused(decodeFhir(edit((r) => (r.authoredOn = '2026-05-10T16:45:00')), options)), { status: 422, issues: [['value', 'SupplyRequest.authoredOn']] });
  assert.deepEqual(refused(decodeFhir(edit((r) => delete r.authoredOn), options)), { status: 422, issues: [['required', 'SupplyRequest.authoredOn']] });
  assert.equal(eventOf(decodeFhir(edit((r) => (r.authoredOn = '2026-05-10T21:45:00.123Z')), options)).occurredAt, '2026-05-10T21:45:00.123Z');
});

test('the business key: identifier system|value scoped by type; value alone without a system; none is 422; a long one is hashed', () => {
  assert.equal(eventOf(decodeFhir(REQUEST, options)).idempotencyKey, 'SupplyRequest/https://fhir.northside.example.org/sid/requisition|REQ-N-20260510-0042');
  const noSystem = edit((r) => (r.identifier = [{ value: 'R-1' }, { system: 'urn:x' }]));
  assert.equal(eventOf(decodeFhir(noSystem, options)).idempotencyKey, 'SupplyRequest/R-1');
  const preferSystem = edit((r) => (r.identifier = [{ value: 'R-1' }, { system: 'urn:x', value: 'R-2' }]));
  assert.equal(eventOf(decodeFhir(preferSystem, options)).idempotencyKey, 'SupplyRequest/urn:x|R-2');
  assert.deepEqual(refused(decodeFhir(edit((r) => delete r.identifier), options)), { status: 422, issues: [['required', 'SupplyRequest.identifier']] });
  const long = edit((r) => (r.identifier = [{ system: `https://${'x'.repeat(150)}.example.org/sid`, value: 'R-1' }]));
  const key = eventOf(decodeFhir(long, options)).idempotencyKey;
  assert.match(key, /^SupplyRequest\/sha256:[0-9a-f]{64}$/);
  assert.equal(eventOf(decodeFhir(long, options)).idempotencyKey, key, 'stable');
});

test('the facility: facilityOf, then the extension, then a contained Location\'s managingOrganization, then the default', () => {
  const facility = (r: Json, o: Json = options) => eventOf(decodeFhir(r, { ...o, sourceSystem: 'periop' })).facility;
  assert.equal(facility(REQUEST, { ...options, facilityOf: (res: Json) => (res.resourceType === 'SupplyRequest' ? 'FAC-X' : undefined) }), 'FAC-X');
  assert.equal(facility(REQUEST, { ...options, facilityOf: () => undefined }), 'FAC-NORTH', 'facilityOf may decline');
  const viaLocation = edit((r) => {
    delete r.extension;
    r.contained = [{ resourceType: 'Location', id: 'to', identifier: [{ value: 'LOC-9' }], managingOrganization: { identifier: { value: 'FAC-EAST' } } }];
    r.deliverTo = { reference: '#to' };
  });
  assert.equal(facility(viaLocation), 'FAC-EAST');
  assert.equal(eventOf(decodeFhir(viaLocation, options)).payload.location, 'LOC-9');
  assert.equal(facility(edit((r) => delete r.extension)), 'FAC-SOUTH');
  const none = refused(decodeFhir(edit((r) => delete r.extension), { sourceSystem: 'periop' }));
  assert.deepEqual(none, { status: 422, issues: [['required', 'SupplyRequest.extension']] });
});

test('every problem of a resource is reported at once, each at its element', () => {
  const bad = edit((r) => {
    delete r.identifier;
    r.deliverTo = { display: 'OR' };
    r.itemCodeableConcept = { text: 'a knee' };
    r.authoredOn = '2026-05-10';
  });
  assert.deepEqual(refused(decodeFhir(bad, options)), {
    status: 422,
    issues: [['required', 'SupplyRequest.itemCodeableConcept'], ['value', 'SupplyRequest.authoredOn'], ['required', 'SupplyRequest.deliverTo'], ['required', 'SupplyRequest.identifier']],
  });
});

test('validateR4 takes the encoders\' and the codec\'s own resources, and names the element of each error', () => {
  assert.deepEqual(validateR4(REQUEST), []);
  assert.deepEqual(validateR4({ resourceType: 'ChargeItem', status: 'billable' }).map((i) => i.expression?.[0]), ['ChargeItem.code', 'ChargeItem.subject']);
});
