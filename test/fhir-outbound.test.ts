// FHIR R4 destinations against the simulators' own FHIR doors over HTTP (their own readers, not Tendon's): charges
// to billing as ChargeItems through the hub (the MRN restored for billing only, a redelivery never a second charge,
// a 422 OperationOutcome a rejection with billing's words, an outage retried, a return credited, a correction
// withdrawn), requisitions and purchase orders to an ERP as SupplyRequests, and the protocol's edges (headers,
// Retry-After, 412, an answer without a Location) against a receiver written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { EncodeError, type EncodeContext } from '../src/codecs/rest/index.ts';
import { DestinationConfig, type HubConfigInput } from '../src/config/schema.ts';
import type { Delivery } from '../src/core/types.ts';
import { createFhirOutbound } from '../src/engine/outbound/fhir.ts';
import { api, drained, fault, ledger, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];
withHub((w) => ({ sims, hub, p } = w), (c: HubConfigInput, s) => {
  const billing = c.destinations.find((d) => d.name === 'billing')!;
  Object.assign(billing, { kind: 'fhir', url: `${s.urls.billing}/fhir`, timeoutMs: 2000 });
});

type HubDelivery = { id: string; destination: string; status: string; idempotencyKey: string; lastError: string | null; attempts: number; remoteRef: string | null };
const post = (events: unknown[]) => api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', events);
const billingOf = async (eventId: string) =>
  (await api<{ deliveries: HubDelivery[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${eventId}`)).body.deliveries.find((d) => d.destination === 'billing')!;
const booked = async (key: string) => (await ledger(sims, 'billing')).filter((e) => e.idempotencyKey === key);
const account = async (id: string) =>
  (await (await request(`${sims.urls.billing}/accounts/${id}`)).body.json()) as { netQuantityByChargeCode: Record<string, number> };

test('an implant charge goes to billing as a ChargeItem with the MRN, booked once as ChargeItem/<id>', async () => {
  const res = await post([used('fhir-bill-1', { item: p.implant.id, location: p.location.id, facility: p.facility, mrn: 'MRN00077001', encounter: 'ENC-7700001' })]);
  await drained(hub);
  const d = await billingOf(res.body.results[0]!.id);
  assert.equal(d.status, 'delivered');
  assert.match(d.remoteRef ?? '', /^ChargeItem\/CHG-\d{6}$/);
  const [entry, ...more] = await booked(d.idempotencyKey);
  assert.equal(more.length, 0);
  assert.deepEqual([entry!.kind, entry!.body.via, entry!.body.account, entry!.body.facilityId], ['charge', 'fhir', 'ENC-7700001', p.facility]);
  assert.deepEqual(entry!.body.patient, { mrn: 'MRN00077001' }, 'restored for billing, which has phi: true');
  assert.equal(entry!.body.chargeCode, p.charge(p.implant.id).chargeCode);
  assert.equal(entry!.id, d.remoteRef!.split('/')[1]);
});

test('a redelivery (POST /v1/deliveries/{id}/replay) is answered by the first ChargeItem: no second charge', async () => {
  const res = await post([used('fhir-bill-replay', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7700002' })]);
  await drained(hub);
  const first = await billingOf(res.body.results[0]!.id);
  const replay = await api<{ mode: string; replayed: number }>(hub, hub.tokens.operator, 'POST', `/v1/deliveries/${first.id}/replay`, {});
  assert.deepEqual([replay.status, replay.body.mode, replay.body.replayed], [200, 'redeliver', 1]);
  await waitFor('the redelivery to be sent', async () => ((await billingOf(res.body.results[0]!.id)).attempts > first.attempts));
  await drained(hub);
  const again = await billingOf(res.body.results[0]!.id);
  assert.deepEqual([again.status, again.remoteRef], ['delivered', first.remoteRef]);
  assert.equal((await booked(first.idempotencyKey)).length, 1);
  assert.equal((await account('ENC-7700002')).netQuantityByChargeCode[p.charge(p.implant.id).chargeCode], 1);
});

test('billing\'s 422 OperationOutcome rejects the delivery with its diagnostics, an exception for revenue cycle', async () => {
  const res = await post([used('fhir-bill-closed', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7700003-C' })]);
  await drained(hub);
  const d = await billingOf(res.body.results[0]!.id);
  assert.equal(d.status, 'rejected');
  assert.equal(d.lastError, 'HTTP 422: account ENC-7700003-C is closed');
  const x = (await api<{ data: { deliveryId: string; ownerRole: string; detail: { reason: string } }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/exceptions?category=delivery_rejected')).body.data
    .find((e) => e.deliveryId === d.id);
  assert.deepEqual([x?.ownerRole, x?.detail.reason], ['revenue-cycle', 'HTTP 422: account ENC-7700003-C is closed']);
  assert.equal((await booked(d.idempotencyKey)).length, 0);
});

test('while billing is down the charge is retried; once it is back, booked once', async () => {
  await fault(sims, 'billing', { down: true });
  const res = await post([used('fhir-bill-down', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7700004' })]);
  const id = res.body.results[0]!.id;
  try {
    await waitFor('two failed attempts', async () => ((await billingOf(id))?.attempts ?? 0) >= 2, 20_000);
    assert.equal((await billingOf(id)).status, 'retrying');
  } finally {
    await fault(sims, 'billing', { reset: true });
  }
  await drained(hub);
  const d = await billingOf(id);
  assert.equal(d.status, 'delivered');
  assert.equal((await booked(d.idempotencyKey)).length, 1);
});

test('a returned implant is credited with an offsetting ChargeItem (negative quantity)', async () => {
  const at = { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7700005' };
  const res = await post([used('fhir-ret-use', at), { ...used('fhir-ret-return', at), type: 'supply.returned' }]);
  await drained(hub);
  const credit = await billingOf(res.body.results[1]!.id);
  assert.equal(credit.status, 'delivered');
  assert.match(credit.remoteRef ?? '', /^ChargeItem\/CRD-\d{6}$/);
  assert.deepEqual((await booked(credit.idempotencyKey)).map((e) => [e.kind, e.body.via, e.body.quantity]), [['credit', 'fhir', 1]]);
  assert.equal((await account('ENC-7700005')).netQuantityByChargeCode[p.charge(p.implant.id).chargeCode], 0);
});

test('reprocessing after a correction withdraws the first ChargeItem (entered-in-error) and posts the corrected one', async () => {
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-FHIR-1', itemId: p.implant.id });
  const event = used('fhir-bill-reprocess', { location: p.location.id, facility: p.facility, encounter: 'ENC-7700006' });
  event.payload.item = { system: 'ehr-optime', code: 'SUP-FHIR-1' } as never;
  const res = await post([event]);
  await drained(hub);
  const first = await billingOf(res.body.results[0]!.id);
  const { messageId } = (await api<{ messageId: string }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${res.body.results[0]!.id}`)).body;
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-FHIR-1', itemId: p.otherImplant.id });
  await api(hub, hub.tokens.operator, 'POST', `/v1/messages/${messageId}/reprocess`);
  await drained(hub);
  const withdrawn = await (await request(`${sims.urls.billing}/fhir/${first.remoteRef}`)).body.json() as { status: string };
  assert.equal(withdrawn.status, 'entered-in-error');
  const net = (await account('ENC-7700006')).netQuantityByChargeCode;
  assert.equal(net[p.charge(p.implant.id).chargeCode], 0, 'the wrong charge is withdrawn');
  assert.equal(net[p.charge(p.otherImplant.id).chargeCode], 1, 'the corrected charge stands');
});

// The Outbound on its own, with deliveries made by hand, against the ERP simulator's SupplyRequest door.
let seq = 0;
function delivery(action: string, body: Record<string, unknown>, over: Partial<Delivery> = {}): Delivery {
  seq += 1;
  const now = new Date().toISOString();
  return {
    id: `dlv-fhir-${seq}`, seq, eventId: `evt-fhir-${seq}`, correlationId: `corr-${seq}`, destination: 'x', action, partitionKey: 'p', priority: 1,
    idempotencyKey: `tdn-fhir-test-${process.pid}-${seq}`, status: 'in_flight', attempts: 0, nextAttemptAt: 0, createdAt: now, updatedAt: now,
    body, reverses: null, remoteRef: null, lastError: null, ...over,
  };
}
const destination = (over: Record<string, unknown>) => DestinationConfig.parse({ name: 'fhir-test', kind: 'fhir', timeoutMs: 2000, ...over });
const NO_PHI: EncodeContext = { revealed: new Map() };
const requisitions = async () => ((await (await request(`${sims.urls.erp}/requisitions`)).body.json()) as { data: { id: string; status: string; itemId: string; reference: { deliveryId: string } }[] }).data;

test('a requisition goes to the ERP as a SupplyRequest, once however often it is sent; its reversal cancels it', async () => {
  const erp = createFhirOutbound(destination({ role: 'erp', url: `${sims.urls.erp}/fhir` }));
  try {
    const d = delivery('requisition.create', { locationId: p.location.id, itemId: p.routine.id, quantity: 4, uom: 'EA', priority: 'emergency' });
    const sent = await erp.deliver(d, NO_PHI);
    assert.deepEqual([sent.outcome, sent.status], ['success', 201]);
    assert.match(sent.remoteRef ?? '', /^SupplyRequest\/REQ-\d{6}$/);
    const again = await erp.deliver(d, NO_PHI);
    assert.deepEqual([again.outcome, again.status, again.remoteRef], ['success', 200, sent.remoteRef]);
    assert.equal((await requisitions()).filter((r) => r.reference.deliveryId === d.idempotencyKey).length, 1);

    const reversal = delivery('reverse', { reverses: d.id, action: d.action }, { reverses: d.id });
    const undone = await erp.deliver(reversal, { revealed: new Map(), reversed: { action: d.action, remoteRef: sent.remoteRef!, body: d.body, idempotencyKey: d.idempotencyKey } });
    assert.equal(undone.outcome, 'success');
    assert.equal((await requisitions()).find((r) => `SupplyRequest/${r.id}` === sent.remoteRef)?.status, 'cancelled');
  } finally {
    await erp.close();
  }
});

test('a purchase order is a SupplyRequest per line; an unknown item is rejected in the server\'s words', async () => {
  const supplier = createFhirOutbound(destination({ role: 'supplier', url: `${sims.urls.erp}/fhir` }));
  const line = (n: string, itemId: string) => ({ line: n, itemId, vendorItem: 'V-1', gtin: null, description: 'x', quantity: 2, uom: 'EA', unitPrice: '12.50' });
  const po = (lines: unknown[]) => ({
    poNumber: `TPO${seq}`, orderDate: '2026-11-21', supplierId: 'SUP-1', facility: p.facility, shipTo: { facility: p.facility, location: p.location.id },
    priority: 'routine', currency: 'USD', lines,
  });
  try {
    const d = delivery('purchase-order.send', po([line('1', p.routine.id), line('2', p.implant.id)]));
    const sent = await supplier.deliver(d, NO_PHI);
    assert.equal(sent.outcome, 'success');
    assert.match(sent.remoteRef ?? '', /^SupplyRequest\/REQ-\d{6} SupplyRequest\/REQ-\d{6}$/);
    const made = (await requisitions()).filter((r) => r.reference.deliveryId.startsWith(`${d.idempotencyKey}:`));
    assert.deepEqual(made.map((r) => [r.reference.deliveryId, r.itemId]), [[`${d.idempotencyKey}:1`, p.routine.id], [`${d.idempotencyKey}:2`, p.implant.id]]);
    assert.equal((await supplier.deliver(d, NO_PHI)).remoteRef, sent.remoteRef, 'sent again: the same two, nothing new');

    const bad = await supplier.deliver(delivery('purchase-order.send', po([line('1', 'ITM-NOT-THERE')])), NO_PHI);
    assert.deepEqual([bad.outcome, bad.status, bad.reason], ['rejected', 422, 'HTTP 422: unknown item ITM-NOT-THERE']);
  } finally {
    await supplier.close();
  }
});

test('the wire: FHIR JSON with a bearer token and If-None-Exist; Retry-After honoured; 412 rejected; no Location still a reference', async () => {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: { subject?: unknown } }[] = [];
  const answers: [number, Record<string, string>, string][] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c)).on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(text) });
      const [status, headers, body] = answers.shift() ?? [201, {}, ''];
      res.writeHead(status, headers).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const billing = createFhirOutbound(destination({ role: 'billing', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/r4`, fhir: { bearerToken: 'tok-123' } }));
  const charge = { account: 'ENC-1', patient: { token: 'pt_abc' }, facilityId: p.facility, chargeCode: 'CDM1', revenueCode: '0278', quantity: 1, serviceDate: '2026-11-21', itemId: 'ITM-1', unitPrice: '10.00' };
  try {
    const d = delivery('charge.post', charge);
    const ok = await billing.deliver(d, { revealed: new Map([['pt_abc', 'MRN0042']]) });
    assert.deepEqual([ok.outcome, ok.remoteRef], ['success', `ChargeItem?identifier=urn:tendon:delivery|${d.idempotencyKey}`]);
    const wire = seen[0]!;
    assert.deepEqual([wire.method, wire.url], ['POST', '/r4/ChargeItem']);
    assert.equal(wire.headers['content-type'], 'application/fhir+json');
    assert.equal(wire.headers.accept, 'application/fhir+json');
    assert.equal(wire.headers.authorization, 'Bearer tok-123');
    assert.equal(wire.headers['if-none-exist'], `identifier=urn:tendon:delivery|${d.idempotencyKey}`);
    assert.equal(wire.headers['idempotency-key'], d.idempotencyKey);
    assert.match(JSON.stringify(wire.body.subject), /MRN0042/, 'the MRN the dispatcher revealed (phi: true)');

    await billing.deliver(delivery('charge.post', charge), NO_PHI);
    assert.doesNotMatch(JSON.stringify(seen[1]!.body), /MRN/, 'nothing revealed, no MRN: Tendon\'s token instead');

    answers.push([503, { 'retry-after': '7', 'content-type': 'application/fhir+json' }, JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'maintenance' }] })]);
    const later = await billing.deliver(delivery('charge.post', charge), NO_PHI);
    assert.deepEqual([later.outcome, later.retryAfterMs, later.reason], ['retryable', 7000, 'HTTP 503: maintenance']);

    answers.push([412, {}, JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'duplicate', diagnostics: 'two ChargeItems match' }] })]);
    const twice = await billing.deliver(delivery('charge.post', charge), NO_PHI);
    assert.deepEqual([twice.outcome, twice.reason], ['rejected', 'HTTP 412: two ChargeItems match']);

    await assert.rejects(billing.deliver(delivery('inventory.issue', charge), NO_PHI), EncodeError);
    await assert.rejects(billing.deliver(delivery('reverse', {}), { revealed: new Map() }), EncodeError, 'a reversal without the reversed delivery');
  } finally {
    await billing.close();
    server.close();
  }
});
