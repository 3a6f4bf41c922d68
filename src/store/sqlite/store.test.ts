import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.ts';
import { openSqliteStore } from './store.ts';

storeConformance('sqlite', {
  async open() {
    const path = join(mkdtempSync(join(tmpdir(), 'tendon-store-')), 'tendon.db');
    return { store: openSqliteStore({ path }), reopen: async () => openSqliteStore({ path }) };
  },
});
