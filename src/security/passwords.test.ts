import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, newPassword, verifyPassword } from './passwords.ts';

test('a password verifies against its own hash only, and the same password hashes differently each time', async () => {
  const password = newPassword();
  const stored = await hashPassword(password);
  assert.match(stored, /^scrypt\$16384\$8\$1\$/);
  assert.ok(!stored.includes(password));
  assert.equal(await verifyPassword(password, stored), true);
  assert.equal(await verifyPassword(password + 'x', stored), false);
  assert.equal(await verifyPassword('', stored), false);
  assert.notEqual(await hashPassword(password), stored);
});

test('a malformed stored hash never verifies', async () => {
  assert.equal(await verifyPassword('anything', 'sha1$abc'), false);
  assert.equal(await verifyPassword('anything', ''), false);
});
