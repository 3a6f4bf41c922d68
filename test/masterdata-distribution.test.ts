// Master-data distribution end to end: an item changed in the ERP reaches, after the next pull, every system that
// keeps a copy in its own format — the EHR and the cabinet system as MFN^M16 over MLLP, billing as an MFN^M04
// chargemaster update over MLLP, the inventory system as JSON — each once, and a second pull of the same version
// sends nothing again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { api, drained, ledger, type Sims, type TestHub } from './support/hub.ts';
import { withHub } from './support/world.ts';

let sims: Sims;
let hub: TestHub;
withHub((w) => ({ sims, hub } = w), (c, s) => {
  const billing = c.destinations.find((d) => d.role === 'billing')!;
  Object.assign(billing, { kind: 'mllp', url: s.urls.billingMllp, timeoutMs: 2000 });
  c.destinations.push(
    { name: 'ehr-items', role: 'clinical', kind: 'mllp', url: s.urls.ehrMllp, ownerRole: 'item-master', retry: { maxAttempts: 100, baseMs: 50, capMs: 1000, maxAgeSeconds: 3600 } },
    { name: 'cabinet-items', role: 'clinical', kind: 'mllp', url: s.urls.cabinetMllp, ownerRole: 'item-master', retry: { maxAttempts: 100, baseMs: 50, capMs: 1000, maxAgeSeconds: 3600 } },
  );
});

const sync = () => api<{ data: { entity: string; received: number }[] }>(hub, hub.tokens.operator, 'POST', '/v1/masterdata/sync');

async function patchErp(entity: string, id: string, body: Record<string, unknown>): Promise<void> {
  const res = await request(`${sims.urls.erp}/api/${entity}/${id}`, { method: 'PATCH', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.body.text();
  assert.equal(res.statusCode, 200, text);
}

const about = (entries: { body: Record<string, unknown> }[], itemId: string) =>
  entries.filter((e) => JSON.stringify(e.body).includes(itemId));

test('a changed chargeable item reaches the EHR and cabinets (MFN^M16), billing (MFN^M04) and inventory (JSON), once each', async () => {
  const m = sims.network.master;
  const charged = new Set(m.chargemaster.filter((c) => c.status === 'active').map((c) => c.itemId));
  const item = m.items.find((i) => i.status === 'active' && i.chargeable && charged.has(i.id))!;
  await patchErp('items', item.id, { description: `${item.description} (new packaging)` });
  assert.ok((await sync()).body.data.find((r) => r.entity === 'items')!.received >= 1);
  await drained(hub);

  for (const name of ['ehr', 'cabinet', 'billing', 'inventory'] as const) {
    const entries = about(await ledger(sims, name), item.id);
    assert.equal(entries.length, 1, `${name}: one update for ${item.id}, got ${entries.length}`);
  }
  const ehr = about(await ledger(sims, 'ehr'), item.id)[0]!;
  assert.match(JSON.stringify(ehr.body), /new packaging/, 'the EHR has the new description');

  // The same version pulled again (nothing changed since) announces nothing.
  await sync();
  await drained(hub);
  assert.equal(about(await ledger(sims, 'ehr'), item.id).length, 1);
});

test('a non-chargeable item change goes to the EHR, cabinets and inventory, not to billing', async () => {
  const item = sims.network.master.items.find((i) => i.status === 'active' && !i.chargeable)!;
  await patchErp('items', item.id, { description: `${item.description} v2` });
  await sync();
  await drained(hub);
  for (const name of ['ehr', 'cabinet', 'inventory'] as const) assert.equal(about(await ledger(sims, name), item.id).length, 1, name);
  assert.equal(about(await ledger(sims, 'billing'), item.id).length, 0);
});

test("a renamed par location reaches the inventory system's copy as JSON", async () => {
  const location = sims.network.master.locations[0]!;
  await patchErp('locations', location.id, { name: `${location.name} (renovated)` });
  await sync();
  await drained(hub);
  const entries = (await ledger(sims, 'inventory')).filter((e) => e.kind === 'location' && JSON.stringify(e.body).includes(location.id));
  assert.equal(entries.length, 1);
  assert.match(JSON.stringify(entries[0]!.body), /renovated/);
});
