// Charges to billing as HL7 DFT^P03 over MLLP, against the billing simulator's own HL7 listener (its own parser,
// not Tendon's): the MRN restored for billing only, MSH-10 = the delivery's key, AE → rejected with the reason,
// lost ACKs retried without a second posting, and a correction's reversal sent as a credit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, fault, ledger, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];
withHub((w) => ({ sims, hub, p } = w), (c, s) => {
  const billing = c.destinations.find((d) => d.name === 'billing')!;
  Object.assign(billing, { kind: 'mllp', url: s.urls.billingMllp, timeoutMs: 1000, concurrency: 2 });
});

type Delivery = { id: string; eventId: string; destination: string; status: string; idempotencyKey: string; lastError: string | null; attempts: number };
const post = (events: unknown[]) => api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', events);
const billingOf = async (eventId: string) =>
  (await api<{ deliveries: Delivery[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${eventId}`)).body.deliveries.find((d) => d.destination === 'billing')!;

test('an implant charge goes to billing as a DFT^P03 with the MRN, keyed by the delivery; only once', async () => {
  const res = await post([used('hl7-bill-1', { item: p.implant.id, location: p.location.id, facility: p.facility, mrn: 'MRN00066001', encounter: 'ENC-6600001' })]);
  await drained(hub);
  const d = await billingOf(res.body.results[0]!.id);
  assert.equal(d.status, 'delivered');
  const entries = (await ledger(sims, 'billing')).filter((e) => e.idempotencyKey === d.idempotencyKey);
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.body.via, 'mllp');
  assert.deepEqual(entries[0]!.body.patient, { mrn: 'MRN00066001' });
  assert.equal(entries[0]!.body.account, 'ENC-6600001');
  assert.equal(entries[0]!.body.facilityId, p.facility, 'booked to the hospital the use happened in');
});

test('a closed account is refused with AE: the delivery ends rejected with the reason, an exception for revenue cycle', async () => {
  const res = await post([used('hl7-bill-closed', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-6600002-C' })]);
  await drained(hub);
  const d = await billingOf(res.body.results[0]!.id);
  assert.equal(d.status, 'rejected');
  assert.match(d.lastError ?? '', /^AE.*closed/);
  const x = (await api<{ data: { deliveryId: string; category: string; ownerRole: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/exceptions?category=delivery_rejected')).body.data.find((e) => e.deliveryId === d.id);
  assert.equal(x?.ownerRole, 'revenue-cycle');
});

test('when billing answers nothing, the charge is sent again with the same control id and posted once', async () => {
  await fault(sims, 'billing', { errorRate: 1 });
  const res = await post([used('hl7-bill-retry', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-6600003' })]);
  const id = res.body.results[0]!.id;
  await waitFor('a failed attempt', async () => ((await billingOf(id))?.attempts ?? 0) >= 2, 20_000);
  await fault(sims, 'billing', { reset: true });
  await drained(hub);
  const d = await billingOf(id);
  assert.equal(d.status, 'delivered');
  assert.equal((await ledger(sims, 'billing')).filter((e) => e.idempotencyKey === d.idempotencyKey).length, 1);
});

test('reprocessing after a correction credits the first charge over HL7 and posts the corrected one', async () => {
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-HL7-1', itemId: p.implant.id });
  const event = used('hl7-bill-reprocess', { location: p.location.id, facility: p.facility, encounter: 'ENC-6600004' });
  event.payload.item = { system: 'ehr-optime', code: 'SUP-HL7-1' } as never;
  const res = await post([event]);
  await drained(hub);
  const { messageId } = (await api<{ messageId: string }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${res.body.results[0]!.id}`)).body;
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-HL7-1', itemId: p.otherImplant.id });
  await api(hub, hub.tokens.operator, 'POST', `/v1/messages/${messageId}/reprocess`);
  await drained(hub);
  const account = (await (await import('undici')).request(`${sims.urls.billing}/accounts/ENC-6600004`).then((r) => r.body.json())) as { netQuantityByChargeCode: Record<string, number> };
  const first = p.charge(p.implant.id).chargeCode;
  const corrected = p.charge(p.otherImplant.id).chargeCode;
  assert.equal(account.netQuantityByChargeCode[first], 0, 'the wrong charge was credited');
  assert.equal(account.netQuantityByChargeCode[corrected], 1, 'the corrected charge stands');
});
