import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { call, get, ledger, post } from '../common/test-client.ts';
import { buildNetwork } from '../network/build.ts';
import { startInventory } from './server.ts';

const network = buildNetwork(5);
const row = network.master['par-levels'][0];
assert.ok(row);
let inv: SimHandle;
before(async () => {
  inv = await startInventory({ seed: 5, network });
});
after(() => inv.close());

const mv = (type: string, quantity: number, over: Record<string, unknown> = {}) => ({
  type,
  locationId: row.locationId,
  itemId: row.itemId,
  quantity,
  uom: 'EA',
  occurredAt: '2026-11-21T09:14:03.000-05:00',
  reference: { eventId: `evt-${type}-${quantity}` },
  ...over,
});
const onHand = async () =>
  (await get(inv.url, `/stock?locationId=${row.locationId}&itemId=${row.itemId}`)).body.data[0].onHand;

test('every par-level row starts at its par', async () => {
  const { data } = (await get(inv.url, `/stock?locationId=${row.locationId}`)).body;
  const pars = network.master['par-levels'].filter((p) => p.locationId === row.locationId);
  assert.equal(data.length, pars.length);
  for (const p of pars) assert.equal(data.find((d: any) => d.itemId === p.itemId)?.onHand, p.par);
});

test('decrement, increment, count and their reversals move on-hand exactly', async () => {
  const start = await onHand();
  const dec = await post(inv.url, '/movements', mv('decrement', 1), 'mv-1');
  assert.equal(dec.status, 201);
  assert.match(dec.body.id, /^MV-/);
  assert.equal(dec.body.onHand, start - 1);
  assert.deepEqual((await post(inv.url, '/movements', mv('decrement', 1), 'mv-1')).body, dec.body);
  assert.equal(await onHand(), start - 1);

  const count = await post(inv.url, '/movements', mv('count', 40), 'mv-2');
  assert.equal(count.body.onHand, 40);
  const rev = await post(inv.url, `/movements/${count.body.id}/reversal`, undefined, 'mv-2-rev');
  assert.equal(rev.status, 201);
  assert.equal(rev.body.onHand, start - 1);
  assert.equal((await post(inv.url, `/movements/${count.body.id}/reversal`, undefined, 'mv-2-rev-b')).status, 422);

  await post(inv.url, `/movements/${dec.body.id}/reversal`, {}, 'mv-1-rev');
  assert.equal(await onHand(), start);
  const kinds = (await ledger(inv.url)).map((e) => e.kind);
  assert.deepEqual(kinds, ['decrement', 'count', 'reversal', 'reversal']);
});

test('an unknown location is refused; a taught one is accepted', async () => {
  const res = await post(inv.url, '/movements', mv('increment', 2, { locationId: 'LOC-A-ZZ99' }), 'mv-3');
  assert.equal(res.status, 422);
  assert.match(res.body.detail, /unknown location LOC-A-ZZ99/);
  assert.equal((await post(inv.url, '/_sim/locations', { id: 'LOC-A-ZZ99' })).status, 201);
  const ok = await post(inv.url, '/movements', mv('increment', 2, { locationId: 'LOC-A-ZZ99' }), 'mv-3');
  assert.equal(ok.status, 201);
  assert.equal(ok.body.onHand, 2);
});

/** An item update the way the hub sends one: the item master record and the delivery's reference. */
const itemUpdate = (description: string, over: Record<string, unknown> = {}) => ({
  item: {
    id: 'ITM-00153', description, uom: 'EA', gtin: '00577796019684', status: 'active',
    packaging: [{ uom: 'BX', quantity: 12, gtin: '10577796019681' }], ...over,
  },
  reference: { eventId: 'evt-item-153', deliveryId: 'dlv-item-153', correlationId: null },
});
const put = (path: string, body: unknown, key?: string) => call(inv.url, 'PUT', path, { body, key });

test('PUT /items/:id upserts the catalog item once per Idempotency-Key, one ledger entry with the body as sent', async () => {
  const body = itemUpdate('Suture, Nylon 4-0');
  const first = await put('/items/ITM-00153', body, 'item-153-a');
  assert.equal(first.status, 201);
  assert.deepEqual(first.body, { id: first.body.id, itemId: 'ITM-00153', created: true });
  assert.match(first.body.id, /^IU-\d{6}$/);
  const replay = await put('/items/ITM-00153', itemUpdate('ignored: the key was seen'), 'item-153-a');
  assert.equal(replay.status, 201);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(replay.body, first.body);
  assert.deepEqual((await get(inv.url, '/items/ITM-00153')).body, body.item);

  const second = await put('/items/ITM-00153', itemUpdate('Suture, Nylon 4-0, PS-2', { status: 'inactive' }), 'item-153-b');
  assert.deepEqual([second.status, second.body.created], [200, false]);
  assert.equal((await get(inv.url, '/items/ITM-00153')).body.status, 'inactive');
  const entries = (await ledger(inv.url)).filter((e) => e.kind === 'item');
  assert.deepEqual(entries.map((e) => e.idempotencyKey), ['item-153-a', 'item-153-b']);
  assert.deepEqual(entries[0].body, body);
  assert.equal(entries[0].id, first.body.id);
});

test('PUT /items/:id refuses a bad body with 400 problem+json, and a missing key; nothing is kept', async () => {
  const before = (await ledger(inv.url)).length;
  const noUom = await put('/items/ITM-00154', itemUpdate('x', { id: 'ITM-00154', uom: '' }), 'item-154-a');
  assert.equal(noUom.status, 400);
  assert.match(noUom.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(noUom.body.issues[0].path, 'item.uom');
  const noRef = await put('/items/ITM-00154', { item: itemUpdate('x', { id: 'ITM-00154' }).item }, 'item-154-b');
  assert.deepEqual([noRef.status, noRef.body.issues[0].path], [400, 'reference']);
  const otherId = await put('/items/ITM-00154', itemUpdate('x'), 'item-154-c');
  assert.deepEqual([otherId.status, otherId.body.issues[0].path], [400, 'item.id']);
  assert.equal((await put('/items/ITM-00154', itemUpdate('x', { id: 'ITM-00154' }))).status, 400);
  assert.equal((await get(inv.url, '/items/ITM-00154')).status, 404);
  assert.equal((await ledger(inv.url)).length, before);
  // A refusal leaves no trace: the same key succeeds once the body is fixed.
  assert.equal((await put('/items/ITM-00154', itemUpdate('x', { id: 'ITM-00154' }), 'item-154-a')).status, 201);
});

test('PUT /locations/:id and /suppliers/:id keep the copies the hub sends: a new location is then known to movements', async () => {
  const reference = { eventId: 'evt-loc', deliveryId: 'dlv-loc', correlationId: 'cor-loc' };
  const location = { id: 'LOC-A-NEW1', facilityId: 'FAC-A', departmentId: 'DEP-A-ORTHO', name: 'New Implant Core', managedBy: 'tendon' };
  const created = await put('/locations/LOC-A-NEW1', { location, reference }, 'loc-new1-a');
  assert.deepEqual([created.status, created.body.created], [201, true]);
  assert.deepEqual((await get(inv.url, '/locations/LOC-A-NEW1')).body, location);
  const moved = await post(inv.url, '/movements', mv('increment', 1, { locationId: 'LOC-A-NEW1', reference: { eventId: 'evt-new-loc' } }), 'mv-new-loc');
  assert.equal(moved.status, 201, 'the inventory system now knows the location');

  const supplier = { id: 'SUP-0042', name: 'Meridian Orthopedics', status: 'active' };
  assert.equal((await put('/suppliers/SUP-0042', { supplier, reference }, 'sup-42-a')).status, 201);
  assert.equal((await put('/suppliers/SUP-0043', { supplier, reference }, 'sup-42-b')).status, 400, 'the path and the record must agree');
  const kinds = (await ledger(inv.url)).map((e) => e.kind);
  assert.equal(kinds.filter((k) => k === 'location').length, 1);
  assert.equal(kinds.filter((k) => k === 'supplier').length, 1);
});
