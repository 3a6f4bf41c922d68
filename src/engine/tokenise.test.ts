import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPhiVault, newKey, parseKey } from '../security/phi.ts';
import { tokenisePayload, tokensIn } from './tokenise.ts';

const vault = createPhiVault(parseKey(newKey()));
const use = {
  item: { code: 'KN-FEM-5L' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-N-OR-CORE', lot: 'L240917A', serial: 'SN-0048213',
  patient: { identifier: 'MRN00012345' }, encounter: 'ACCT-778812',
};

test('the patient identifier is replaced by its token, and nothing else in the event changes', () => {
  const { payload } = tokenisePayload(use, vault);
  assert.deepEqual(payload.patient, { token: vault.token('MRN00012345') });
  assert.ok(!JSON.stringify(payload).includes('MRN00012345'));
  const { patient: _a, ...rest } = payload;
  const { patient: _b, ...original } = use;
  assert.deepEqual(rest, original);
  assert.deepEqual(use.patient, { identifier: 'MRN00012345' }, 'the input is not mutated');
});

test('the sealed original decrypts back to the identifier, under the same token', () => {
  const { payload, seals } = tokenisePayload(use, vault);
  assert.equal(seals.length, 1);
  assert.equal(seals[0]?.token, (payload.patient as { token: string }).token);
  assert.ok(!Buffer.from(seals[0]!.sealed).toString('latin1').includes('MRN'), 'sealed, not in clear');
  assert.equal(Buffer.from(vault.decrypt(seals[0]!.sealed)).toString('utf8'), 'MRN00012345');
});

test('the same patient in two events gets the same token, so their charges join', () => {
  const a = tokenisePayload(use, vault).payload.patient;
  const b = tokenisePayload({ ...use, lot: 'L999' }, vault).payload.patient;
  assert.deepEqual(a, b);
});

test('a payload without a patient identifier is returned untouched, with nothing to seal', () => {
  const { patient: _p, ...noPatient } = use;
  const result = tokenisePayload(noPatient, vault);
  assert.equal(result.payload, noPatient, 'the same object');
  assert.deepEqual(result.seals, []);

  const alreadyTokenised = { ...use, patient: { token: vault.token('MRN00012345') } };
  const again = tokenisePayload(alreadyTokenised, vault);
  assert.equal(again.payload, alreadyTokenised, 'a reprocessed event is not tokenised twice');
  assert.deepEqual(again.seals, []);
});

test('tokensIn names the patient token of a delivery body, or none', () => {
  assert.deepEqual(tokensIn({ account: 'ACCT-778812', patient: { token: 'pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6' } }), ['pt_q7Wd2LxR0bN4sVt9YkPz3cHj8mEa1Fg6']);
  assert.deepEqual(tokensIn({ itemId: 'ITM-100234', quantity: 1 }), []);
  assert.deepEqual(tokensIn({ patient: null }), []);
  assert.deepEqual(tokensIn({ patient: {} }), []);
});
