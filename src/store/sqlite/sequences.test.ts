// The SQLite side of named sequences: after 999,999,999 (the widest X12 control number) a counter starts at 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './store.ts';

test('a sequence wraps from 999,999,999 to 1', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tendon-seq-')), 'tendon.db');
  const first = openSqliteStore({ path });
  assert.equal(await first.write((tx) => tx.nextSequence('x12:isa:acme')), 1);
  await first.close();
  const db = new DatabaseSync(path);
  db.prepare(`UPDATE sequences SET value = 999999998 WHERE name = ?`).run('x12:isa:acme');
  db.close();
  const store = openSqliteStore({ path });
  try {
    const next = () => store.write((tx) => tx.nextSequence('x12:isa:acme'));
    assert.deepEqual([await next(), await next(), await next()], [999_999_999, 1, 2]);
  } finally {
    await store.close();
  }
});
