// The ERP's FHIR door: a SupplyRequest becomes the same requisition as POST /requisitions, once per identifier;
// refusals are OperationOutcomes; entered-in-error cancels an open requisition.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { get, ledger } from '../common/test-client.ts';
import { startErp } from './server.ts';

let erp: SimHandle;
before(async () => {
  erp = await startErp({ seed: 11 });
});
after(() => erp.close());

/** A SupplyRequest shaped as Tendon's FHIR destination sends one (src/codecs/fhir/encode.ts). */
const supplyRequest = (key: string, over: Record<string, unknown> = {}) => ({
  resourceType: 'SupplyRequest',
  identifier: [{ system: 'urn:tendon:delivery', value: key }],
  status: 'active',
  category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/supply-kind', code: 'central' }] },
  priority: 'stat',
  itemCodeableConcept: { coding: [{ system: 'urn:tendon:item', code: 'ITM-00001' }] },
  quantity: { value: 4, unit: 'EA' },
  authoredOn: '2026-11-21T10:15:00-05:00',
  deliverTo: { type: 'Location', identifier: { system: 'urn:tendon:location', value: 'LOC-A-OR1' } },
  ...over,
});

async function fhir(method: 'POST' | 'PUT', path: string, body: unknown, ifNoneExist?: string) {
  const res = await fetch(new URL(path, erp.url), {
    method, body: JSON.stringify(body),
    headers: { 'content-type': 'application/fhir+json', ...(ifNoneExist ? { 'if-none-exist': ifNoneExist } : {}) },
  });
  return { status: res.status, body: await res.json() as any };
}
const create = (key: string, over?: Record<string, unknown>) =>
  fhir('POST', '/fhir/SupplyRequest', supplyRequest(key, over), `identifier=urn:tendon:delivery|${key}`);
const requisition = async (id: string) => ((await get(erp.url, '/requisitions')).body.data as { id: string; status: string; priority: string; reference: unknown }[]).find((r) => r.id === id);

test('a SupplyRequest becomes a numbered requisition (stat is an emergency); the same identifier again changes nothing', async () => {
  const first = await create('dlv-sr-1');
  assert.equal(first.status, 201);
  assert.match(first.body.id, /^REQ-\d{6}$/);
  const r = await requisition(first.body.id);
  assert.deepEqual([r?.status, r?.priority, r?.reference], ['open', 'emergency', { deliveryId: 'dlv-sr-1', eventId: null, correlationId: null }]);
  const again = await create('dlv-sr-1');
  assert.deepEqual([again.status, again.body.id], [200, first.body.id]);
  assert.equal((await ledger(erp.url)).filter((e) => e.idempotencyKey === 'dlv-sr-1').length, 1);
});

test('an unknown item is a 422 OperationOutcome; an unreadable request a 400 pointing at the element', async () => {
  const unknown = await create('dlv-sr-2', { itemCodeableConcept: { coding: [{ system: 'urn:tendon:item', code: 'ITM-NOPE' }] } });
  assert.deepEqual([unknown.status, unknown.body.issue[0].code, unknown.body.issue[0].diagnostics], [422, 'business-rule', 'unknown item ITM-NOPE']);
  const noQuantity = await create('dlv-sr-3', { quantity: { unit: 'EA' } });
  assert.equal(noQuantity.status, 400);
  assert.equal(noQuantity.body.issue[0].expression[0], 'SupplyRequest.quantity.value');
  assert.equal((await create('dlv-sr-4', { status: 'draft' })).status, 422);
});

test('entered-in-error cancels the open requisition; a second withdrawal changes nothing', async () => {
  const created = await create('dlv-sr-5', { priority: 'routine' });
  const withdrawn = { ...supplyRequest('dlv-sr-5'), status: 'entered-in-error' };
  const res = await fhir('PUT', '/fhir/SupplyRequest?identifier=urn:tendon:delivery|dlv-sr-5', withdrawn);
  assert.deepEqual([res.status, res.body.status], [200, 'entered-in-error']);
  assert.equal((await requisition(created.body.id))?.status, 'cancelled');
  assert.equal((await fhir('PUT', `/fhir/SupplyRequest/${created.body.id}`, withdrawn)).status, 200);
  assert.equal((await ledger(erp.url)).filter((e) => e.reverses === created.body.id).length, 1);
});
