// Billing's FHIR door: ChargeItems booked through the same rules and ledger as POST /charges and /credits, a
// conditional create never booking twice, refusals as OperationOutcomes, and entered-in-error as the reversal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { get, ledger, post } from '../common/test-client.ts';
import { startBilling } from './server.ts';

let billing: SimHandle;
before(async () => {
  billing = await startBilling({ seed: 5 });
});
after(() => billing.close());

const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
const REVENUE = 'https://www.nubc.org/CodeSystem/RevenueCodes';

/** A ChargeItem shaped as Tendon's FHIR destination sends one (src/codecs/fhir/encode.ts). */
function chargeItem(key: string, account: string, over: Record<string, unknown> = {}) {
  return {
    resourceType: 'ChargeItem',
    contained: [{ resourceType: 'Device', id: 'product', lotNumber: 'L2406A', serialNumber: 'SN1', type: { coding: [{ system: 'urn:tendon:item', code: 'ITM-00017' }] } }],
    productReference: { reference: '#product' },
    extension: [{ url: 'urn:tendon:extension:facility', valueCode: 'FAC-A' }],
    identifier: [{ system: 'urn:tendon:delivery', value: key }],
    status: 'billable',
    code: { coding: [{ code: 'CDM27800017' }, { system: HCPCS, code: 'C1776' }, { system: REVENUE, code: '0278' }] },
    subject: { type: 'Patient', identifier: { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, value: 'MRN00012345' } },
    occurrenceDateTime: '2026-11-21',
    performer: [{ actor: { type: 'Practitioner', identifier: { value: 'NPI1234567890' } } }],
    quantity: { value: 3 },
    priceOverride: { value: 5664, currency: 'USD' },
    enteredDate: '2026-11-21T10:15:00-05:00',
    account: [{ type: 'Account', identifier: { value: account } }],
    ...over,
  };
}

async function fhir(method: 'POST' | 'PUT', path: string, body: unknown, ifNoneExist?: string) {
  const res = await fetch(new URL(path, billing.url), {
    method, body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/fhir+json', ...(ifNoneExist ? { 'if-none-exist': ifNoneExist } : {}) },
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', location: res.headers.get('location'), body: await res.json() as any };
}
const create = (key: string, account: string, over?: Record<string, unknown>) =>
  fhir('POST', '/fhir/ChargeItem', chargeItem(key, account, over), `identifier=urn:tendon:delivery|${key}`);
const entries = async (key: string) => (await ledger(billing.url)).filter((e) => e.idempotencyKey === key);

test('a ChargeItem is booked as the same charge a POST /charges makes: 201, Location, one ledger entry via fhir', async () => {
  const res = await create('dlv-fhir-1', 'ENC-7000001');
  assert.equal(res.status, 201);
  assert.match(res.type, /application\/fhir\+json/);
  assert.match(res.body.id, /^CHG-\d{6}$/);
  assert.equal(res.location, `/fhir/ChargeItem/${res.body.id}/_history/1`);
  const [entry, ...more] = await entries('dlv-fhir-1');
  assert.equal(more.length, 0);
  assert.deepEqual([entry.kind, entry.id], ['charge', res.body.id]);
  assert.deepEqual(entry.body, {
    account: 'ENC-7000001', patient: { mrn: 'MRN00012345' }, facilityId: 'FAC-A', chargeCode: 'CDM27800017', serviceDate: '2026-11-21',
    reference: { deliveryId: 'dlv-fhir-1', eventId: null, correlationId: null }, via: 'fhir', revenueCode: '0278', hcpcs: 'C1776',
    quantity: 3, unitPrice: '1888.00', itemId: 'ITM-00017', lot: 'L2406A', serial: 'SN1', performer: 'NPI1234567890',
  });
  const account = (await get(billing.url, '/accounts/ENC-7000001')).body;
  assert.equal(account.netQuantityByChargeCode.CDM27800017, 3);
  assert.deepEqual((await (await fetch(new URL(`/fhir/ChargeItem/${res.body.id}`, billing.url))).json() as { id: string }).id, res.body.id);
});

test('If-None-Exist: the same identifier again is 200 with the first resource, and nothing is booked twice', async () => {
  const first = await create('dlv-fhir-dup', 'ENC-7000002');
  const again = await create('dlv-fhir-dup', 'ENC-7000002');
  assert.deepEqual([first.status, again.status], [201, 200]);
  assert.equal(again.body.id, first.body.id);
  assert.equal((await entries('dlv-fhir-dup')).length, 1);
});

test('a business refusal is 422 with an OperationOutcome in billing\'s words; once fixed, the same create books', async () => {
  const closed = await create('dlv-fhir-closed', 'ENC-7000003-C');
  assert.equal(closed.status, 422);
  assert.deepEqual(closed.body, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'business-rule', diagnostics: 'account ENC-7000003-C is closed' }] });
  assert.equal((await entries('dlv-fhir-closed')).length, 0);
  await post(billing.url, '/_sim/accounts/ENC-7000003-C/reopen', {});
  assert.equal((await create('dlv-fhir-closed', 'ENC-7000003-C')).status, 201);
  const pseudonym = await create('dlv-fhir-token', 'ENC-7000004', { subject: { type: 'Patient', identifier: { system: 'urn:tendon:patient-token', value: 'pt_abc' } } });
  assert.equal(pseudonym.status, 422);
  assert.match(pseudonym.body.issue[0].diagnostics, /patient MRN is missing/);
});

test('what billing cannot read is 400 with an OperationOutcome, pointing at the element when it can', async () => {
  const notJson = await fhir('POST', '/fhir/ChargeItem', '{"resourceType":');
  assert.deepEqual([notJson.status, notJson.body.resourceType, notJson.body.issue[0].code], [400, 'OperationOutcome', 'invalid']);
  assert.equal((await fhir('POST', '/fhir/ChargeItem', { resourceType: 'SupplyRequest', identifier: [{ value: 'x' }] })).status, 400);
  assert.match((await fhir('POST', '/fhir/ChargeItem', { ...chargeItem('k', 'ENC-1'), identifier: [] })).body.issue[0].diagnostics, /needs an identifier/);
  const noRevenue = await create('dlv-fhir-norev', 'ENC-7000005', { code: { coding: [{ code: 'CDM27800017' }] } });
  assert.equal(noRevenue.status, 400);
  assert.equal(noRevenue.body.issue[0].expression[0], 'ChargeItem.code.coding');
  assert.equal((await fhir('POST', '/fhir/ChargeItem', chargeItem('k2', 'ENC-1'), 'patient=123')).status, 400, 'a search other than identifier');
  assert.equal((await entries('dlv-fhir-norev')).length, 0);
});

test('a negative quantity is a credit, checked as POST /credits checks one', async () => {
  await create('dlv-fhir-c1', 'ENC-7000006');
  const credit = { quantity: { value: -2 }, priceOverride: undefined, note: [{ text: 'supply returned' }] };
  const res = await create('dlv-fhir-c2', 'ENC-7000006', credit);
  assert.equal(res.status, 201);
  assert.match(res.body.id, /^CRD-\d{6}$/);
  const [entry] = await entries('dlv-fhir-c2');
  assert.deepEqual([entry.kind, entry.body.quantity, entry.body.reason], ['credit', 2, 'supply returned']);
  const tooMuch = await create('dlv-fhir-c3', 'ENC-7000006', { ...credit, quantity: { value: -5 } });
  assert.equal(tooMuch.status, 422);
  assert.match(tooMuch.body.issue[0].diagnostics, /^no charge to credit/);
  assert.equal((await get(billing.url, '/accounts/ENC-7000006')).body.netQuantityByChargeCode.CDM27800017, 1);
});

test('entered-in-error by conditional update reverses the charge once; billing takes no other update', async () => {
  const created = await create('dlv-fhir-w', 'ENC-7000007');
  const withdrawn = { ...chargeItem('dlv-fhir-w', 'ENC-7000007'), status: 'entered-in-error' };
  const res = await fhir('PUT', '/fhir/ChargeItem?identifier=urn:tendon:delivery|dlv-fhir-w', withdrawn);
  assert.deepEqual([res.status, res.body.id, res.body.status, res.body.meta.versionId], [200, created.body.id, 'entered-in-error', '2']);
  const again = await fhir('PUT', `/fhir/ChargeItem/${created.body.id}`, withdrawn);
  assert.deepEqual([again.status, again.body.meta.versionId], [200, '2'], 'already withdrawn: nothing new');
  const reversals = (await ledger(billing.url)).filter((e) => e.reverses === created.body.id);
  assert.equal(reversals.length, 1);
  assert.equal((await get(billing.url, '/accounts/ENC-7000007')).body.netQuantityByChargeCode.CDM27800017, 0);
  assert.equal((await fhir('PUT', `/fhir/ChargeItem/${created.body.id}`, { ...withdrawn, status: 'billed' })).status, 422);
  assert.equal((await fhir('PUT', '/fhir/ChargeItem?identifier=urn:tendon:delivery|nobody', withdrawn)).status, 422);
});

test('the fault switch applies to the FHIR door too', async () => {
  await post(billing.url, '/_sim/faults', { errorRate: 1, errorStatus: 503, retryAfterSeconds: 2 });
  try {
    const res = await fetch(new URL('/fhir/ChargeItem', billing.url), { method: 'POST', body: '{}', headers: { 'content-type': 'application/fhir+json' } });
    await res.body?.cancel();
    assert.deepEqual([res.status, res.headers.get('retry-after')], [503, '2']);
  } finally {
    await post(billing.url, '/_sim/faults', { reset: true });
  }
});
