// Routes per facility: a network whose hospitals use two billing systems. The same implant use is charged to the
// REST billing system at one hospital and over HL7 v2 at the other, and never to both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, ledger, used, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';
import { picks } from './support/picks.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];
/** A Tendon-managed location at a hospital other than the usual one. */
const elsewhere = (s: Sims, facility: string) => {
  const m = s.network.master;
  const active = new Set(m['cost-centers'].filter((c) => c.status === 'active').map((c) => c.id));
  const departments = new Set(m.departments.filter((d) => active.has(d.costCenterId)).map((d) => d.id));
  return m.locations.find((l) => l.facilityId !== facility && l.managedBy === 'tendon' && departments.has(l.departmentId))!;
};

withHub((w) => ({ sims, hub, p } = w), (c, s) => {
  const billing = c.destinations.find((d) => d.name === 'billing')!;
  c.destinations.push({ ...billing, name: 'billing-hl7', kind: 'mllp', url: s.urls.billingMllp!, timeoutMs: 1000 });
  const south = elsewhere(s, picks(s).facility);
  c.routes = [
    { role: 'billing', facilities: [south.facilityId], to: ['billing-hl7'] },
    { role: 'billing', to: ['billing'] },
  ];
});

test('each hospital\'s charges go to its own billing system, and only there', async () => {
  const south = elsewhere(sims, p.facility);
  const north = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events',
    [used('route-north', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7700001' })]);
  const southRes = await api<{ results: { id: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events',
    [used('route-south', { item: p.implant.id, location: south.id, facility: south.facilityId, encounter: 'ENC-7700002' })]);
  await drained(hub);
  const destinationsOf = async (id: string) =>
    (await api<{ deliveries: { destination: string; status: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/events/${id}`)).body.deliveries
      .filter((d) => d.destination.startsWith('billing')).map((d) => [d.destination, d.status]);
  assert.deepEqual(await destinationsOf(north.body.results[0]!.id), [['billing', 'delivered']]);
  assert.deepEqual(await destinationsOf(southRes.body.results[0]!.id), [['billing-hl7', 'delivered']]);
  const booked = (await ledger(sims, 'billing')).filter((e) => e.body.account === 'ENC-7700001' || e.body.account === 'ENC-7700002');
  assert.deepEqual(booked.map((e) => [e.body.account, e.body.via ?? 'http']).sort(), [['ENC-7700001', 'http'], ['ENC-7700002', 'mllp']]);
});
