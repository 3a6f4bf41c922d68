import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signatureHeader, signatureOf, verifySignature } from './signature.ts';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';
const BODY = '{"type":"supply.used","idempotencyKey":"k1"}';
const NOW = 1_790_000_000;
const at = (nowSeconds: number, toleranceSeconds = 300) => ({ nowSeconds, toleranceSeconds });

test('the signature is HMAC-SHA256 of "<t>.<body>" in hex, as any receiver can compute it with node:crypto', () => {
  const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
  assert.equal(signatureOf(SECRET, NOW, BODY), expected);
  assert.equal(signatureOf(SECRET, NOW, Buffer.from(BODY)), expected, 'bytes and text sign the same');
  assert.equal(signatureHeader(SECRET, NOW, BODY), `t=${NOW},v1=${expected}`);
});

test('a header Tendon made verifies, within the tolerance either side', () => {
  const header = signatureHeader(SECRET, NOW, BODY);
  for (const now of [NOW, NOW + 300, NOW - 300]) assert.deepEqual(verifySignature(header, BODY, SECRET, at(now)), { ok: true, timestamp: NOW });
  assert.deepEqual(verifySignature(header, Buffer.from(BODY), SECRET, at(NOW)), { ok: true, timestamp: NOW });
});

test('missing and malformed headers are told apart', () => {
  for (const h of [undefined, '', '  ']) assert.equal((verifySignature(h, BODY, SECRET, at(NOW)) as { problem: string }).problem, 'missing');
  const sig = signatureOf(SECRET, NOW, BODY);
  for (const h of ['garbage', `v1=${sig}`, `t=${NOW}`, `t=soon,v1=${sig}`, `t=${NOW},v1=${sig.slice(2)}`, `t=${NOW},v1=zz${sig.slice(2)}`]) {
    assert.equal((verifySignature(h, BODY, SECRET, at(NOW)) as { problem: string }).problem, 'malformed', h);
  }
});

test('a changed body, another secret or another timestamp does not verify', () => {
  const header = signatureHeader(SECRET, NOW, BODY);
  const problem = (h: string, body = BODY, secret = SECRET) => (verifySignature(h, body, secret, at(NOW)) as { problem?: string }).problem;
  assert.equal(problem(header, BODY.replace('k1', 'k2')), 'mismatch');
  assert.equal(problem(header, `${BODY} `), 'mismatch', 'one byte more');
  assert.equal(problem(header, BODY, `${SECRET}x`), 'mismatch');
  assert.equal(problem(header.replace(`t=${NOW}`, `t=${NOW + 1}`)), 'mismatch', 're-dating breaks the signature');
});

test('a stale or future timestamp is refused even when the signature is right (a replay)', () => {
  const old = signatureHeader(SECRET, NOW - 360, BODY);
  const r = verifySignature(old, BODY, SECRET, at(NOW));
  assert.equal(r.ok, false);
  assert.equal((r as { problem: string }).problem, 'expired');
  assert.match((r as { detail: string }).detail, /360 s ago/);
  const ahead = verifySignature(signatureHeader(SECRET, NOW + 301, BODY), BODY, SECRET, at(NOW));
  assert.match((ahead as { detail: string }).detail, /301 s ahead/);
  assert.equal(verifySignature(old, BODY, SECRET, at(NOW, 600)).ok, true, 'the tolerance is the receiver\'s to choose');
});

test('key rotation: any of several v1 entries may match; unknown schemes and spaces are ignored', () => {
  const oldSig = signatureOf('an-old-secret-an-old-secret-an-old-secret', NOW, BODY);
  const newSig = signatureOf(SECRET, NOW, BODY);
  assert.equal(verifySignature(`t=${NOW},v1=${oldSig},v1=${newSig}`, BODY, SECRET, at(NOW)).ok, true);
  assert.equal(verifySignature(`t=${NOW}, v0=abc, v1=${newSig.toUpperCase()}`, BODY, SECRET, at(NOW)).ok, true);
  assert.equal(verifySignature(`t=${NOW},v1=${oldSig}`, BODY, SECRET, at(NOW)).ok, false);
});
