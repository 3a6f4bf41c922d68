// The usage-to-charge flow end to end: a real hub on a real SQLite file, the simulated ERP, inventory and billing
// over real HTTP. Assertions are on what the hospital's systems recorded (their ledgers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, drained, ledger, used, waitFor, type LedgerEntry, type Sims, type TestHub } from './support/hub.ts';
import { withHub, type World } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
let p: World['p'];

withHub((w) => ({ sims, hub, p } = w));

const of = (entries: LedgerEntry[], eventId: string) => entries.filter((e) => e.body.reference?.eventId === eventId);
const post = (events: unknown) => api<{ results: { id: string; correlationId: string; duplicate: boolean; status: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', events);

test('an implant used in surgery lands once in the ERP, the inventory system and billing; only billing sees the patient', async () => {
  const event = used('e2e-implant-1', { item: p.implant.id, location: p.location.id, facility: p.facility, mrn: 'MRN00077001', encounter: 'ENC-7000001' });
  const res = await post([event]);
  assert.equal(res.status, 202);
  const [r] = res.body.results;
  assert.equal(r!.duplicate, false);
  assert.equal(r!.correlationId, 'CASE-e2e-implant-1', 'the surgical case is the business transaction');
  await drained(hub);

  const [erp, inventory, billing] = await Promise.all([ledger(sims, 'erp'), ledger(sims, 'inventory'), ledger(sims, 'billing')]);
  const [issue] = of(erp, r!.id);
  assert.equal(of(erp, r!.id).length, 1);
  assert.equal(issue!.kind, 'issue');
  assert.equal(issue!.body.itemId, p.implant.id);
  assert.equal(issue!.body.costCenterId, sims.network.master.departments.find((d) => d.id === p.location.departmentId)!.costCenterId);
  assert.match(String(issue!.body.unitCost), /^\d+\.\d{2}$/, 'valued at the contract price, a decimal string');
  assert.equal(of(inventory, r!.id).length, 1);
  assert.equal(of(inventory, r!.id)[0]!.kind, 'decrement');
  const charges = of(billing, r!.id);
  assert.equal(charges.length, 1);
  assert.deepEqual(charges[0]!.body.patient, { mrn: 'MRN00077001' }, 'billing is allowed PHI and gets the MRN back');
  assert.equal(charges[0]!.body.revenueCode, '0278');
  assert.equal(charges[0]!.body.chargeCode, p.charge(p.implant.id).chargeCode);
  assert.equal(charges[0]!.body.lot, 'L1');
  for (const e of [...of(erp, r!.id), ...of(inventory, r!.id)]) assert.ok(!JSON.stringify(e).includes('MRN00077001'), 'no PHI outside billing');

  const stored = await api(hub, hub.tokens.viewer, 'GET', `/v1/events/${r!.id}`);
  assert.ok(!JSON.stringify(stored.body).includes('MRN00077001'), 'the stored event carries a token, never the MRN');
  const trace = await api<{ deliveries: { status: string; attemptLog: unknown[] }[]; timeline: { kind: string }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/trace/${r!.correlationId}`);
  assert.equal(trace.status, 200);
  assert.deepEqual(trace.body.deliveries.map((d) => d.status), ['delivered', 'delivered', 'delivered']);
  assert.deepEqual([...new Set(trace.body.timeline.map((t) => t.kind))].sort(), ['attempt', 'delivery', 'event', 'message']);
});

test('the same event sent twice is answered as a duplicate and has no second effect', async () => {
  const event = used('e2e-dup-1', { item: p.implant.id, location: p.location.id, facility: p.facility });
  const first = await post(event);
  await drained(hub);
  const again = await post(event);
  assert.equal(again.status, 202);
  assert.equal(again.body.results[0]!.duplicate, true);
  assert.equal(again.body.results[0]!.id, first.body.results[0]!.id);
  await drained(hub);
  for (const name of ['erp', 'inventory', 'billing'] as const) {
    assert.equal(of(await ledger(sims, name), first.body.results[0]!.id).length, 1, `${name} has one effect`);
  }
});

test('an invalid batch stores nothing and names each invalid field by index and path', async () => {
  const good = used('e2e-invalid-batch-good', { item: p.implant.id, location: p.location.id, facility: p.facility });
  const bad = { ...used('e2e-invalid-batch-bad'), occurredAt: '2026-11-21T09:14:03' };
  const res = await api<{ errors: { path: string }[]; status: number; messageId: string }>(hub, hub.tokens.operator, 'POST', '/v1/events', [good, bad]);
  assert.equal(res.status, 400);
  assert.match(res.type, /application\/problem\+json/);
  assert.deepEqual(res.body.errors.map((e) => e.path), ['/1/occurredAt']);
  const trace = await api(hub, hub.tokens.viewer, 'GET', '/v1/trace/CASE-e2e-invalid-batch-good');
  assert.equal(trace.status, 404, 'the valid event of the invalid batch was not stored');

  // The refused body is kept for inspection, with the patient identifier masked.
  const kept = await api<{ error: string; raw: string; events: unknown[] }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${res.body.messageId}`);
  assert.equal(kept.status, 200);
  assert.match(kept.body.error, /invalid field/);
  assert.deepEqual(kept.body.events, []);
  assert.ok(kept.body.raw.includes('e2e-invalid-batch-bad') && !kept.body.raw.includes('MRN00012345'), 'raw kept, PHI masked');
  const refused = await api<{ data: { id: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused');
  assert.ok(refused.body.data.some((m) => m.id === res.body.messageId));

  const notJson = await api<{ messageId: string }>(hub, hub.tokens.operator, 'POST', '/v1/events', undefined);
  assert.equal(notJson.status, 400);
  const garbage = await (await import('undici')).request(`${hub.url}/v1/events`, {
    method: 'POST', body: '{"type": "supply.used", MRN0001', headers: { authorization: `Bearer ${hub.tokens.operator}`, 'content-type': 'application/json' },
  });
  const problem = (await garbage.body.json()) as { messageId: string };
  assert.equal(garbage.statusCode, 400);
  const keptGarbage = await api<{ raw: string; error: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${problem.messageId}`);
  assert.match(keptGarbage.body.error, /not valid JSON/);
  assert.doesNotMatch(keptGarbage.body.raw, /MRN0001/, 'what is not JSON is not shown');
});

test('every /v1 call needs a bearer token with a sufficient role; health and metrics stay open', async () => {
  assert.equal((await api(hub, 'nonsense', 'GET', '/v1/deliveries')).status, 401);
  assert.equal((await api(hub, hub.tokens.viewer, 'POST', '/v1/events', used('e2e-auth'))).status, 403);
  assert.equal((await api(hub, hub.tokens.viewer, 'GET', '/v1/deliveries')).status, 200);
  assert.equal((await api(hub, hub.tokens.operator, 'GET', '/v1/audit')).status, 403);
  assert.equal((await api(hub, hub.tokens.admin, 'GET', '/v1/audit')).status, 200);
  const config = await api<{ security: { phiKey: string } }>(hub, hub.tokens.admin, 'GET', '/v1/config');
  assert.equal(config.body.security.phiKey, '[redacted]');
  for (const open of ['/healthz', '/readyz', '/metrics']) assert.equal((await api(hub, '', 'GET', open)).status, 200, open);
});

test('a returned supply reverses each effect: ERP return, stock increment, charge credit', async () => {
  const use = used('e2e-ret-use', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7000002', caseId: 'CASE-RET' });
  const ret = { ...used('e2e-ret-return', { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: 'ENC-7000002', caseId: 'CASE-RET' }), type: 'supply.returned' };
  const res = await post([use, ret]);
  await drained(hub);
  const returnId = res.body.results[1]!.id;
  assert.deepEqual(of(await ledger(sims, 'erp'), returnId).map((e) => e.kind), ['return']);
  assert.deepEqual(of(await ledger(sims, 'inventory'), returnId).map((e) => e.kind), ['increment']);
  assert.deepEqual(of(await ledger(sims, 'billing'), returnId).map((e) => e.kind), ['credit']);
});

test('falling below the reorder point raises one requisition, not another while it is open; a receipt closes it', async () => {
  const { par, parLocation } = p;
  const at = { item: par.itemId, location: par.locationId, facility: parLocation.facilityId, lot: null, serial: null, encounter: null };
  const count = { type: 'stock.counted', idempotencyKey: 'e2e-par-count', occurredAt: '2026-11-21T07:00:00.000-05:00', facility: parLocation.facilityId,
    source: { system: 'cabinet-omnicell' }, payload: { item: { system: 'erp', code: par.itemId }, location: par.locationId, quantity: { value: par.reorderPoint, unit: 'EA' } } };
  await post([count]);
  const uses = await post([used('e2e-par-use-1', at), used('e2e-par-use-2', at)]);
  await drained(hub);
  // The item has a supplier: the requisition goes through procure-to-pay, and the ERP gets the purchase order.
  type PoLine = { itemId: string; locationId: string; quantity: number };
  const orders = () => ledger(sims, 'erp').then((l) => l.filter((e) => e.kind === 'purchase-order' && (e.body.lines as PoLine[]).some((x) => x.locationId === par.locationId && x.itemId === par.itemId)));
  const reqs = (n: number) => waitFor(`${n} purchase order(s) at the ERP`, async () => {
    await drained(hub);
    const found = await orders();
    return found.length >= n ? found : undefined;
  }, 20_000);
  const raised = await reqs(1);
  await drained(hub);
  assert.equal((await orders()).length, 1, 'still one');
  assert.equal(raised.length, 1, 'two uses below the reorder point, one requisition, one order');
  assert.equal((raised[0]!.body.lines as PoLine[])[0]!.quantity, Math.ceil((par.par - (par.reorderPoint - 1)) / par.orderUnit.quantity) * par.orderUnit.quantity);
  const stock = await api<{ onHand: number; openRequisition: unknown }>(hub, hub.tokens.viewer, 'GET', `/v1/stock?location=${par.locationId}&item=${par.itemId}`);
  assert.equal(stock.body.onHand, par.reorderPoint - 2);
  assert.ok(stock.body.openRequisition);
  void uses;

  const receipt = { type: 'stock.received', idempotencyKey: 'e2e-par-receipt', occurredAt: '2026-11-21T12:00:00.000-05:00', facility: parLocation.facilityId,
    source: { system: 'warehouse' }, payload: { item: { system: 'erp', code: par.itemId }, location: par.locationId, quantity: { value: 1, unit: 'EA' } } };
  await post([receipt]);
  await post([used('e2e-par-use-3', at)]);
  assert.equal((await reqs(2)).length, 2, 'after the receipt closed it, the next drop raises a new one');
});

test('a paused destination holds its deliveries while the others flow, and sends them on resume', async () => {
  assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/destinations/erp/pause')).status, 200);
  const res = await post([used('e2e-pause-1', { item: p.implant.id, location: p.location.id, facility: p.facility })]);
  const id = res.body.results[0]!.id;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(of(await ledger(sims, 'erp'), id).length, 0, 'nothing reaches a paused ERP');
  assert.equal(of(await ledger(sims, 'inventory'), id).length, 1, 'inventory does not wait for the ERP');
  const queued = await api<{ data: { destination: string; queued: number; paused: boolean }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/destinations');
  assert.deepEqual(queued.body.data.find((d) => d.destination === 'erp'), { ...queued.body.data.find((d) => d.destination === 'erp')!, paused: true, queued: 1 });
  await api(hub, hub.tokens.operator, 'POST', '/v1/destinations/erp/resume');
  await drained(hub);
  assert.equal(of(await ledger(sims, 'erp'), id).length, 1);
});
