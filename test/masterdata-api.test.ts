// Master data as users ask for it, through real HTTP against a hub that pulled the simulated ERP: an item from a
// code, a GTIN of any packaging level or a scanned barcode; a cost center's validity and budget; drift; and the
// history of a cross-reference.
import { test } from 'node:test';
import Big from 'big.js';
import assert from 'node:assert/strict';
import { api, type Sims, type TestHub } from './support/hub.ts';
import { withHub } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
withHub((w) => ({ sims, hub } = w));

type Problem = { title: string; detail: string; status: number };
const get = <T>(path: string) => api<T>(hub, hub.tokens.viewer, 'GET', path);

test('an item is found by its ERP id, a cross-referenced code, and a GTIN of any packaging level', async () => {
  const m = sims.network.master;
  const boxed = m.items.find((i) => i.status === 'active' && i.gtin && (i.packaging ?? []).some((p) => p.gtin))!;
  const box = boxed.packaging!.find((p) => p.gtin)!;

  const byId = await get<{ item: { id: string }; matchedBy: string }>(`/v1/items?code=${boxed.id}`);
  assert.deepEqual([byId.status, byId.body.item.id, byId.body.matchedBy], [200, boxed.id, 'erp']);

  const byBox = await get<{ item: { id: string }; unit: string }>(`/v1/items?gtin=${box.gtin}`);
  assert.deepEqual([byBox.body.item.id, byBox.body.unit], [boxed.id, box.uom], 'the GTIN tells which packaging level was scanned');

  const xref = await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'omnicell', code: 'OC-1001', itemId: boxed.id, reason: 'cabinet go-live mapping' });
  assert.equal(xref.status, 201);
  const byXref = await get<{ item: { id: string }; matchedBy: string }>('/v1/items?system=omnicell&code=OC-1001');
  assert.deepEqual([byXref.body.item.id, byXref.body.matchedBy], [boxed.id, 'xref']);
});

test('a scanned GS1 barcode resolves to the item with lot, serial and expiry; a bad check digit is a 400 saying so', async () => {
  const item = sims.network.master.items.find((i) => i.status === 'active' && i.gtin)!;
  const gtin = item.gtin!.padStart(14, '0');
  const scan = `(01)${gtin}(17)280131(10)LOT77(21)SN0042`;
  const r = await get<{ item: { id: string }; scanned: { lot: string; serial: string; expiry: string } }>(`/v1/items?barcode=${encodeURIComponent(scan)}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.item.id, item.id);
  assert.deepEqual([r.body.scanned.lot, r.body.scanned.serial, r.body.scanned.expiry], ['LOT77', 'SN0042', '2028-01-31']);

  const wrongDigit = `${gtin.slice(0, 13)}${(Number(gtin[13]) + 1) % 10}`;
  const bad = await get<Problem>(`/v1/items?barcode=${encodeURIComponent(`(01)${wrongDigit}(10)LOT77`)}`);
  assert.equal(bad.status, 400);
  assert.match(bad.type, /problem\+json/);
  assert.match(bad.body.detail, /check digit/);

  const unknown = await get<Problem>('/v1/items?system=omnicell&code=NOT-MAPPED');
  assert.equal(unknown.status, 404);
});

test('a cost center validation answers active and the budget left for a period; a spent or closed one says why', async () => {
  const m = sims.network.master;
  const budget = m.budgets!.find((b) => Number(b.consumed) < Number(b.amount) && m['cost-centers'].find((c) => c.id === b.costCenterId)?.status === 'active')!;
  const ok = await get<{ valid: boolean; active: boolean; budget: { remaining: string }; reasons: string[] }>(`/v1/cost-centers/${budget.costCenterId}/validation?period=${budget.period}`);
  assert.equal(ok.status, 200);
  assert.deepEqual([ok.body.valid, ok.body.active, ok.body.reasons], [true, true, []]);
  assert.equal(ok.body.budget.remaining, new Big(budget.amount).minus(budget.consumed).toFixed(2));

  const tooMuch = await get<{ valid: boolean; reasons: string[] }>(`/v1/cost-centers/${budget.costCenterId}/validation?period=${budget.period}&amount=${Number(budget.amount) * 2}`);
  assert.equal(tooMuch.body.valid, false);
  assert.match(tooMuch.body.reasons[0]!, /more than/);

  const closed = m['cost-centers'].find((c) => c.status === 'inactive')!;
  const no = await get<{ valid: boolean; reasons: string[] }>(`/v1/cost-centers/${closed.id}/validation?period=${budget.period}`);
  assert.equal(no.body.valid, false);
  assert.match(no.body.reasons.join(' '), /inactive/);
  assert.equal((await get('/v1/cost-centers/CC-NOPE/validation')).status, 404);
  assert.equal((await get('/v1/cost-centers/CC-NOPE/validation?period=May')).status, 400);
});

test('drift lists unmapped codes by volume, inactive dimensions and chargeable items without a chargemaster line', async () => {
  const m = sims.network.master;
  const location = m.locations.find((l) => l.managedBy === 'tendon')!;
  const events = [1, 2, 3].map((n) => ({
    type: 'supply.used', idempotencyKey: `drift-${n}`, occurredAt: '2026-11-21T09:14:03.000-05:00', facility: location.facilityId,
    source: { system: 'ehr-optime' }, payload: { item: { code: 'UNMAPPED-42' }, quantity: { value: 1, unit: 'EA' }, location: location.id },
  }));
  assert.equal((await api(hub, hub.tokens.operator, 'POST', '/v1/events', events)).status, 202);
  const d = await get<{ mappingCoveragePercent: number; unmappedCodes: { system: string; code: string; events: number }[]; invalidFinancialDimensions: unknown[]; chargeableWithoutChargemaster: { itemId: string }[] }>('/v1/masterdata/drift');
  assert.equal(d.status, 200);
  assert.deepEqual(d.body.unmappedCodes.find((c) => c.code === 'UNMAPPED-42'), { system: 'ehr-optime', code: 'UNMAPPED-42', gtin: null, events: 3 });
  assert.ok(d.body.mappingCoveragePercent < 100);
  const charged = new Set(m.chargemaster.filter((c) => c.status === 'active').map((c) => c.itemId));
  const expected = m.items.filter((i) => i.status === 'active' && i.chargeable && !charged.has(i.id)).map((i) => i.id).sort();
  assert.deepEqual(d.body.chargeableWithoutChargemaster.map((c) => c.itemId).sort(), expected);
  assert.ok(expected.length > 0, 'the simulated ERP has such items, so the check is exercised');
  assert.ok(d.body.invalidFinancialDimensions.length > 0, 'and a department on a closed cost center');
});

test("a cross-reference's history keeps every change with who and why", async () => {
  const [a, b] = sims.network.master.items.filter((i) => i.status === 'active');
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'pyxis', code: 'PX-9', itemId: a!.id, reason: 'first mapping' });
  await api(hub, hub.tokens.operator, 'POST', '/v1/xrefs', { system: 'pyxis', code: 'PX-9', itemId: b!.id, reason: 'was the wrong size' });
  const h = await get<{ data: { oldItemId: string | null; newItemId: string; actor: string; reason: string }[] }>('/v1/xrefs/pyxis/PX-9/history');
  assert.deepEqual(h.body.data.map((r) => [r.oldItemId, r.newItemId, r.reason]), [[null, a!.id, 'first mapping'], [a!.id, b!.id, 'was the wrong size']]);
  assert.ok(h.body.data.every((r) => r.actor.length > 0));
});
