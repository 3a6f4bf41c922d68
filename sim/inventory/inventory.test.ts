import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { get, ledger, post } from '../common/test-client.ts';
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
