import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildMessage, MllpClient, mshSegment, parseMllpAddress, segment, type Hl7Field } from '../common/hl7.ts';
import type { SimHandle } from '../common/runtime.ts';
import { get, ledger, post } from '../common/test-client.ts';
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

type Line = { type?: string; chargeCode?: string; quantity?: number | string; price?: Hl7Field; revenue?: string; reason?: string; lot?: string };

/** A charge DFT the way Tendon's encoder shapes one: MSH-10 = FT1-2 = the delivery key, v2.7, FT1-41 revenue code. */
function dft(controlId: string, account: string, lines: Line[] = [{}], messageType: Hl7Field = ['DFT', 'P03', 'DFT_P03']): string {
  const segments = [
    mshSegment({ sendingApplication: 'TENDON', sendingFacility: 'FAC-A', receivingApplication: 'BILLING', receivingFacility: 'PA', time: '20261121101500-0500', messageType, controlId, version: '2.7' }),
    segment('EVN', [null, '20261121101500-0500']),
    segment('PID', ['1', null, ['MRN00012345', null, null, null, 'MR'], ...Array(14).fill(null), account]),
  ];
  lines.forEach((l, i) => {
    const f: Hl7Field[] = Array(41).fill(null);
    Object.assign(f, {
      0: String(i + 1), 1: controlId, 3: '20261121', 5: l.type ?? 'CG', 6: l.chargeCode ?? 'CDM27800017', 7: l.reason ?? null,
      9: l.quantity ?? 1, 11: l.price === undefined ? [['1888.00', 'USD']] : l.price, 19: 'NPI1234567890', 22: 'CASE-000123',
      24: 'C1776', 33: 'ITM-00017', 40: l.revenue ?? '0278',
    });
    segments.push(segment('FT1', f));
    segments.push(segment('ZQD', ['SN12345678', l.lot ?? 'L2406A', '20281130']));
  });
  return buildMessage(segments);
}

test('a charge DFT gets AA and one ledger entry shaped like the HTTP body, via mllp, keyed by MSH-10', async () => {
  const ack = await client.sendAndWait(dft('dlv-charge-1', 'ENC-1000001'), 2000);
  assert.equal(ack.code, 'AA');
  assert.equal(ack.controlId, 'dlv-charge-1');
  assert.match(ack.text, /^CHG-\d{6}$/);
  const entry = (await ledger(billing.url)).find((e) => e.idempotencyKey === 'dlv-charge-1');
  assert.ok(entry);
  assert.equal(entry.kind, 'charge');
  assert.equal(entry.id, ack.text);
  assert.deepEqual(entry.body, {
    account: 'ENC-1000001', patient: { mrn: 'MRN00012345' }, facilityId: 'FAC-A', chargeCode: 'CDM27800017',
    revenueCode: '0278', hcpcs: 'C1776', quantity: 1, unitPrice: '1888.00', serviceDate: '2026-11-21', itemId: 'ITM-00017',
    lot: 'L2406A', serial: 'SN12345678', performer: 'NPI1234567890',
    reference: { deliveryId: 'dlv-charge-1', eventId: null, correlationId: 'CASE-000123' }, via: 'mllp',
  });
  // The same account view as HTTP charges; a bare amount (no currency) reads too.
  assert.equal((await client.sendAndWait(dft('dlv-charge-2', 'ENC-1000001', [{ price: '10.5' }]), 2000)).code, 'AA');
  const view = (await get(billing.url, '/accounts/ENC-1000001')).body;
  assert.equal(view.charges.length, 2);
  assert.equal(view.charges[1].unitPrice, '10.5');
});

test('the same MSH-10 twice: the same ACK, one ledger entry', async () => {
  const first = await client.sendAndWait(dft('dlv-dup', 'ENC-2000002'), 2000);
  const second = await client.sendAndWait(dft('dlv-dup', 'ENC-2000002'), 2000);
  assert.equal(second.message, first.message);
  assert.equal((await ledger(billing.url)).filter((e) => e.idempotencyKey === 'dlv-dup').length, 1);
});

test('a closed account is AE with the reason in MSA-3 and ERR-8; once reopened the same MSH-10 posts', async () => {
  const ack = await client.sendAndWait(dft('dlv-closed', 'ENC-3000003-C'), 2000);
  assert.equal(ack.code, 'AE');
  assert.equal(ack.text, 'account ENC-3000003-C is closed');
  assert.equal(ack.error?.message, 'account ENC-3000003-C is closed');
  assert.equal(ack.error?.location, 'PID-1-18');
  assert.equal(ack.error?.severity, 'E');
  assert.equal((await ledger(billing.url)).filter((e) => e.idempotencyKey === 'dlv-closed').length, 0);
  await post(billing.url, '/_sim/accounts/ENC-3000003-C/reopen', {});
  assert.equal((await client.sendAndWait(dft('dlv-closed', 'ENC-3000003-C'), 2000)).code, 'AA');
});

test('CD credits what was charged (same rule as POST /credits), no more', async () => {
  const account = 'ENC-4000004';
  assert.equal((await client.sendAndWait(dft('dlv-c4', account, [{ quantity: 2 }]), 2000)).code, 'AA');
  const credit = await client.sendAndWait(dft('dlv-c4-cd', account, [{ type: 'CD', quantity: 2, price: null, reason: 'not used' }]), 2000);
  assert.equal(credit.code, 'AA');
  assert.match(credit.text, /^CRD-/);
  const entry = (await ledger(billing.url)).find((e) => e.idempotencyKey === 'dlv-c4-cd');
  assert.deepEqual(entry?.body, {
    account, patient: { mrn: 'MRN00012345' }, facilityId: 'FAC-A', chargeCode: 'CDM27800017', quantity: 2,
    serviceDate: '2026-11-21', reason: 'not used', reference: { deliveryId: 'dlv-c4-cd', eventId: null, correlationId: 'CASE-000123' }, via: 'mllp',
  });
  const over = await client.sendAndWait(dft('dlv-c4-cd2', account, [{ type: 'CD' }]), 2000);
  assert.equal(over.code, 'AE');
  assert.match(over.text, /^no charge to credit/);
  assert.equal((await get(billing.url, `/accounts/${account}`)).body.netQuantityByChargeCode.CDM27800017, 0);
});

test('malformed lines are AE naming the HL7 field; several FT1 post together or not at all', async () => {
  const noRevenue = await client.sendAndWait(dft('dlv-bad-1', 'ENC-5000005', [{ revenue: '' }]), 2000);
  assert.equal(noRevenue.code, 'AE');
  assert.equal(noRevenue.error?.code, '101');
  assert.equal(noRevenue.error?.location, 'FT1-1-41');
  const badQty = await client.sendAndWait(dft('dlv-bad-2', 'ENC-5000005', [{ quantity: 'two' }]), 2000);
  assert.deepEqual([badQty.code, badQty.error?.code, badQty.error?.location], ['AE', '102', 'FT1-1-10']);
  const payment = await client.sendAndWait(dft('dlv-bad-3', 'ENC-5000005', [{ type: 'PY' }]), 2000);
  assert.deepEqual([payment.code, payment.error?.code], ['AE', '103']);

  const mixed = await client.sendAndWait(dft('dlv-multi', 'ENC-5000005', [{}, { chargeCode: 'CDM27200120', revenue: '0272', quantity: 'x' }]), 2000);
  assert.equal(mixed.code, 'AE');
  assert.equal(mixed.error?.location, 'FT1-2-10');
  assert.equal((await ledger(billing.url)).filter((e) => String(e.idempotencyKey).startsWith('dlv-multi')).length, 0);
  const both = await client.sendAndWait(dft('dlv-multi', 'ENC-5000005', [{}, { chargeCode: 'CDM27200120', revenue: '0272' }]), 2000);
  assert.equal(both.code, 'AA');
  assert.deepEqual(
    (await ledger(billing.url)).filter((e) => String(e.idempotencyKey).startsWith('dlv-multi')).map((e) => e.idempotencyKey),
    ['dlv-multi:1', 'dlv-multi:2'],
  );
});

test('other message types are AR', async () => {
  const adt = await client.sendAndWait(dft('dlv-adt', 'ENC-6000006', [{}], ['ADT', 'A01']), 2000);
  assert.deepEqual([adt.code, adt.error?.code], ['AR', '200']);
  const p05 = await client.sendAndWait(dft('dlv-p05', 'ENC-6000006', [{}], ['DFT', 'P05']), 2000);
  assert.deepEqual([p05.code, p05.error?.code], ['AR', '201']);
});

test('faults: down drops connections, errorRate closes without an ACK, latencyMs delays the ACK', async () => {
  await post(billing.url, '/_sim/faults', { down: true });
  await assert.rejects(client.sendAndWait(dft('dlv-f1', 'ENC-7000007'), 1000), /lost|could not connect/);
  await post(billing.url, '/_sim/faults', { reset: true, errorRate: 1 });
  await assert.rejects(client.sendAndWait(dft('dlv-f1', 'ENC-7000007'), 1000), /lost/);
  assert.equal((await ledger(billing.url)).filter((e) => e.idempotencyKey === 'dlv-f1').length, 0);
  await post(billing.url, '/_sim/faults', { reset: true, latencyMs: 150 });
  const t0 = performance.now();
  assert.equal((await client.sendAndWait(dft('dlv-f1', 'ENC-7000007'), 2000)).code, 'AA');
  assert.ok(performance.now() - t0 >= 140);
  await post(billing.url, '/_sim/faults', { reset: true });
  // An open connection is dropped too once the sim goes down.
  assert.equal((await client.sendAndWait(dft('dlv-f2', 'ENC-7000007'), 2000)).code, 'AA');
  await post(billing.url, '/_sim/faults', { down: true });
  await assert.rejects(client.sendAndWait(dft('dlv-f3', 'ENC-7000007'), 1000), /lost/);
  await post(billing.url, '/_sim/faults', { reset: true });
  assert.equal((await client.sendAndWait(dft('dlv-f3', 'ENC-7000007'), 2000)).code, 'AA');
});

test('with a state file, a restarted billing sim still answers a known MSH-10 with its first ACK', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-sim-mllp-'));
  const file = join(dir, 'billing.sqlite');
  try {
    const first = await startBilling({ stateFile: file, mllpPort: 0 });
    const c1 = new MllpClient(parseMllpAddress(first.mllpUrl ?? ''));
    const ack = await c1.sendAndWait(dft('dlv-persist', 'ENC-8000008'), 2000);
    c1.close();
    await first.close();
    const second = await startBilling({ stateFile: file, mllpPort: 0 });
    const c2 = new MllpClient(parseMllpAddress(second.mllpUrl ?? ''));
    try {
      assert.equal((await c2.sendAndWait(dft('dlv-persist', 'ENC-8000008'), 2000)).message, ack.message);
      assert.equal((await ledger(second.url)).length, 1);
    } finally {
      c2.close();
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
