import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, retryAfterMs } from './classify.ts';

const NOW = Date.parse('2026-05-12T14:41:00Z');

test("a 2xx answer is a success and keeps the destination's id for the effect", () => {
  assert.deepEqual(classify(201, { id: 'TXN-884120', status: 'posted' }, undefined, NOW),
    { outcome: 'success', reason: null, remoteRef: 'TXN-884120', retryAfterMs: null });
  assert.equal(classify(200, { id: 88412 }, undefined, NOW).remoteRef, '88412', 'a numeric id is kept as text');
  assert.equal(classify(202, null, undefined, NOW).outcome, 'success');
  assert.equal(classify(204, '', undefined, NOW).remoteRef, null, 'no body, no id');
  assert.equal(classify(200, { id: { value: 'x' } }, undefined, NOW).remoteRef, null, 'an id that is not a scalar is ignored');
});

test("400, 409 and 422 are business refusals, with the problem's detail as the reason", () => {
  for (const status of [400, 409, 422]) {
    const c = classify(status, { type: 'about:blank', title: 'Unprocessable', detail: 'account ACCT-778812 is closed' }, '30', NOW);
    assert.equal(c.outcome, 'rejected', String(status));
    assert.equal(c.reason, `HTTP ${status}: account ACCT-778812 is closed`);
    assert.equal(c.retryAfterMs, null, 'a refusal is never retried, whatever Retry-After says');
    assert.equal(c.remoteRef, null);
  }
});

test('without a detail the reason falls back to the title, then a message, then a text body', () => {
  assert.equal(classify(422, { title: 'Invalid cost center' }, undefined, NOW).reason, 'HTTP 422: Invalid cost center');
  assert.equal(classify(409, { message: 'duplicate requisition' }, undefined, NOW).reason, 'HTTP 409: duplicate requisition');
  assert.equal(classify(400, 'MSH-9 missing', undefined, NOW).reason, 'HTTP 400: MSH-9 missing');
  assert.equal(classify(400, {}, undefined, NOW).reason, 'HTTP 400');
});

test('a very long reason is cut to 300 characters', () => {
  const c = classify(422, { detail: 'x'.repeat(1000) }, undefined, NOW);
  assert.equal(c.reason, `HTTP 422: ${'x'.repeat(300)}`);
});

test('server errors, throttling, timeouts and auth or routing problems are retried, not business exceptions', () => {
  for (const status of [500, 502, 503, 504, 429, 408, 401, 403, 404]) {
    const c = classify(status, { detail: 'upstream unavailable' }, undefined, NOW);
    assert.equal(c.outcome, 'retryable', String(status));
    assert.equal(c.reason, `HTTP ${status}: upstream unavailable`);
    assert.equal(c.remoteRef, null);
    assert.equal(c.retryAfterMs, null);
  }
});

test('Retry-After in seconds is honoured on a retryable answer', () => {
  assert.equal(classify(503, null, '120', NOW).retryAfterMs, 120_000);
  assert.equal(classify(429, null, '0', NOW).retryAfterMs, 0);
});

test('Retry-After as an HTTP date waits until that date', () => {
  assert.equal(classify(503, null, 'Tue, 12 May 2026 14:41:30 GMT', NOW).retryAfterMs, 30_000);
  assert.equal(retryAfterMs('Tue, 12 May 2026 14:40:00 GMT', NOW), 0, 'a date in the past means now, never negative');
});

test('a missing or unreadable Retry-After leaves the backoff to the dispatcher', () => {
  assert.equal(retryAfterMs(undefined, NOW), null);
  assert.equal(retryAfterMs('', NOW), null);
  assert.equal(retryAfterMs('soon', NOW), null);
  assert.equal(retryAfterMs('-5', NOW), 0);
});
