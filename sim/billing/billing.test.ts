import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { get, ledger, post } from '../common/test-client.ts';
import { startBilling } from './server.ts';

let billing: SimHandle;
let url: string;
before(async () => {
  billing = await startBilling({ seed: 3 });
  url = billing.url;
});
after(() => billing.close());

const charge = (account: string, over: Record<string, unknown> = {}) => ({
  account,
  patient: { mrn: 'MRN00012345' },
  facilityId: 'FAC-A',
  chargeCode: 'CDM27800017',
  revenueCode: '0278',
  hcpcs: 'C1776',
  quantity: 1,
  unitPrice: '5325.00',
  serviceDate: '2026-11-21',
  itemId: 'ITM-00017',
  lot: 'L2406A',
  serial: 'SN12345678',
  reference: { eventId: `evt-${account}`, correlationId: 'CASE-000123' },
  ...over,
});
const credit = (account: string, quantity: number) => ({
  account,
  patient: { mrn: 'MRN00012345' },
  facilityId: 'FAC-A',
  chargeCode: 'CDM27800017',
  quantity,
  serviceDate: '2026-11-21',
  reason: 'not used',
  reference: { eventId: `evt-credit-${account}-${quantity}` },
});

test('a charge posts once per key', async () => {
  const first = await post(url, '/charges', charge('ENC-1000001'), 'chg-1');
  assert.equal(first.status, 201);
  assert.match(first.body.id, /^CHG-/);
  const again = await post(url, '/charges', charge('ENC-1000001'), 'chg-1');
  assert.deepEqual(again.body, first.body);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal((await ledger(url)).filter((e) => e.idempotencyKey === 'chg-1').length, 1);
});

test('closed accounts (seeded "-C" or closed by a test) refuse charges with 422', async () => {
  const res = await post(url, '/charges', charge('ENC-2000002-C'), 'chg-closed');
  assert.equal(res.status, 422);
  assert.equal(res.body.detail, 'account ENC-2000002-C is closed');
  // Reopen it, retry with the same key: the refusal was not remembered, so it now posts.
  assert.equal((await post(url, '/_sim/accounts/ENC-2000002-C/reopen', {})).body.status, 'open');
  assert.equal((await post(url, '/charges', charge('ENC-2000002-C'), 'chg-closed')).status, 201);

  await post(url, '/_sim/accounts/ENC-3000003/close', {});
  const closed = await post(url, '/charges', charge('ENC-3000003'), 'chg-closed-2');
  assert.equal(closed.status, 422);
  assert.match(closed.body.detail, /is closed/);
});

test('a missing patient MRN is a 422 refusal', async () => {
  const res = await post(url, '/charges', charge('ENC-4000004', { patient: {} }), 'chg-nomrn');
  assert.equal(res.status, 422);
  assert.match(res.body.detail, /MRN is missing/);
});

test('credits only up to the net charged quantity; reversals count', async () => {
  const account = 'ENC-5000005';
  const chg = await post(url, '/charges', charge(account, { quantity: 2 }), 'c5');
  assert.equal((await post(url, '/credits', credit(account, 1), 'cr5-1')).status, 201);
  assert.equal((await post(url, '/credits', credit(account, 1), 'cr5-2')).status, 201);
  const none = await post(url, '/credits', credit(account, 1), 'cr5-3');
  assert.equal(none.status, 422);
  assert.match(none.body.detail, /^no charge to credit/);
  assert.equal((await post(url, '/credits', credit('ENC-5999999', 1), 'cr5-4')).status, 422);

  const view = (await get(url, `/accounts/${account}`)).body;
  assert.equal(view.charges.length, 1);
  assert.equal(view.credits.length, 2);
  assert.equal(view.netQuantityByChargeCode.CDM27800017, 0);

  // Reverse one credit: one unit becomes creditable again. Reverse the charge: nothing is.
  const firstCredit = view.credits[0].id;
  assert.equal((await post(url, `/credits/${firstCredit}/reversal`, {}, 'rv-cr')).status, 201);
  assert.equal((await post(url, `/charges/${chg.body.id}/reversal`, {}, 'rv-chg')).status, 201);
  assert.equal((await post(url, `/charges/${chg.body.id}/reversal`, {}, 'rv-chg-2')).status, 422);
  assert.equal((await post(url, '/credits', credit(account, 1), 'cr5-5')).status, 422);
  const after = (await get(url, `/accounts/${account}`)).body;
  assert.equal(after.charges[0].reversalId, `${chg.body.id}-R`);
});
