// Charge follow-up end to end: every chargeable use is followed until billing has taken its charge. Billing
// refusing it (a closed account) is a charge_rejected process exception pointing at the use's workflow; a network
// whose charges come from another source (no billing destination) waits for that charge, and without one within
// the SLA raises charge_missing, which the charge closes when it arrives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { api, drained, ledger, startSims, startTestHub, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { picks } from './support/picks.ts';

type Exception = { id: string; category: string; status: string; ownerRole: string; workflow: { type: string; key: string } | null; detail: Record<string, unknown> };
type Workflow = { status: string; stage: string; decisions: string[] };

let sims: Sims;
let p: ReturnType<typeof picks>;
before(async () => {
  sims = await startSims();
  p = picks(sims);
});
after(() => sims.close());

const exceptionsOf = async (hub: TestHub, category: string) =>
  (await api<{ data: Exception[] }>(hub, hub.tokens.viewer, 'GET', `/v1/exceptions?category=${category}&limit=1000`)).body.data;
const flow = async (hub: TestHub, key: string) => (await api<Workflow>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/charge/${key}`)).body;

test('billing refuses a charge (closed account): charge_rejected points at the use\'s workflow; resolved closes it', async () => {
  const hub = await startTestHub(sims);
  try {
    const account = 'ENC-9100001';
    await (await request(`${sims.urls.billing}/_sim/accounts/${account}/close`, { method: 'POST' })).body.dump();
    const res = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', [used('cf-closed', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: account })]);
    const useId = res.body.results[0]!.id;
    await drained(hub);
    const x = await waitFor('charge_rejected', async () => (await exceptionsOf(hub, 'charge_rejected')).find((e) => e.workflow?.key === useId), 20_000);
    assert.equal(x.ownerRole, 'revenue-cycle');
    assert.match(String(x.detail.reason), /closed/);
    const open = (await api<{ data: { eventId: string | null }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/exceptions?status=open&category=delivery_rejected&limit=1000')).body.data;
    assert.ok(!open.some((e) => e.eventId === useId), 'one problem, one exception: the refused delivery\'s own gives way to charge_rejected');
    const release = await api<{ detail: string }>(hub, hub.tokens.operator, 'POST', `/v1/exceptions/${x.id}/release`, {});
    assert.equal(release.status, 409, 'a process exception is answered by a decision, not released');
    assert.match(release.body.detail, /decisions/);
    assert.deepEqual((await flow(hub, useId)).decisions, ['resolved', 'write-off']);
    const decided = await api(hub, hub.tokens.operator, 'POST', `/v1/workflows/charge/${useId}/decisions`, { decision: 'resolved', exceptionId: x.id, reason: 'account reopened and charged by hand' });
    assert.equal(decided.status, 200);
    assert.deepEqual(await flow(hub, useId).then((w) => [w.status, w.stage]), ['completed', 'charged']);
    assert.equal((await exceptionsOf(hub, 'charge_rejected')).find((e) => e.id === x.id)!.status, 'resolved');
  } finally {
    await hub.stop();
  }
});

test('a use billing took needs no following; with charges from another source, none within the SLA is charge_missing until it comes', async () => {
  const billed = await startTestHub(sims);
  try {
    const res = await api<{ results: { id: string }[] }>(billed, billed.tokens.operator, 'POST', '/v1/events', [used('cf-billed', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-9100002' })]);
    await drained(billed);
    const id = res.body.results[0]!.id;
    assert.equal((await ledger(sims, 'billing')).filter((e) => e.body.reference?.eventId === id).length, 1, 'billing took the charge');
    // A charge that lands is the end of it: the workflow starts only for a charge that fails (a busy hub posts many).
    assert.equal((await api(billed, billed.tokens.viewer, 'GET', `/v1/workflows/charge/${id}`)).status, 404);
  } finally {
    await billed.stop();
  }

  // No billing destination: the EHR's charge router sends the charges; Tendon checks each chargeable use gets one.
  const hub = await startTestHub(sims, (c) => {
    c.destinations = c.destinations.filter((d) => d.role !== 'billing');
    c.thresholds = { ...c.thresholds, chargeSlaHours: 0.0003 }; // about a second
  });
  try {
    const account = 'ENC-9100003';
    const res = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', [used('cf-missing', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: account })]);
    const useId = res.body.results[0]!.id;
    const x = await waitFor('charge_missing', async () => (await exceptionsOf(hub, 'charge_missing')).find((e) => e.workflow?.key === useId), 20_000);
    assert.deepEqual((await flow(hub, useId)).decisions, ['resolved', 'write-off', 'wait']);
    const charge = {
      type: 'charge.posted', idempotencyKey: 'cf-router-1', occurredAt: '2026-11-21T11:00:00.000-05:00', facility: p.facility, source: { system: 'charge-router' },
      payload: { account, patient: { identifier: 'MRN00012345' }, chargeCode: 'CDM-1', item: { system: 'erp', code: p.implant.id }, quantity: { value: 1, unit: 'EA' }, unitPrice: { amount: '100.00', currency: 'USD' }, serviceDate: '2026-11-21' },
    };
    assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/events', [charge])).status, 202);
    await waitFor('the charge to close the use', async () => (await flow(hub, useId)).status === 'completed', 10_000);
    assert.equal((await exceptionsOf(hub, 'charge_missing')).find((e) => e.id === x.id)!.status, 'resolved', 'the charge resolved the exception');
  } finally {
    await hub.stop();
  }
});
