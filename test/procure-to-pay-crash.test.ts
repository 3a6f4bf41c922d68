// Crash safety of the workflows: the hub (a separate process) is killed with SIGKILL at random moments while
// requisitions from the procurement tool go through procure-to-pay — approval, the ERP's numbering, 850, 855, 856,
// receipt, 810, match, AP posting, payment — and restarted each time. Kills land in the middle of every stage;
// every requisition must still end paid, with exactly one order at the ERP and at the supplier, one AP posting per
// invoice, and each status told to the tool once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startNetwork } from '../sim/main.ts';
import { ledger, SEED, crashableHub, testConfig, tokensFor, waitFor, writeConfig, type Sims } from './support/hub.ts';
import { picks } from './support/picks.ts';

const REQUISITIONS = 12;
const KILLS = 5;

let network: Sims;
before(async () => {
  network = await startNetwork({
    seed: SEED, host: '127.0.0.1', erpPaymentDelayMs: 0,
    supplierRates: { priceChange: 0, quantityChange: 0, backorder: 0, reject: 0, partialShipment: 0, invoicePriceVariance: 0, invoiceQuantityVariance: 0 },
    supplierDelays: { ack: 50, poAck: 100, shipNotice: 150, invoice: 150, backorder: 300 },
  });
});
after(() => network?.close());

test(`kill -9 of the hub ${KILLS} times while ${REQUISITIONS} requisitions go to payment: every one is paid, nothing is ordered, invoiced or told twice`, { timeout: 300_000 }, async () => {
  const q = picks(network);
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-p2p-crash-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const config = testConfig(dataDir, network, (c, s) => {
    c.http = { host: '127.0.0.1', port };
    c.masterData = { ...c.masterData!, intervalSeconds: 1 };
    c.inbound = [...(c.inbound ?? []), { kind: 'x12', name: 'supplier', partners: { MEDSUPPLY: q.routine.supplierId! }, facility: q.facility }];
    c.destinations.push(
      { name: 'medsupply', role: 'supplier', kind: 'x12', url: `${s.urls.supplier}/x12`, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLY' } },
      { name: 'procurement', role: 'procurement', url: s.urls.procurement!, ownerRole: 'supply-chain' },
    );
  });
  const file = writeConfig(dataDir, config);
  const tokens = await tokensFor(dataDir);
  const url = `http://127.0.0.1:${port}`;
  type Tool = { status: string; lines: { poNumber: string | null }[]; history: { by: string; status: string; line: string | null }[] };
  const tool = async (n: string) => (await (await request(`${network.urls.procurement}/requisitions/${n}`)).body.json()) as Tool;
  const numbers: string[] = [];
  const hub = await crashableHub(file, url);
  try {
    // The supplier and the tool keep what they owe the hub and send it again until the hub answers.
    network.connectSupplier(`${url}/v1/x12/supplier`, tokens.operator);
    network.connectProcurement(url, tokens.operator);

    for (let n = 0; n < REQUISITIONS; n++) {
      const res = await request(`${network.urls.procurement}/requisitions`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `crash-${n}` },
        body: JSON.stringify({ facility: q.facility, requester: 'Dana Whitfield', priority: 'routine', lines: [{ itemId: q.routine.id, quantity: 1 + (n % 3), uom: 'EA', locationId: q.location.id }] }),
      });
      numbers.push(((await res.body.json()) as { requisitionNumber: string }).requisitionNumber);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 1000));
      await hub.crash();
    }

    await waitFor('every requisition paid', async () => (await Promise.all(numbers.map(tool))).every((t) => t.status === 'paid'), 180_000, 250)
      .catch(async (e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify((await Promise.all(numbers.map(tool))).map((t) => t.status))}; hub stderr: ${hub.stderr().slice(-800)}`);
      });
  } finally {
    await hub.stop(); // also when the test failed: a hub left running would keep the test process alive
  }

  const views = await Promise.all(numbers.map(tool));
  const pos = views.map((t) => t.lines[0]!.poNumber!);
  assert.equal(new Set(pos).size, REQUISITIONS, 'one order per requisition (no consolidation window)');
  for (const t of views) {
    const told = t.history.filter((h) => h.by === 'hub').map((h) => h.status);
    assert.equal(new Set(told).size, told.length, `each status told once: ${told}`);
  }
  const erp = await ledger(network, 'erp');
  const erpOrders = erp.filter((e) => e.kind === 'purchase-order').map((e) => String(e.body.orderId));
  assert.equal(erpOrders.length, REQUISITIONS, 'the ERP numbered each order once');
  assert.equal(new Set(erpOrders).size, REQUISITIONS);
  const postings = erp.filter((e) => e.kind === 'ap-invoice').map((e) => `${String(e.body.supplierId)}:${String(e.body.invoiceNumber)}`);
  assert.equal(new Set(postings).size, postings.length, 'no invoice posted twice');
  assert.equal(postings.length, REQUISITIONS, 'one invoice per order, each posted');
  const supplierOrders = (await ledger(network, 'supplier')).filter((e) => e.kind === 'order').map((e) => String(e.body.poNumber));
  assert.deepEqual([...supplierOrders].sort(), [...pos].sort(), 'the supplier got each 850 once');
});
