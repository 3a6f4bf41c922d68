import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from './ids.ts';

test('ids are unique UUIDv7s that sort in the order they were made, also within one millisecond', () => {
  const ids = Array.from({ length: 50_000 }, newId);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)));
  assert.deepEqual([...ids].sort(), ids, 'made in order, sorted in order');
});
