// The ERP's own record schemas against the seeded network: every record it serves could also be written back
// through its admin endpoints. Imports nothing from the hub (src/): the sims check their data on their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNetwork } from '../network/build.ts';
import { ENTITY_NAMES } from '../network/types.ts';
import { ENTITY_SCHEMAS } from './schemas.ts';

test('every seeded record, without its updatedAt, parses with the ERP schema of its entity', () => {
  for (const seed of [7, 11]) {
    const { master } = buildNetwork(seed);
    for (const entity of ENTITY_NAMES) {
      assert.ok(master[entity].length > 0, `${entity} is seeded`);
      for (const { updatedAt, ...fields } of master[entity]) {
        assert.match(updatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        const parsed = ENTITY_SCHEMAS[entity].safeParse(fields);
        assert.ok(parsed.success, `${entity} ${fields.id}: ${JSON.stringify(parsed.error?.issues)}`);
      }
    }
  }
});

test('the schemas refuse what a careless edit would write', () => {
  const packaging = (gtin: string) => ({ uom: 'BX', quantity: 10, gtin });
  const item = buildNetwork(7).master.items.find((i) => i.packaging.length > 0)!;
  const { updatedAt: _, ...fields } = item;
  assert.ok(!ENTITY_SCHEMAS.items.safeParse({ ...fields, packaging: [packaging('123')] }).success, 'a GTIN is 14 digits');
  assert.ok(!ENTITY_SCHEMAS.items.safeParse({ ...fields, hibcc: '1ABC123' }).success, 'a HIBCC labeler id starts with a letter');
  const budget = { id: 'B', costCenterId: 'CC-A-7010', period: '2026-11', amount: '10.00', consumed: '0.00', currency: 'USD' };
  assert.ok(ENTITY_SCHEMAS.budgets.safeParse(budget).success);
  assert.ok(!ENTITY_SCHEMAS.budgets.safeParse({ ...budget, period: '2026-1' }).success);
  assert.ok(!ENTITY_SCHEMAS.budgets.safeParse({ ...budget, amount: 10 }).success);
});
