// The ERP's procurement finance over real HTTP: PO numbering and budget commitments, cancellation, AP invoices and
// credits, payments after their delay (paged like master data), the views, and a restart with a state file.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { SimHandle } from '../common/runtime.ts';
import { call, get, ledger, post } from '../common/test-client.ts';
import { startErp } from './server.ts';

const SEED = 11;
let erp: SimHandle; // payments 200 ms after posting
let instant: SimHandle; // payments at once
let url: string;
before(async () => {
  erp = await startErp({ seed: SEED, paymentDelayMs: 200 });
  instant = await startErp({ seed: SEED, paymentDelayMs: 0 });
  url = erp.url;
});
after(async () => {
  await erp.close();
  await instant.close();
});

type Line = { line: string; itemId: string; quantity: number; uom: string; unitPrice: string; costCenterId: string };
const line = (n: number, costCenterId: string, quantity: number, unitPrice: string, itemId = 'ITM-00001'): Line => ({
  line: String(n), itemId, quantity, uom: 'EA', unitPrice, costCenterId,
});
const order = (orderDate: string, lines: Line[], over: Record<string, unknown> = {}) => ({
  orderId: 'ord-1', facilityId: 'FAC-A', supplierId: 'SUP-0002', orderDate, currency: 'USD', priority: 'routine', lines, ...over,
});
const invoice = (poNumber: string, invoiceNumber: string, lines: { line: string; quantity: number; unitPrice: string; amount: string; costCenterId: string }[], over: Record<string, unknown> = {}) => {
  const total = lines.reduce((cents, l) => cents + Math.round(Number(l.amount) * 100), 0);
  return {
    poNumber, invoiceNumber, supplierId: 'SUP-0002', invoiceDate: '2027-01-20', kind: 'invoice', currency: 'USD',
    amount: (total / 100).toFixed(2), lines: lines.map((l) => ({ itemId: 'ITM-00001', ...l })), ...over,
  };
};
const budget = async (base: string, costCenterId: string, period: string) => (await get(base, `/budgets/${costCenterId}/${period}`)).body;

/** Polls until `check` gives something truthy (payments appear with the clock, not on a request). */
async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a PO is numbered by the ERP and commits its cost centers’ budgets, which the master-data pull then sees', async () => {
  const all = (await get(url, '/api/budgets?limit=1000')).body.data as { updatedAt: string }[];
  const watermark = all.map((b) => b.updatedAt).sort().at(-1)!;
  const before6100 = await budget(url, 'CC-A-6100', '2027-01');
  assert.equal(before6100.committed, '0.00');

  // 3 × 125.50 = 376.50 and 3 × 0.335 = 1.005 → 1.01 (half up) on one cost center; 2 × 49.99 on another.
  const body = order('2027-01-15', [line(1, 'CC-A-6100', 3, '125.50'), line(2, 'CC-A-6100', 3, '0.335'), line(3, 'CC-A-7020', 2, '49.99')]);
  const created = await post(url, '/purchase-orders', body, 'po-commit');
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^PO-\d{6}$/);
  assert.equal(created.body.poNumber, created.body.id);
  assert.equal(created.body.status, 'open');
  assert.equal(created.body.amount, '477.49');
  assert.equal(created.body.committed, '477.49');
  assert.deepEqual(
    created.body.commitments.map((m: any) => [m.costCenterId, m.period, m.committed, m.consumed]),
    [['CC-A-6100', '2027-01', '377.51', '0.00'], ['CC-A-7020', '2027-01', '99.98', '0.00']],
  );

  const after6100 = await budget(url, 'CC-A-6100', '2027-01');
  assert.equal(after6100.committed, '377.51');
  assert.equal(after6100.consumed, before6100.consumed);
  assert.equal(after6100.available, (Number(before6100.available) - 377.51).toFixed(2));

  const record = (await get(url, `/api/budgets/${after6100.budgetId}`)).body;
  assert.equal(record.committed, '377.51');
  assert.ok(record.updatedAt > watermark);
  const delta = (await get(url, `/api/budgets?updatedSince=${encodeURIComponent(watermark)}`)).body.data;
  assert.deepEqual(delta.map((b: any) => [b.costCenterId, b.committed]).sort(), [['CC-A-6100', '377.51'], ['CC-A-7020', '99.98']]);

  const view = (await get(url, `/purchase-orders/${created.body.id}`)).body;
  assert.equal(view.status, 'open');
  assert.deepEqual([view.committed, view.invoiced, view.paid], ['477.49', '0.00', '0.00']);
  assert.deepEqual(view.lines.map((l: any) => [l.line, l.amount, l.committed, l.invoiced]), [['1', '376.50', '376.50', '0.00'], ['2', '1.01', '1.01', '0.00'], ['3', '99.98', '99.98', '0.00']]);
  assert.deepEqual([view.apInvoices, view.payments], [[], []]);
});

test('the same Idempotency-Key twice makes one PO and one commitment', async () => {
  const body = order('2027-04-02', [line(1, 'CC-A-7020', 1, '300.00')]);
  const first = await post(url, '/purchase-orders', body, 'po-twice');
  const second = await post(url, '/purchase-orders', body, 'po-twice');
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.equal(second.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(second.body, first.body);
  assert.equal((await budget(url, 'CC-A-7020', '2027-04')).committed, '300.00');
  assert.equal((await ledger(url)).filter((e) => e.idempotencyKey === 'po-twice' && e.kind === 'purchase-order').length, 1);
});

test('a PO over budget is a 422 naming the cost center, month and amounts, and is not remembered', async () => {
  const { budgetId } = await budget(url, 'CC-A-6100', '2027-02');
  assert.equal((await call(url, 'PATCH', `/api/budgets/${budgetId}`, { body: { amount: '1200.00', consumed: '0.00' } })).status, 200);
  const body = order('2027-02-10', [line(1, 'CC-A-6100', 5, '150.00'), line(2, 'CC-A-6100', 1, '750.00')]);
  const refused = await post(url, '/purchase-orders', body, 'po-over');
  assert.equal(refused.status, 422);
  assert.equal(refused.body.detail, 'budget exceeded for CC-A-6100 in 2027-02: available 1200.00, needed 1500.00');
  assert.equal((await budget(url, 'CC-A-6100', '2027-02')).committed, '0.00');

  await call(url, 'PATCH', `/api/budgets/${budgetId}`, { body: { amount: '1500.00' } });
  const fixed = await post(url, '/purchase-orders', body, 'po-over');
  assert.equal(fixed.status, 201);
  const full = await budget(url, 'CC-A-6100', '2027-02');
  assert.deepEqual([full.committed, full.available], ['1500.00', '0.00']);
});

test('an inactive cost center, a bad supplier, an unknown item or a month without budget is refused', async () => {
  const cases: [Record<string, unknown>, string][] = [
    [order('2027-01-05', [line(1, 'CC-C-7260', 1, '10.00')], { facilityId: 'FAC-C' }), 'cost center CC-C-7260 is inactive (line 1)'],
    [order('2027-01-05', [line(1, 'CC-Z-0000', 1, '10.00')]), 'unknown cost center CC-Z-0000 on line 1'],
    [order('2027-01-05', [line(1, 'CC-A-7020', 1, '10.00')], { supplierId: 'SUP-0023' }), 'supplier SUP-0023 is inactive'],
    [order('2027-01-05', [line(1, 'CC-A-7020', 1, '10.00')], { supplierId: 'SUP-9999' }), 'unknown supplier SUP-9999'],
    [order('2027-01-05', [line(1, 'CC-A-7020', 1, '10.00', 'ITM-99999')]), 'unknown item ITM-99999 on line 1'],
    [order('2031-01-05', [line(1, 'CC-A-7020', 1, '10.00')]), 'no budget for CC-A-7020 in 2031-01'],
  ];
  for (const [body, detail] of cases) {
    const res = await post(url, '/purchase-orders', body, `po-refused-${detail}`);
    assert.equal(res.status, 422, detail);
    assert.equal(res.body.detail, detail);
  }
  const malformed = [
    order('2027-01-05', [line(1, 'CC-A-7020', 1, '10.00'), line(1, 'CC-A-7020', 1, '10.00')]),
    order('2027-01-05', [line(1, 'CC-A-7020', 0, '10.00')]),
    order('2027-01-05', [{ ...line(1, 'CC-A-7020', 1, '10.00'), unitPrice: 10 as unknown as string }]), // money is a string
    order('2027-01-05', []),
    order('2027-01-05', [line(1, 'CC-A-7020', 1, '10.00')], { currency: 'EUR' }),
  ];
  for (const [i, body] of malformed.entries()) assert.equal((await post(url, '/purchase-orders', body, `po-bad-${i}`)).status, 400);
});

test('cancelling a PO releases its commitment, once; a cancelled PO takes no invoice', async () => {
  const before = await budget(url, 'CC-B-6100', '2027-05');
  const { id } = (await post(url, '/purchase-orders', order('2027-05-03', [line(1, 'CC-B-6100', 4, '250.00')], { facilityId: 'FAC-B' }), 'po-cancel')).body;
  assert.equal((await budget(url, 'CC-B-6100', '2027-05')).committed, '1000.00');
  const cancelled = await post(url, `/purchase-orders/${id}/reversal`, {}, 'po-cancel-1');
  assert.equal(cancelled.status, 201);
  assert.equal(cancelled.body.id, `${id}-R`);
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(cancelled.body.released, '1000.00');
  const after = await budget(url, 'CC-B-6100', '2027-05');
  assert.equal(after.committed, '0.00');
  assert.equal(after.available, before.available);
  assert.ok(after.updatedAt > before.updatedAt);
  assert.equal((await get(url, `/purchase-orders/${id}`)).body.status, 'cancelled');
  assert.equal((await post(url, `/purchase-orders/${id}/reversal`, {}, 'po-cancel-2')).status, 422);
  const late = await post(url, '/ap-invoices', invoice(id, 'INV-LATE', [{ line: '1', quantity: 4, unitPrice: '250.00', amount: '1000.00', costCenterId: 'CC-B-6100' }]), 'ap-late');
  assert.equal(late.status, 422);
  assert.equal(late.body.detail, `purchase order ${id} is cancelled`);
  assert.deepEqual((await get(url, `/ledger?poNumber=${id}`)).body.entries.map((e: any) => [e.kind, e.amount]), [['commitment', '1000.00'], ['release', '1000.00']]);
});

test('AP invoices move committed to consumed, duplicates are refused, a credit reduces consumed, and then it is paid', async () => {
  const cc = 'CC-B-7020';
  const start = await budget(url, cc, '2027-03');
  const lines = [line(1, cc, 10, '100.00'), line(2, cc, 5, '20.00')];
  const { id: poNumber } = (await post(url, '/purchase-orders', order('2027-03-01', lines, { facilityId: 'FAC-B' }), 'po-ap')).body;
  assert.equal((await budget(url, cc, '2027-03')).committed, '1100.00');

  // The supplier raised line 1's price (1040 > the 1000 committed) and shipped 2 of line 2's 5.
  const inv1 = invoice(poNumber, 'INV-1', [
    { line: '1', quantity: 10, unitPrice: '104.00', amount: '1040.00', costCenterId: cc },
    { line: '2', quantity: 2, unitPrice: '20.00', amount: '40.00', costCenterId: cc },
  ]);
  const posted = await post(url, '/ap-invoices', inv1, 'ap-1');
  assert.equal(posted.status, 201);
  assert.match(posted.body.id, /^AP-\d{6}$/);
  assert.equal(posted.body.paymentId, posted.body.id.replace('AP-', 'PAY-'));
  assert.equal(posted.body.poStatus, 'partially-invoiced');
  let now = await budget(url, cc, '2027-03');
  assert.equal(now.committed, '60.00');
  assert.equal(now.consumed, (Number(start.consumed) + 1080).toFixed(2));

  assert.deepEqual((await post(url, '/ap-invoices', inv1, 'ap-1')).body, posted.body, 'a retry with its key is the same posting');
  const duplicate = await post(url, '/ap-invoices', inv1, 'ap-1-again');
  assert.equal(duplicate.status, 422);
  assert.equal(duplicate.body.detail, `invoice INV-1 of supplier SUP-0002 is already posted as ${posted.body.id}`);

  const refusals: [Record<string, unknown>, RegExp][] = [
    [invoice(poNumber, 'INV-X', [{ line: '1', quantity: 1, unitPrice: '1.00', amount: '1.00', costCenterId: cc }], { supplierId: 'SUP-0001' }), /SUP-0001 is not the supplier/],
    [{ ...invoice(poNumber, 'INV-X', [{ line: '1', quantity: 1, unitPrice: '1.00', amount: '1.00', costCenterId: cc }]), amount: '2.00' }, /amount 2.00 is not the sum of its lines \(1.00\)/],
    [invoice(poNumber, 'INV-X', [{ line: '9', quantity: 1, unitPrice: '1.00', amount: '1.00', costCenterId: cc }]), /has no line 9/],
    [invoice(poNumber, 'INV-X', [{ line: '1', quantity: 1, unitPrice: '1.00', amount: '1.00', costCenterId: 'CC-B-6100' }]), /is charged to CC-B-7020, not CC-B-6100/],
    [invoice('PO-999999', 'INV-X', [{ line: '1', quantity: 1, unitPrice: '1.00', amount: '1.00', costCenterId: cc }]), /unknown purchase order PO-999999/],
    [invoice(poNumber, 'CR-X', [{ line: '2', quantity: 3, unitPrice: '20.00', amount: '60.00', costCenterId: cc }], { kind: 'credit' }), /credit of 60.00 on line 2 .* exceeds what it has invoiced \(40.00\)/],
  ];
  for (const [i, [body, detail]] of refusals.entries()) {
    const res = await post(url, '/ap-invoices', body, `ap-refused-${i}`);
    assert.equal(res.status, 422);
    assert.match(res.body.detail, detail);
  }

  // A credit for the overcharge on line 1: consumed down by 40, the commitment untouched.
  const credit = await post(url, '/ap-invoices', invoice(poNumber, 'INV-1', [{ line: '1', quantity: 10, unitPrice: '4.00', amount: '40.00', costCenterId: cc }], { kind: 'credit' }), 'ap-credit');
  assert.equal(credit.status, 201, 'a credit may carry the number of the invoice it corrects');
  assert.equal(credit.body.paymentId, null);
  now = await budget(url, cc, '2027-03');
  assert.equal(now.committed, '60.00');
  assert.equal(now.consumed, (Number(start.consumed) + 1040).toFixed(2));

  // The rest of line 2 ships and is invoiced: nothing committed any more, the PO is invoiced and cannot be cancelled.
  const inv2 = await post(url, '/ap-invoices', invoice(poNumber, 'INV-2', [{ line: '2', quantity: 3, unitPrice: '20.00', amount: '60.00', costCenterId: cc }]), 'ap-2');
  assert.equal(inv2.body.poStatus, 'invoiced');
  now = await budget(url, cc, '2027-03');
  assert.equal(now.committed, '0.00');
  assert.equal(now.consumed, (Number(start.consumed) + 1100).toFixed(2));
  const cancel = await post(url, `/purchase-orders/${poNumber}/reversal`, {}, 'ap-po-cancel');
  assert.equal(cancel.status, 422);
  assert.match(cancel.body.detail, /fully invoiced/);

  let view = (await get(url, `/purchase-orders/${poNumber}`)).body;
  assert.deepEqual([view.status, view.committed, view.invoiced], ['invoiced', '0.00', '1100.00']);
  assert.deepEqual(view.apInvoices, [posted.body.id, credit.body.id, inv2.body.id]);

  // Paid 200 ms after posting; the credit never is.
  const payments = await until('both payments', async () => {
    const data = (await get(url, '/api/payments?limit=1000')).body.data.filter((p: any) => p.poNumber === poNumber);
    return data.length === 2 && data;
  });
  const apPosted = (await get(url, `/ap-invoices/${posted.body.id}`)).body.postedAt;
  assert.deepEqual(payments[0], {
    id: posted.body.paymentId, apInvoiceId: posted.body.id, invoiceNumber: 'INV-1', poNumber, supplierId: 'SUP-0002', amount: '1080.00',
    currency: 'USD', paidAt: new Date(Date.parse(apPosted) + 200).toISOString(), updatedAt: payments[0].paidAt,
  });
  assert.equal(payments[1].id, inv2.body.paymentId);
  view = (await get(url, `/purchase-orders/${poNumber}`)).body;
  assert.equal(view.paid, '1140.00');
  assert.deepEqual(view.payments, [posted.body.paymentId, inv2.body.paymentId]);
  // The money trail in time order; where each payment falls among the postings depends on how fast they came.
  const trail = (await get(url, `/ledger?poNumber=${poNumber}`)).body.entries;
  assert.deepEqual(trail.filter((e: any) => e.kind !== 'payment').map((e: any) => [e.kind, e.id, e.amount]), [
    ['commitment', poNumber, '1100.00'],
    ['ap-posting', posted.body.id, '1080.00'],
    ['ap-posting', credit.body.id, '40.00'],
    ['ap-posting', inv2.body.id, '60.00'],
  ]);
  assert.deepEqual(trail.filter((e: any) => e.kind === 'payment').map((e: any) => [e.id, e.amount]), [[posted.body.paymentId, '1080.00'], [inv2.body.paymentId, '60.00']]);
  assert.deepEqual(trail.map((e: any) => e.at), trail.map((e: any) => e.at).sort());
  assert.deepEqual(trail[1].budgets.map((m: any) => [m.costCenterId, m.committed, m.consumed]), [[cc, '-1040.00', '1080.00']]);
  assert.deepEqual(trail[2].budgets.map((m: any) => [m.costCenterId, m.committed, m.consumed]), [[cc, '0.00', '-40.00']]);
});

test('a payment appears only after the delay', async () => {
  const { id: poNumber } = (await post(url, '/purchase-orders', order('2027-06-01', [line(1, 'CC-A-7020', 1, '75.00')]), 'po-delay')).body;
  const { id } = (await post(url, '/ap-invoices', invoice(poNumber, 'INV-D', [{ line: '1', quantity: 1, unitPrice: '75.00', amount: '75.00', costCenterId: 'CC-A-7020' }]), 'ap-delay')).body;
  const paymentId = id.replace('AP-', 'PAY-');
  const started = Date.now();
  const visible = async () => (await get(url, '/api/payments?limit=1000')).body.data.some((p: any) => p.id === paymentId);
  assert.equal(await visible(), false);
  assert.equal((await get(url, `/api/payments/${paymentId}`)).status, 404);
  await until('the payment', visible);
  assert.ok(Date.now() - started >= 150, 'not before its delay');
  assert.equal((await get(url, `/api/payments/${paymentId}`)).body.amount, '75.00');
});

test('payments page incrementally with updatedSince and a cursor, like master data', async () => {
  const base = instant.url;
  assert.deepEqual((await get(base, '/api/payments')).body, { data: [], nextCursor: null }, 'not refused as an unknown entity');
  const { id: poNumber } = (await post(base, '/purchase-orders', order('2027-07-01', [line(1, 'CC-A-7020', 10, '10.00')]), 'po-pay')).body;
  const postInvoice = async (n: number) =>
    (await post(base, '/ap-invoices', invoice(poNumber, `INV-P${n}`, [{ line: '1', quantity: 1, unitPrice: '10.00', amount: '10.00', costCenterId: 'CC-A-7020' }]), `ap-pay-${n}`)).body.id;
  const ids: string[] = [];
  for (let n = 1; n <= 5; n++) ids.push(await postInvoice(n));
  await until('five payments', async () => (await get(base, '/api/payments')).body.data.length === 5);

  const seen: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { data: any[]; nextCursor: string | null } = (await get(base, `/api/payments?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
    assert.ok(page.data.length <= 2);
    seen.push(...page.data);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  assert.equal(pages, 3);
  assert.deepEqual(seen.map((p) => p.apInvoiceId), ids);
  const watermark = seen.at(-1).updatedAt;
  assert.deepEqual((await get(base, `/api/payments?updatedSince=${encodeURIComponent(watermark)}`)).body, { data: [], nextCursor: null });

  const sixth = await postInvoice(6);
  const delta = await until('the sixth payment', async () => {
    const data = (await get(base, `/api/payments?updatedSince=${encodeURIComponent(watermark)}`)).body.data;
    return data.length > 0 && data;
  });
  assert.deepEqual(delta.map((p: any) => p.apInvoiceId), [sixth]);
  assert.ok(delta[0].updatedAt > watermark);

  // A paid invoice is corrected by a credit, not reversed.
  const reversal = await post(base, `/ap-invoices/${sixth}/reversal`, {}, 'ap-pay-6-rev');
  assert.equal(reversal.status, 422);
  assert.match(reversal.body.detail, /is paid .*post a credit instead/);
});

test('state survives a restart; an unpaid invoice can be reversed, which commits again what it had released', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'tendon-erp-')), 'erp.sqlite');
  let sim = await startErp({ seed: SEED, stateFile });
  let poNumber: string;
  let apId: string;
  try {
    poNumber = (await post(sim.url, '/purchase-orders', order('2027-08-01', [line(1, 'CC-A-7010', 2, '500.00')]), 'po-state')).body.id;
    apId = (await post(sim.url, '/ap-invoices', invoice(poNumber, 'INV-S', [{ line: '1', quantity: 1, unitPrice: '500.00', amount: '500.00', costCenterId: 'CC-A-7010' }]), 'ap-state')).body.id;
  } finally {
    await sim.close();
  }
  sim = await startErp({ seed: SEED, stateFile });
  try {
    assert.deepEqual([(await budget(sim.url, 'CC-A-7010', '2027-08')).committed], ['500.00']);
    assert.equal((await get(sim.url, `/purchase-orders/${poNumber}`)).body.status, 'partially-invoiced');
    assert.equal((await post(sim.url, '/purchase-orders', order('2027-08-01', [line(1, 'CC-A-7010', 2, '500.00')]), 'po-state')).body.id, poNumber, 'the key is remembered');
    assert.equal((await post(sim.url, '/purchase-orders', order('2027-08-02', [line(1, 'CC-A-7010', 1, '1.00')]), 'po-state-2')).body.id, 'PO-000002');

    const consumedBefore = (await budget(sim.url, 'CC-A-7010', '2027-08')).consumed;
    const reversed = await post(sim.url, `/ap-invoices/${apId}/reversal`, {}, 'ap-state-rev');
    assert.equal(reversed.status, 201);
    const now = await budget(sim.url, 'CC-A-7010', '2027-08');
    assert.equal(now.committed, '1001.00');
    assert.equal(now.consumed, (Number(consumedBefore) - 500).toFixed(2));
    const view = (await get(sim.url, `/purchase-orders/${poNumber}`)).body;
    assert.deepEqual([view.status, view.committed, view.apInvoices], ['open', '1000.00', []]);
    assert.equal((await post(sim.url, '/ap-invoices', invoice(poNumber, 'INV-S', [{ line: '1', quantity: 1, unitPrice: '500.00', amount: '500.00', costCenterId: 'CC-A-7010' }]), 'ap-state-again')).status, 201, 'a voided invoice number may be posted again');
    assert.deepEqual((await get(sim.url, `/ledger?poNumber=${poNumber}`)).body.entries.map((e: any) => e.kind), ['commitment', 'ap-posting', 'ap-reversal', 'ap-posting']);
  } finally {
    await sim.close();
  }
});

test('unknown records are 404 problems; the ledger view needs a PO number', async () => {
  assert.equal((await get(url, '/purchase-orders/PO-999999')).status, 404);
  assert.equal((await get(url, '/budgets/CC-A-7020/2031-01')).status, 404);
  assert.equal((await get(url, '/api/payments/PAY-999999')).status, 404);
  assert.equal((await get(url, '/ledger?poNumber=PO-999999')).status, 404);
  assert.equal((await get(url, '/ledger')).status, 400);
  assert.equal((await get(url, '/api/payments?cursor=nope')).status, 400);
});
