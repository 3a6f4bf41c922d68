import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startBilling } from '../billing/server.ts';
import { startErp } from '../erp/server.ts';
import { buildNetwork } from '../network/build.ts';
import { get, ledger, post } from './test-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'tendon-sim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const charge = {
  account: 'ENC-7000007',
  patient: { mrn: 'MRN00000007' },
  facilityId: 'FAC-A',
  chargeCode: 'CDM27200001',
  revenueCode: '0272',
  hcpcs: null,
  quantity: 1,
  unitPrice: '120.00',
  serviceDate: '2026-11-21',
  itemId: 'ITM-00120',
  reference: { eventId: 'evt-7' },
};

test('with a state file, a restarted sim keeps its ledger, idempotency keys, ids and data', async () => {
  const file = join(dir, 'billing.sqlite');
  const first = await startBilling({ stateFile: file });
  const posted = await post(first.url, '/charges', charge, 'persist-1');
  await post(first.url, '/_sim/accounts/ENC-7000008/close', {});
  await first.close();

  const second = await startBilling({ stateFile: file });
  try {
    const replay = await post(second.url, '/charges', charge, 'persist-1');
    assert.deepEqual(replay.body, posted.body);
    const entries = await ledger(second.url);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].id, posted.body.id);
    const next = await post(second.url, '/charges', charge, 'persist-2');
    assert.notEqual(next.body.id, posted.body.id);
    assert.equal((await get(second.url, '/accounts/ENC-7000007')).body.charges.length, 2);
    assert.equal((await get(second.url, '/accounts/ENC-7000008')).body.status, 'closed');
  } finally {
    await second.close();
  }
});

test('a restarted ERP keeps master-data edits instead of reseeding', async () => {
  const file = join(dir, 'erp.sqlite');
  const first = await startErp({ seed: 9, stateFile: file });
  await fetch(`${first.url}/api/items/ITM-00001`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ description: 'Edited' }),
  });
  await first.close();
  const second = await startErp({ seed: 9, stateFile: file });
  try {
    assert.equal((await get(second.url, '/api/items/ITM-00001')).body.description, 'Edited');
    assert.equal((await get(second.url, '/api/items?limit=1000')).body.data.length, buildNetwork(9).master.items.length);
  } finally {
    await second.close();
  }
});
