import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, TokenBucket } from './pacing.ts';

test('backoff doubles its ceiling per attempt up to the cap, with full jitter', () => {
  assert.equal(backoffMs(1, 500, 60_000, () => 1), 500);
  assert.equal(backoffMs(4, 500, 60_000, () => 1), 4000);
  assert.equal(backoffMs(30, 500, 60_000, () => 1), 60_000);
  assert.equal(backoffMs(4, 500, 60_000, () => 0.5), 2000);
  assert.equal(backoffMs(4, 500, 60_000, () => 0), 1, 'never zero: a retry always yields');
});

test('a token bucket allows its rate per second and says how long to wait', () => {
  const b = new TokenBucket(2, 0);
  assert.equal(b.take(0), 0);
  assert.equal(b.take(0), 0);
  assert.equal(b.take(0), 500);
  assert.equal(b.take(500), 0);
  assert.equal(new TokenBucket(0, 0).take(0), 0, 'rate 0 means unlimited');
});
