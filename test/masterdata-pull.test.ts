// The ERP pull's cursors move only once what a pull brought is announced: a hub that dies (or fails to announce)
// between pulling a change and committing its events pulls it again, so a change or a payment is never skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { request } from 'undici';
import { startErp } from '../sim/erp/server.ts';
import { MasterData } from '../src/masterdata/sync.ts';
import { openSqliteStore } from '../src/store/sqlite/store.ts';
import { SEED } from './support/hub.ts';

test('a change whose announcement failed is pulled and announced again; the cursor waits for it', async () => {
  const erp = await startErp({ seed: SEED, host: '127.0.0.1', port: 0 });
  const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'tendon-pull-')), 'tendon.db') });
  try {
    const master = new MasterData(store, erp.url, pino({ level: 'silent' }));
    await master.sync(); // the first, full pull: what every system starts from, not announced
    const before = await store.syncCursor('items');
    const item = (await master.reload()).items.values().next().value!;
    const res = await request(`${erp.url}/api/items/${item.id}`, {
      method: 'PATCH', body: JSON.stringify({ description: `${item.description} (renamed)` }), headers: { 'content-type': 'application/json' },
    });
    await res.body.dump();

    master.onPulled = async () => {
      throw new Error('the hub died while announcing');
    };
    await assert.rejects(master.sync(), /died while announcing/);
    assert.equal(await store.syncCursor('items'), before, 'the cursor did not move past what was not announced');

    const announced: string[] = [];
    master.onPulled = async (changed) => {
      announced.push(...((changed.items ?? []) as { id: string }[]).map((i) => i.id));
    };
    await master.sync();
    assert.deepEqual(announced, [item.id], 'the change comes again, and is announced');
    assert.notEqual(await store.syncCursor('items'), before);
    announced.length = 0;
    await master.sync();
    assert.deepEqual(announced, [], 'and only once it was');
  } finally {
    await store.close();
    await erp.close();
  }
});
