import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { SimStore } from '../common/store.ts';
import { call, get, ledger, post } from '../common/test-client.ts';
import { buildNetwork } from '../network/build.ts';
import { createErp, startErp } from './server.ts';

let erp: SimHandle;
let url: string;
before(async () => {
  erp = await startErp({ seed: 11 });
  url = erp.url;
});
after(() => erp.close());

const tx = (over: Record<string, unknown> = {}) => ({
  type: 'issue',
  itemId: 'ITM-00001',
  quantity: 1,
  uom: 'EA',
  locationId: 'LOC-A-OR1',
  costCenterId: 'CC-A-7010',
  unitCost: '1234.50',
  currency: 'USD',
  occurredAt: '2026-11-21T09:14:03.000-05:00',
  reference: { eventId: 'evt-1', correlationId: 'CASE-000001' },
  ...over,
});

test('a POST without Idempotency-Key is a 400 problem', async () => {
  const res = await post(url, '/inventory-transactions', tx());
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(res.body.status, 400);
});

test('same key twice: same answer, one ledger entry', async () => {
  const before = (await ledger(url)).length;
  const first = await post(url, '/inventory-transactions', tx(), 'idem-1');
  const second = await post(url, '/inventory-transactions', tx(), 'idem-1');
  assert.equal(first.status, 201);
  assert.match(first.body.id, /^IT-\d+$/);
  assert.deepEqual(second, { ...second, status: 201, body: first.body });
  const entries = (await ledger(url)).slice(before);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].kind, 'issue');
  assert.equal(entries[0].idempotencyKey, 'idem-1');
  assert.deepEqual(entries[0].body, tx());
});

test('business refusals are 422 with a clear detail, and are not remembered', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ itemId: 'ITM-99999' }, /unknown item ITM-99999/],
    [{ locationId: 'LOC-A-NOPE' }, /unknown location/],
    [{ costCenterId: 'CC-B-7990' }, /cost center CC-B-7990 is inactive/],
    [{ costCenterId: 'CC-Z-0000' }, /unknown cost center/],
  ];
  for (const [over, detail] of cases) {
    const res = await post(url, '/inventory-transactions', tx(over), `refused-${JSON.stringify(over)}`);
    assert.equal(res.status, 422);
    assert.match(res.body.detail, detail);
  }
  // Fix the data (activate the cost center), retry with the same key: now it succeeds.
  const key = 'refused-then-fixed';
  assert.equal((await post(url, '/inventory-transactions', tx({ costCenterId: 'CC-B-7990' }), key)).status, 422);
  assert.equal((await call(url, 'PATCH', '/api/cost-centers/CC-B-7990', { body: { status: 'active' } })).status, 200);
  assert.equal((await post(url, '/inventory-transactions', tx({ costCenterId: 'CC-B-7990' }), key)).status, 201);
  await call(url, 'PATCH', '/api/cost-centers/CC-B-7990', { body: { status: 'inactive' } });
});

test('an inactive item is refused', async () => {
  const inactive = (await get(url, '/api/items?limit=1000')).body.data.find((i: any) => i.status === 'inactive');
  const res = await post(url, '/inventory-transactions', tx({ itemId: inactive.id }), 'inactive-item');
  assert.equal(res.status, 422);
  assert.match(res.body.detail, /is inactive/);
});

test('malformed bodies are 400, not 422', async () => {
  assert.equal((await post(url, '/inventory-transactions', tx({ unitCost: 12.34 }), 'bad-1')).status, 400);
  assert.equal((await post(url, '/inventory-transactions', tx({ occurredAt: '2026-11-21 09:14' }), 'bad-2')).status, 400);
  assert.equal((await post(url, '/inventory-transactions', tx({ quantity: 0 }), 'bad-3')).status, 400);
});

test('a reversal reverses once; its retry returns the stored 201', async () => {
  const { id } = (await post(url, '/inventory-transactions', tx(), 'to-reverse')).body;
  const rev = await post(url, `/inventory-transactions/${id}/reversal`, {}, 'rev-1');
  assert.equal(rev.status, 201);
  assert.deepEqual(rev.body, { id: `${id}-R`, reverses: id });
  assert.deepEqual((await post(url, `/inventory-transactions/${id}/reversal`, {}, 'rev-1')).body, rev.body);
  const again = await post(url, `/inventory-transactions/${id}/reversal`, {}, 'rev-2');
  assert.equal(again.status, 422);
  assert.match(again.body.detail, /already reversed/);
  assert.equal((await post(url, '/inventory-transactions/IT-999999/reversal', {}, 'rev-3')).status, 422);
  const reversals = (await ledger(url)).filter((e) => e.reverses === id);
  assert.equal(reversals.length, 1);
  assert.equal(reversals[0].kind, 'reversal');
});

test('paging by updatedSince and cursor covers every record exactly once and sees a PATCH', async () => {
  const seen: any[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${cursor}` : '';
    const page = (await get(url, `/api/par-levels?limit=97${q}`)).body;
    assert.ok(page.data.length <= 97);
    seen.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  const ids = seen.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, erp.store.count('par-levels'));
  const sorted = [...seen].sort((a, b) => (a.updatedAt === b.updatedAt ? (a.id < b.id ? -1 : 1) : a.updatedAt < b.updatedAt ? -1 : 1));
  assert.deepEqual(seen, sorted);

  const watermark = seen.at(-1).updatedAt;
  assert.deepEqual((await get(url, `/api/par-levels?updatedSince=${encodeURIComponent(watermark)}`)).body, { data: [], nextCursor: null });
  const patched = await call(url, 'PATCH', `/api/par-levels/${seen[0].id}`, { body: { par: 99, reorderPoint: 30 } });
  assert.equal(patched.status, 200);
  assert.ok(patched.body.updatedAt > watermark);
  const delta = (await get(url, `/api/par-levels?updatedSince=${encodeURIComponent(watermark)}`)).body;
  assert.deepEqual(delta.data.map((r: any) => [r.id, r.par]), [[seen[0].id, 99]]);
  assert.equal(delta.nextCursor, null);
});

test('master-data admin: create an item, reject a bad patch', async () => {
  const item = {
    id: 'ITM-90001', description: 'Test Implant', uom: 'EA', gtin: null, manufacturer: 'Test', catalogNumber: 'T-1',
    unspsc: '42321600', supplierId: 'SUP-0001', implant: false, lotControlled: false, serialControlled: false,
    expiryControlled: false, chargeable: false, status: 'active',
  };
  const created = await post(url, '/api/items', item, 'create-item');
  assert.equal(created.status, 201);
  assert.equal((await get(url, '/api/items/ITM-90001')).body.description, 'Test Implant');
  assert.equal((await post(url, '/inventory-transactions', tx({ itemId: 'ITM-90001' }), 'new-item-tx')).status, 201);
  assert.equal((await post(url, '/api/items', item, 'create-item-again')).status, 422);
  assert.equal((await call(url, 'PATCH', '/api/items/ITM-90001', { body: { status: 'gone' } })).status, 400);
  assert.equal((await call(url, 'PATCH', '/api/items/ITM-00000', { body: { status: 'inactive' } })).status, 404);
  assert.equal((await get(url, '/api/widgets')).status, 404);
});

test('requisitions: create, list open, fulfil once', async () => {
  const body = { locationId: 'LOC-A-OR1', itemId: 'ITM-00001', quantity: 2, uom: 'EA', priority: 'urgent', reference: { eventId: 'evt-r' } };
  const created = await post(url, '/requisitions', body, 'req-1');
  assert.equal(created.status, 201);
  assert.match(created.body.requisitionNumber, /^PR-\d{8}$/);
  const open = (await get(url, '/requisitions?status=open')).body.data;
  assert.ok(open.some((r: any) => r.id === created.body.id && r.requisitionNumber === created.body.requisitionNumber));
  const fulfilled = await post(url, `/requisitions/${created.body.id}/fulfil`, {}, 'ful-1');
  assert.equal(fulfilled.status, 201);
  assert.equal((await post(url, `/requisitions/${created.body.id}/fulfil`, {}, 'ful-2')).status, 422);
  assert.ok((await get(url, '/requisitions?status=fulfilled')).body.data.some((r: any) => r.id === created.body.id));
  assert.ok(!(await get(url, '/requisitions?status=open')).body.data.some((r: any) => r.id === created.body.id));
});

/** Every record of an entity, following nextCursor page by page. */
async function pageAll(entity: string, limit: number): Promise<{ records: any[]; pages: number }> {
  const records: any[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page: { data: any[]; nextCursor: string | null } = (await get(url, `/api/${entity}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)).body;
    assert.ok(page.data.length <= limit);
    records.push(...page.data);
    pages++;
    cursor = page.nextCursor;
  } while (cursor);
  return { records, pages };
}

test('GL accounts and budgets are served, paged and edited like every other entity', async () => {
  const network = buildNetwork(11);
  const accounts = await pageAll('gl-accounts', 2);
  assert.deepEqual(accounts.records.map((a) => a.id).sort(), network.master['gl-accounts'].map((a) => a.id).sort());
  assert.ok(accounts.pages >= 3);

  const budgets = await pageAll('budgets', 100);
  assert.equal(budgets.records.length, network.master.budgets.length);
  assert.equal(new Set(budgets.records.map((b) => b.id)).size, budgets.records.length);
  assert.ok(budgets.pages >= 5);
  const one = network.master.budgets[0]!;
  assert.deepEqual((await get(url, `/api/budgets/${one.id}`)).body, one);

  const watermark = budgets.records.at(-1).updatedAt;
  const patched = await call(url, 'PATCH', `/api/budgets/${one.id}`, { body: { consumed: '1.00' } });
  assert.equal(patched.status, 200);
  const delta = (await get(url, `/api/budgets?updatedSince=${encodeURIComponent(watermark)}`)).body;
  assert.deepEqual(delta.data.map((b: any) => [b.id, b.consumed]), [[one.id, '1.00']]);
  assert.equal((await call(url, 'PATCH', `/api/budgets/${one.id}`, { body: { amount: 1000 } })).status, 400, 'money is a string');

  const account = { id: 'GL-6999', name: 'Test account', status: 'active' };
  assert.equal((await post(url, '/api/gl-accounts', account, 'create-gl')).status, 201);
  assert.equal((await get(url, '/api/gl-accounts/GL-6999')).body.name, 'Test account');
  const badBudget = { id: 'BUD-X', costCenterId: 'CC-A-7010', period: '2026-13', amount: '1.00', consumed: '0.00', currency: 'USD' };
  assert.equal((await post(url, '/api/budgets', badBudget, 'bad-budget')).status, 400);
});

test('items come with packaging and HIBCC, chargemaster lines with a price or a markup, prices with tiers', async () => {
  const items = (await pageAll('items', 1000)).records;
  const boxed = items.find((i) => i.gtin !== null && i.packaging.length === 2);
  assert.ok(boxed, 'an item with a GTIN, a box and a case');
  assert.deepEqual(boxed.packaging.map((p: any) => p.uom), ['BX', 'CS']);
  assert.ok(items.some((i) => typeof i.hibcc === 'string'));
  const lines = (await pageAll('chargemaster', 1000)).records;
  assert.ok(lines.some((l) => l.price === null && l.markup?.percent > 0));
  const prices = (await pageAll('contract-prices', 1000)).records;
  assert.ok(prices.some((p) => p.purchasingGroup !== null || p.facilityId !== null));
  assert.ok((await get(url, '/api/facilities/FAC-A')).body.purchasingGroup);
});

test('the ERP refuses a use charged to a cost center closed under a live department', async () => {
  const network = buildNetwork(11);
  const closed = network.master['cost-centers'].find((c) => c.status === 'inactive' && network.master.departments.some((d) => d.costCenterId === c.id))!;
  const department = network.master.departments.find((d) => d.costCenterId === closed.id)!;
  const location = network.master.locations.find((l) => l.departmentId === department.id)!;
  const res = await post(url, '/inventory-transactions', tx({ locationId: location.id, costCenterId: closed.id }), 'closed-cc');
  assert.equal(res.status, 422);
  assert.match(res.body.detail, new RegExp(`cost center ${closed.id} is inactive`));
});

test('a state seeded before GL accounts and budgets existed gets them once, and keeps its own data', async () => {
  const store = new SimStore();
  store.put('_meta', 'seed', 11);
  store.put('items', 'ITM-00001', { id: 'ITM-00001', description: 'Old record', updatedAt: '2025-01-01T00:00:00.000Z' });
  const app = createErp({ seed: 11, store });
  try {
    const read = async (path: string) => JSON.parse((await app.inject({ method: 'GET', url: path })).body);
    assert.equal((await read('/api/gl-accounts')).data.length, buildNetwork(11).master['gl-accounts'].length);
    assert.ok((await read('/api/budgets?limit=1')).data.length === 1);
    assert.deepEqual((await read('/api/items')).data.map((i: any) => i.description), ['Old record']);
  } finally {
    await app.close();
  }
});
