// Business exceptions and replay end to end: held events released after the data is fixed, business rejections,
// redelivery with the same key, and reprocessing after a correction — each with exactly one effective effect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, ledger, used, type LedgerEntry, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];

withHub((w) => ({ sims, hub, p } = w));

type Results = { results: { id: string; correlationId: string; duplicate: boolean; status: string }[] };
type Exception = { id: string; category: string; status: string; ownerRole: string; facility: string; eventId: string; deliveryId: string | null; detail: Record<string, unknown> };
const post = (events: unknown) => api<Results>(hub, hub.tokens.operator, 'POST', '/v1/events', events);
const exceptionsOf = async (eventId: string) =>
  (await api<{ data: Exception[] }>(hub, hub.tokens.viewer, 'GET', '/v1/exceptions?limit=1000')).body.data.filter((x) => x.eventId === eventId);

/** Effects that still stand: neither a reversal nor reversed by one. */
function effective(entries: LedgerEntry[]): LedgerEntry[] {
  const reversed = new Set(entries.filter((e) => e.kind === 'reversal').map((e) => e.reverses));
  return entries.filter((e) => e.kind !== 'reversal' && !reversed.has(e.id));
}

test('an unknown item code holds the event; adding the mapping and releasing it delivers it to every destination once', async () => {
  const event = used('x-unmapped-1', { location: p.location.id, facility: p.facility, encounter: 'ENC-7100001' });
  event.payload.item = { system: 'ehr-optime', code: 'SUP-UNKNOWN-777' } as never;
  const res = await post([event]);
  assert.equal(res.status, 202, 'a held event is still accepted: the message is stored');
  const id = res.body.results[0]!.id;
  assert.equal(res.body.results[0]!.status, 'held');
  const [x] = await exceptionsOf(id);
  assert.equal(x!.category, 'unmapped_item');
  assert.equal(x!.facility, p.facility);
  assert.equal(x!.ownerRole, 'item-master');
  assert.equal(x!.detail.code, 'SUP-UNKNOWN-777');

  const early = await api<{ released: boolean }>(hub, hub.tokens.operator, 'POST', `/v1/exceptions/${x!.id}/release`);
  assert.equal(early.status, 409, 'releasing before the data is fixed holds it again');
  assert.equal(early.body.released, false);

  const xref = await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-UNKNOWN-777', itemId: p.implant.id });
  assert.equal(xref.status, 201);
  const released = await api<{ released: boolean }>(hub, hub.tokens.operator, 'POST', `/v1/exceptions/${x!.id}/release`);
  assert.equal(released.body.released, true);
  await drained(hub);
  for (const name of ['erp', 'inventory', 'billing'] as const) {
    const entries = (await ledger(sims, name)).filter((e) => e.body.reference?.eventId === id);
    assert.equal(entries.length, 1, `${name} got it once`);
  }
  assert.equal((await exceptionsOf(id))[0]!.status, 'resolved');
  const audit = await api<{ data: { action: string; actor: string }[] }>(hub, hub.tokens.admin, 'GET', '/v1/audit');
  assert.ok(audit.body.data.some((a) => a.action === 'exception.release' && a.actor === 'demo-operator'), 'who released it is recorded');
});

test('an implant without lot or serial is held for the perioperative team; dismissing needs a reason', async () => {
  const res = await post([used('x-nolot-1', { item: p.implant.id, location: p.location.id, facility: p.facility, lot: null, serial: null })]);
  const [x] = await exceptionsOf(res.body.results[0]!.id);
  assert.equal(x!.category, 'missing_lot_serial');
  assert.deepEqual(x!.detail.missing, ['lot', 'serial']);
  assert.equal((await api(hub, hub.tokens.operator, 'POST', `/v1/exceptions/${x!.id}/dismiss`, {})).status, 400);
  assert.equal((await api(hub, hub.tokens.operator, 'POST', `/v1/exceptions/${x!.id}/dismiss`, { reason: 'documented in error' })).status, 200);
  assert.equal((await exceptionsOf(res.body.results[0]!.id))[0]!.status, 'dismissed');
});

test('a business refusal ends the delivery rejected with the reason and an exception; later deliveries of its partition still land', async () => {
  const account = 'ENC-7200001';
  const base = { occurredAt: '2026-11-21T10:00:00.000-05:00', facility: p.facility, source: { system: 'charge-router' } };
  const patient = { identifier: 'MRN00072001' };
  // A credit with nothing to credit is refused by billing; the charge after it, on the same account, is fine.
  const credit = { ...base, type: 'charge.credited', idempotencyKey: 'x-rej-credit', payload: { account, patient, chargeCode: 'CDM-X1', quantity: { value: 1, unit: 'EA' }, serviceDate: '2026-11-21' } };
  const charge = { ...base, type: 'charge.posted', idempotencyKey: 'x-rej-charge', payload: { account, patient, chargeCode: 'CDM-X1', revenueCode: '0272', item: { system: 'erp', code: 'ITM-00001' }, quantity: { value: 1, unit: 'EA' }, unitPrice: { amount: '12.50', currency: 'USD' }, serviceDate: '2026-11-21' } };
  const res = await post([credit, charge]);
  await drained(hub);
  const [creditId, chargeId] = res.body.results.map((r) => r.id);
  const creditDelivery = (await api<{ data: { eventId: string; status: string; lastError: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/deliveries?status=rejected&destination=billing&limit=1000'))
    .body.data.find((d) => d.eventId === creditId)!;
  assert.equal(creditDelivery.status, 'rejected');
  assert.match(creditDelivery.lastError, /422.*no charge to credit/);
  const [x] = await exceptionsOf(creditId!);
  assert.equal(x!.category, 'delivery_rejected');
  assert.equal(x!.ownerRole, 'revenue-cycle');
  const charged = (await ledger(sims, 'billing')).filter((e) => e.body.reference?.eventId === chargeId);
  assert.equal(charged.length, 1, 'the charge behind the rejected credit in the same account was delivered');
  assert.deepEqual(charged[0]!.body.patient, { mrn: 'MRN00072001' });
});

test('redelivering a delivered delivery reuses its key: the destination answers again without a second effect', async () => {
  const res = await post([used('x-redeliver-1', { item: p.implant.id, location: p.location.id, facility: p.facility })]);
  await drained(hub);
  const id = res.body.results[0]!.id;
  const event = await api<{ deliveries: { id: string; destination: string; idempotencyKey: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${id}`);
  const erpDelivery = event.body.deliveries.find((d) => d.destination === 'erp')!;
  const replay = await api<{ replayed: number }>(hub, hub.tokens.operator, 'POST', `/v1/deliveries/${erpDelivery.id}/replay`);
  assert.equal(replay.body.replayed, 1);
  await drained(hub);
  const detail = await api<{ attemptLog: unknown[]; status: string; idempotencyKey: string }>(hub, hub.tokens.viewer, 'GET', `/v1/deliveries/${erpDelivery.id}`);
  assert.equal(detail.body.attemptLog.length, 2, 'two attempts recorded');
  assert.equal(detail.body.idempotencyKey, erpDelivery.idempotencyKey);
  const entries = (await ledger(sims, 'erp')).filter((e) => e.body.reference?.eventId === id);
  assert.equal(entries.length, 1, 'one effect in the ERP');
  const byFilter = await api<{ replayed: number }>(hub, hub.tokens.operator, 'POST', '/v1/replay', { mode: 'redeliver', status: 'rejected', destination: 'billing' });
  assert.equal(byFilter.status, 200);
  assert.ok(byFilter.body.replayed >= 1, 'replay by filter answers how many it replayed');
});

test('reprocessing a delivered message after a correction leaves exactly one effective effect per destination', async () => {
  // The EHR's code was mapped to the wrong implant; the use was delivered everywhere with it.
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-4410', itemId: p.implant.id });
  const event = used('x-reprocess-1', { location: p.location.id, facility: p.facility, encounter: 'ENC-7300001' });
  event.payload.item = { system: 'ehr-optime', code: 'SUP-4410' } as never;
  const res = await post([event]);
  await drained(hub);
  const first = await api<{ messageId: string }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${res.body.results[0]!.id}`);

  // The item master team corrects the mapping and reprocesses the stored message.
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'ehr-optime', code: 'SUP-4410', itemId: p.otherImplant.id });
  const rep = await api<{ events: { id: string; revision: number }[] }>(hub, hub.tokens.operator, 'POST', `/v1/messages/${first.body.messageId}/reprocess`);
  assert.equal(rep.status, 200);
  assert.equal(rep.body.events[0]!.revision, 2);
  await drained(hub);

  const lineage = new Set([res.body.results[0]!.id, rep.body.events[0]!.id]);
  for (const name of ['erp', 'inventory', 'billing'] as const) {
    const entries = await ledger(sims, name);
    const mine = entries.filter((e) => lineage.has(String(e.body.reference?.eventId)));
    const standing = effective(mine);
    assert.equal(standing.length, 1, `${name}: one effect stands`);
    assert.equal(standing[0]!.body.reference?.eventId, rep.body.events[0]!.id, `${name}: it is the corrected revision's`);
    assert.equal(mine.filter((e) => e.kind === 'reversal').length, 1, `${name}: the first effect was reversed once`);
  }
  const erpNow = effective((await ledger(sims, 'erp')).filter((e) => lineage.has(String(e.body.reference?.eventId))));
  assert.equal(erpNow[0]!.body.itemId, p.otherImplant.id);
  const original = await api<{ status: string; revisions: { revision: number }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${res.body.results[0]!.id}`);
  assert.equal(original.body.status, 'superseded');
  assert.deepEqual(original.body.revisions.map((r) => r.revision), [1, 2]);
});
