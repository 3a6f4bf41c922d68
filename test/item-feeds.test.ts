// Item master feeds besides the ERP pull, end to end: a CSV item load and an MFN^M16 over MLLP add the items the
// ERP does not have (found by the lookup API once committed), and never overwrite an item the ERP has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { withHub } from './support/world.ts';
import { MllpTestClient, field } from './support/mllp-client.ts';

const folder = mkdtempSync(join(tmpdir(), 'tendon-items-'));
let sims: Sims;
let hub: TestHub;
withHub((w) => ({ sims, hub } = w), (c) => {
  c.inbound = [...(c.inbound ?? []), { kind: 'csv', name: 'itemmaster', path: folder, format: 'items', stableMs: 50, pollMs: 25 }];
});

type Found = { item: { id: string; description: string } };
const lookup = (code: string) => api<Found>(hub, hub.tokens.viewer, 'GET', `/v1/items?code=${encodeURIComponent(code)}`);

test("a CSV item load adds the items the ERP does not have, and leaves the ERP's own items as the ERP says", async () => {
  const erpItem = sims.network.master.items.find((i) => i.status === 'active')!;
  writeFileSync(join(folder, 'items.csv'), [
    'Facility,ItemID,Description,UOM,GTIN,Manufacturer,CatalogNumber,Implant,Chargeable,Status',
    'FAC-A,LOCAL-0001,"Suture, absorbable, 3-0",EA,,Acme Surgical,AC-1,false,false,active',
    `FAC-A,${erpItem.id},Renamed by a cabinet system,EA,,Other,X-1,false,false,active`,
  ].join('\r\n'));
  const found = await waitFor('the loaded item in master data', async () => {
    const r = await lookup('LOCAL-0001');
    return r.status === 200 && r.body;
  }, 20_000, 50);
  assert.equal(found.item.description, 'Suture, absorbable, 3-0');
  assert.equal((await lookup(erpItem.id)).body.item.description, erpItem.description, 'the ERP is the system of record');
});

test('an MFN^M16 item master message over MLLP adds its item too', async () => {
  const client = await MllpTestClient.connect(hub.ports.ehr!);
  try {
    client.send([
      'MSH|^~\\&|ITEMMASTER|FAC-A|TENDON|NET|20261121091500-0500||MFN^M16^MFN_M16|MFN-0001|P|2.7',
      'MFI|ITM^Inventory item master^HL70175||UPD|||AL',
      'MFE|MAD||20261121000000-0500|LOCAL-0002^LOCAL|CWE',
      'ITM|LOCAL-0002^LOCAL|Hemostatic gauze 4x4|A^Active^HL70776|SUP^Supply^L|STERILE^Sterile supply^L|Y||Acme|HG-44||N',
    ].join('\r'));
    const ack = await client.next();
    assert.equal(field(ack, 'MSA', 1), 'AA', ack);
  } finally {
    client.close();
  }
  const found = await waitFor('the MFN item in master data', async () => {
    const r = await lookup('LOCAL-0002');
    return r.status === 200 && r.body;
  }, 20_000, 50);
  assert.equal(found.item.id, 'LOCAL-0002');
});
