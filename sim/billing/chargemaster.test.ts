// Billing's chargemaster updates: MFN^M04 over the same MLLP door as its DFTs, over real sockets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildMessage, MllpClient, mshSegment, parseMessage, parseMllpAddress, readMsh, segment, type Hl7Field } from '../common/hl7.ts';
import type { SimHandle } from '../common/runtime.ts';
import { get, ledger } from '../common/test-client.ts';
import { startBilling } from './server.ts';

let billing: SimHandle;
let client: MllpClient;
before(async () => {
  billing = await startBilling({ seed: 5, mllpPort: 0 });
  client = new MllpClient(parseMllpAddress(billing.mllpUrl ?? ''));
});
after(async () => {
  client.close();
  await billing.close();
});

type Line = { event?: string; code?: string; cdm?: Hl7Field[] | null; prc?: Hl7Field[] | null; file?: string };

/** An MFN^M04 as a chargemaster feed shapes one: MFI CDM, MFE keyed by the charge code, CDM, PRC. */
function m04(controlId: string, line: Line = {}): string {
  const code = line.code ?? 'CDM27800017';
  const segments = [
    mshSegment({ sendingApplication: 'TENDON', sendingFacility: 'NETWORK', receivingApplication: 'BILLING', receivingFacility: 'PA', time: '20261121101500-0500', messageType: ['MFN', 'M04', 'MFN_M04'], controlId, version: '2.7' }),
    segment('MFI', [[line.file ?? 'CDM', 'Charge description master', 'HL70175'], null, 'UPD', null, null, 'AL']),
    segment('MFE', [line.event ?? 'MUP', `chg-${controlId}`, '20261121101500-0500', [code, 'CDM'], 'CWE']),
  ];
  if (line.cdm !== null) {
    segments.push(segment('CDM', line.cdm ?? [[code], null, 'Knee femoral comp', 'Total Knee Femoral Component, Cemented, Size 3', null, null, ['C1776', null, 'HCPCS'], 'A', 'ITM-00001']));
  }
  if (line.prc !== null) segments.push(segment('PRC', line.prc ?? [[code], 'FAC-A', null, null, [['9850.00', 'USD']], ...Array(8).fill(null), '0278']));
  return buildMessage(segments);
}

test('an M04 sets the charge code\'s line, answers MFK^M04 with an MFA S, and is one chargemaster ledger entry', async () => {
  const ack = await client.sendAndWait(m04('dlv-cdm-1'), 2000);
  assert.equal(ack.code, 'AA');
  assert.equal(ack.controlId, 'dlv-cdm-1');
  const answer = parseMessage(ack.message);
  assert.deepEqual([readMsh(answer).messageCode, readMsh(answer).triggerEvent], ['MFK', 'M04']);
  const mfa = answer.segment('MFA');
  assert.deepEqual([mfa?.get(1), mfa?.get(4), mfa?.get(5)], ['MUP', 'S', 'CDM27800017']);

  const line = (await get(billing.url, '/chargemaster/CDM27800017')).body;
  assert.deepEqual(line, {
    chargeCode: 'CDM27800017', description: 'Total Knee Femoral Component, Cemented, Size 3', revenueCode: '0278', hcpcs: 'C1776',
    price: '9850.00', currency: 'USD', itemId: 'ITM-00001', status: 'active',
  });
  const entries = (await ledger(billing.url)).filter((e) => e.idempotencyKey === 'dlv-cdm-1');
  assert.equal(entries.length, 1);
  assert.equal(entries[0].kind, 'chargemaster');
  assert.deepEqual(entries[0].body, {
    ...line, event: 'MUP', changeId: 'chg-dlv-cdm-1', reference: { deliveryId: 'dlv-cdm-1', eventId: null, correlationId: null }, via: 'mllp',
  });

  // A later price replaces it; a resent control id changes nothing more.
  const reprice = m04('dlv-cdm-2', { prc: [['CDM27800017'], null, null, null, [['9990.00', 'USD']], ...Array(8).fill(null), '0278'] });
  assert.equal((await client.sendAndWait(reprice, 2000)).code, 'AA');
  assert.equal((await client.sendAndWait(reprice, 2000)).code, 'AA');
  assert.equal((await get(billing.url, '/chargemaster/CDM27800017')).body.price, '9990.00');
  assert.equal((await ledger(billing.url)).filter((e) => e.kind === 'chargemaster').length, 2);
});

test('MDC deactivates a charge code; a bad price, another master file or M16 are refused and change nothing', async () => {
  assert.equal((await client.sendAndWait(m04('dlv-cdm-3', { code: 'CDM27200120' }), 2000)).code, 'AA');
  const off = await client.sendAndWait(m04('dlv-cdm-4', { code: 'CDM27200120', event: 'MDC', cdm: null, prc: null }), 2000);
  assert.equal(off.code, 'AA');
  assert.equal(parseMessage(off.message).segment('MFA')?.get(1), 'MDC');
  assert.equal((await get(billing.url, '/chargemaster/CDM27200120')).body.status, 'inactive');

  const before = (await ledger(billing.url)).length;
  const price = await client.sendAndWait(m04('dlv-cdm-5', { prc: [['CDM27800017'], null, null, null, [['a lot', 'USD']]] }), 2000);
  assert.deepEqual([price.code, price.error?.code, price.error?.location], ['AE', '102', 'PRC-1-5']);
  assert.equal(parseMessage(price.message).segment('MFA')?.get(4), 'U');
  const file = await client.sendAndWait(m04('dlv-cdm-6', { file: 'ITM' }), 2000);
  assert.deepEqual([file.code, file.error?.location], ['AE', 'MFI-1-1']);
  const m16 = await client.sendAndWait(m04('dlv-cdm-7').replace('MFN^M04^MFN_M04', 'MFN^M16^MFN_M16'), 2000);
  assert.deepEqual([m16.code, m16.error?.code], ['AR', '201']);
  assert.equal((await ledger(billing.url)).length, before);
  assert.equal((await get(billing.url, '/chargemaster/CDM27800017')).body.price, '9990.00');
});
