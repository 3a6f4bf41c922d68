// FHIR R4 at /fhir/r4 end to end: a CapabilityStatement, a SupplyDelivery of an implant (lot and serial in a
// contained Device) delivered to the ERP and inventory, duplicates by identifier, invalid resources answered with
// an OperationOutcome pointing at the element and kept, batch and transaction Bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { api, drained, ledger, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];
withHub((w) => ({ sims, hub, p } = w), (c, s) => {
  c.fhir = { defaultFacility: s.network.master.locations.find((l) => l.managedBy === 'tendon')!.facilityId };
});

async function fhir(method: string, path: string, body?: unknown, contentType = 'application/fhir+json') {
  const res = await request(`${hub.url}${path}`, {
    method: method as 'POST',
    headers: { authorization: `Bearer ${hub.tokens.operator}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), location: res.headers.location as string | undefined, body: text ? JSON.parse(text) : null };
}

function delivery(id: string, over: Record<string, unknown> = {}) {
  return {
    resourceType: 'SupplyDelivery',
    identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.999.1', value: id }],
    status: 'completed',
    patient: { identifier: { system: 'urn:oid:2.16.840.1.113883.3.999.2', value: 'MRN00088001' } },
    contained: [{ resourceType: 'Device', id: 'implant', udiCarrier: [{ deviceIdentifier: p.implant.gtin }], lotNumber: `LOT-${id}`, serialNumber: `SN-${id}`, expirationDate: '2029-01-31' }],
    suppliedItem: { quantity: { value: 1 }, itemReference: { reference: '#implant' } },
    occurrenceDateTime: '2026-11-21T10:00:00-05:00',
    destination: { reference: `Location/${p.location.id}` },
    ...over,
  };
}

test('GET /fhir/r4/metadata answers an R4 CapabilityStatement naming what Tendon takes', async () => {
  const res = await fhir('GET', '/fhir/r4/metadata');
  assert.equal(res.status, 200);
  assert.match(res.type, /application\/fhir\+json/);
  assert.equal(res.body.resourceType, 'CapabilityStatement');
  assert.equal(res.body.fhirVersion, '4.0.1');
  const types = res.body.rest[0].resource.map((r: { type: string }) => r.type).sort();
  assert.deepEqual(types, ['ChargeItem', 'SupplyDelivery', 'SupplyRequest']);
});

test('a SupplyDelivery of an implant is created (201, Location) and delivered; the same identifier again is 200, nothing new', async () => {
  const first = await fhir('POST', '/fhir/r4/SupplyDelivery', delivery('SD-0001'));
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.match(first.location ?? '', /^\/v1\/events\//);
  const eventId = first.location!.split('/').pop()!;
  const again = await fhir('POST', '/fhir/r4/SupplyDelivery', delivery('SD-0001'));
  assert.equal(again.status, 200);
  assert.equal(again.body.issue[0].code, 'duplicate');
  await drained(hub);
  const event = await api<{ type: string; status: string; payload: { lot: string } }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${eventId}`);
  assert.equal(event.body.type, 'supply.used');
  assert.equal(event.body.payload.lot, 'LOT-SD-0001');
  for (const name of ['erp', 'inventory'] as const) {
    assert.equal((await ledger(sims, name)).filter((e) => e.body.reference?.eventId === eventId).length, 1, `${name}: one effect`);
  }
});

test('an invalid resource gets an OperationOutcome pointing at the element, and the body is kept', async () => {
  const preR4 = readFileSync(new URL('../src/codecs/fhir/fixtures/supplyrequest-example-simpleorder.PRE-R4-build_identifier-not-array.json', import.meta.url), 'utf8');
  const res = await fhir('POST', '/fhir/r4/SupplyRequest', preR4);
  assert.equal(res.status, 400);
  assert.equal(res.body.resourceType, 'OperationOutcome');
  assert.ok(res.body.issue.some((i: { expression?: string[] }) => i.expression?.some((e) => e.startsWith('SupplyRequest.identifier'))), JSON.stringify(res.body.issue));
  const refused = await api<{ data: { channel: string; error: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused');
  assert.ok(refused.body.data.some((m) => m.channel === 'http:/fhir/r4' && m.error.startsWith('400')));

  const xml = await fhir('POST', '/fhir/r4', '<ChargeItem xmlns="http://hl7.org/fhir"/>', 'application/fhir+xml');
  assert.equal(xml.status, 415);
  const wrongType = await fhir('POST', '/fhir/r4/ChargeItem', delivery('SD-0002'));
  assert.equal(wrongType.status, 400, 'a SupplyDelivery posted to /ChargeItem');
  const anonymous = await request(`${hub.url}/fhir/r4`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/fhir+json' } });
  assert.equal(anonymous.statusCode, 401, 'a token is needed');
  await anonymous.body.dump();
});

test('a batch takes its good entries and reports the bad one; a transaction with a bad entry takes nothing', async () => {
  const bad = delivery('SD-BAD', { occurrenceDateTime: '2026-11-21T10:00:00' });
  const batch = await fhir('POST', '/fhir/r4', {
    resourceType: 'Bundle', type: 'batch',
    entry: [{ resource: delivery('SD-B1'), request: { method: 'POST', url: 'SupplyDelivery' } }, { resource: bad, request: { method: 'POST', url: 'SupplyDelivery' } }],
  });
  assert.equal(batch.status, 200);
  assert.equal(batch.body.type, 'batch-response');
  assert.deepEqual(batch.body.entry.map((e: { response: { status: string } }) => e.response.status.slice(0, 3)), ['201', '422']);

  const transaction = await fhir('POST', '/fhir/r4', {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{ resource: delivery('SD-T1'), request: { method: 'POST', url: 'SupplyDelivery' } }, { resource: bad, request: { method: 'POST', url: 'SupplyDelivery' } }],
  });
  assert.equal(transaction.status, 422);
  assert.equal(transaction.body.resourceType, 'OperationOutcome');
  const ok = await fhir('POST', '/fhir/r4', {
    resourceType: 'Bundle', type: 'transaction',
    entry: [{ resource: delivery('SD-T1'), request: { method: 'POST', url: 'SupplyDelivery' } }, { resource: delivery('SD-T2'), request: { method: 'POST', url: 'SupplyDelivery' } }],
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.entry.map((e: { response: { status: string } }) => e.response.status), ['201 Created', '201 Created'], 'SD-T1 was not taken by the failed transaction');
});
