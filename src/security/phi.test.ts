import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPhiVault, newKey, parseKey } from './phi.ts';

const vault = createPhiVault(parseKey(newKey()));

test('a patient identifier always gets the same token, and the token does not contain it', () => {
  const t = vault.token('MRN00012345');
  assert.equal(t, vault.token('MRN00012345'));
  assert.notEqual(t, vault.token('MRN00012346'));
  assert.match(t, /^pt_[A-Za-z0-9_-]{32}$/);
  assert.ok(!t.includes('12345'));
});

test('tokens differ between keys, so a token cannot be recomputed without the key', () => {
  const other = createPhiVault(parseKey(newKey()));
  assert.notEqual(vault.token('MRN1'), other.token('MRN1'));
});

test('encryption round-trips and a tampered ciphertext is refused', () => {
  const sealed = vault.encrypt(Buffer.from('MRN00012345'));
  assert.ok(!Buffer.from(sealed).toString('latin1').includes('MRN'));
  assert.equal(Buffer.from(vault.decrypt(sealed)).toString(), 'MRN00012345');
  const bad = Buffer.from(sealed);
  bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
  assert.throws(() => vault.decrypt(bad));
});

test('keys must be 32 bytes', () => {
  assert.throws(() => parseKey('abcd'));
  assert.throws(() => createPhiVault(new Uint8Array(16)));
});
