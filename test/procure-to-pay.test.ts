// Procure-to-pay end to end, against the simulated network over real sockets: a procurement tool's requisition is
// approved, numbered by the ERP (budget committed), sent to the supplier as an 850, acknowledged (855), shipped
// (856 → goods receipt), invoiced (810 → three-way match → AP posting) and paid (the ERP's payment, pulled back),
// and the tool hears every step. Then the paths that need a person: approval over the limit, a supplier that
// never acknowledges (cancel compensates at the supplier and in the ERP), and an invoice that does not match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startNetwork } from '../sim/main.ts';
import type { HubConfigInput } from '../src/config/schema.ts';
import { api, drained, ledger, restartTestHub, SEED, startTestHub, used, waitFor, type Sims, type TestHub } from './support/hub.ts';
import { picks } from './support/picks.ts';
import { definition } from '../src/workflows/index.ts';
import type { WorkflowInput, WorkflowSettings } from '../src/workflows/types.ts';

type Tool = { requisitionNumber: string; status: string; lines: { status: string; poNumber: string | null }[]; history: { status: string }[] };
type Po = {
  poNumber: string; status: string; stage: string; decisions: string[]; lines: { received: number; invoiced: number; agreedPrice: string }[];
  invoices: { number: string; status: string; match: string | null }[]; documents: { type: string }[];
  deliveries: { action: string; destination: string; status: string }[]; exceptions: { id: string; category: string; status: string }[];
};
type Workflow = { key: string; steps: number; status: string; stage: string; decisions: string[]; history: { input: { kind: string } }[]; timers: { name: string }[] };
type Exception = { id: string; category: string; status: string; workflow: { type: string; key: string } | null; detail: Record<string, unknown> };

const QUIET = { priceChange: 0, quantityChange: 0, backorder: 0, reject: 0, partialShipment: 0, invoicePriceVariance: 0, invoiceQuantityVariance: 0 };

/** A network whose supplier answers in milliseconds, with the 855/810 behaviour a test picks, and a hub wired to it. */
async function procureNetwork(rates: Partial<typeof QUIET>, tune: (c: HubConfigInput) => void = () => {}, connectSupplier = true) {
  const network = await startNetwork({
    seed: SEED, host: '127.0.0.1', erpPaymentDelayMs: 0, supplierRates: { ...QUIET, ...rates },
    supplierDelays: { ack: 10, poAck: 10, shipNotice: 10, invoice: 10, backorder: 20 },
  });
  const q = picks(network);
  const hub = await startTestHub(network, (c, s) => {
    c.masterData = { ...c.masterData!, intervalSeconds: 1 };
    c.inbound = [...(c.inbound ?? []), { kind: 'x12', name: 'supplier', partners: { MEDSUPPLY: q.routine.supplierId! }, facility: q.facility }];
    c.destinations.push(
      { name: 'medsupply', role: 'supplier', kind: 'x12', url: `${s.urls.supplier}/x12`, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLY' } },
      // Named after the source system of its requisitions: their status goes back to it.
      { name: 'procurement', role: 'procurement', url: s.urls.procurement!, ownerRole: 'supply-chain' },
    );
    tune(c);
  });
  if (connectSupplier) network.connectSupplier(`${hub.url}/v1/x12/supplier`, hub.tokens.operator);
  network.connectProcurement(hub.url, hub.tokens.operator);
  return { network, q, hub };
}

async function requisitionAtTool(network: Sims, q: ReturnType<typeof picks>, key: string, quantity = 2): Promise<string> {
  const res = await request(`${network.urls.procurement}/requisitions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ facility: q.facility, requester: 'Dana Whitfield', priority: 'routine', lines: [{ itemId: q.routine.id, quantity, uom: 'EA', locationId: q.location.id }] }),
  });
  assert.equal(res.statusCode, 201);
  return ((await res.body.json()) as Tool).requisitionNumber;
}

const toolView = async (network: Sims, number: string): Promise<Tool> =>
  (await (await request(`${network.urls.procurement}/requisitions/${number}`)).body.json()) as Tool;

const untilTool = (network: Sims, number: string, status: string, timeoutMs = 60_000) =>
  waitFor(`requisition ${number} to be ${status} at the tool`, async () => {
    const t = await toolView(network, number);
    return t.status === status ? t : undefined;
  }, timeoutMs, 100);

const requisitionFlow = (hub: TestHub, number: string) =>
  api<Workflow>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/requisition/${encodeURIComponent(`procurement:${number}:1`)}`);

const purchaseOrder = async (hub: TestHub, n: string) => (await api<Po>(hub, hub.tokens.viewer, 'GET', `/v1/purchase-orders/${n}`)).body;

const openExceptions = async (hub: TestHub, category: string) =>
  (await api<{ data: Exception[] }>(hub, hub.tokens.viewer, 'GET', `/v1/exceptions?status=open&category=${category}`)).body.data;

const decide = (hub: TestHub, type: string, key: string, body: Record<string, unknown>) =>
  api<{ status: string; stage: string }>(hub, hub.tokens.operator, 'POST', `/v1/workflows/${type}/${encodeURIComponent(key)}/decisions`, body);

test('a procurement tool\'s requisition goes all the way: approved, numbered by the ERP, 850/855/856/810, matched, posted, paid', async () => {
  // A second supplier destination that carries another supplier's orders only: this order never goes there.
  const { network, q, hub } = await procureNetwork({}, (c) => c.destinations.push(
    { name: 'other-supplier', role: 'supplier', kind: 'x12', url: 'http://127.0.0.1:9/x12', x12: { receiverId: 'OTHERSUP' }, suppliers: ['SUP-NOBODY'] },
  ));
  try {
    const number = await requisitionAtTool(network, q, 'p2p-happy');
    const tool = await untilTool(network, number, 'paid');
    const seen = tool.history.map((h) => h.status);
    for (const s of ['approved', 'ordered', 'acknowledged', 'shipped', 'received', 'invoiced', 'paid']) assert.ok(seen.includes(s), `the tool heard ${s}: ${seen}`);
    const poNumber = tool.lines[0]!.poNumber!;
    assert.match(poNumber, /^PO-\d+$/, 'the ERP numbered the order');

    const po = await purchaseOrder(hub, poNumber);
    assert.deepEqual([po.status, po.stage], ['completed', 'closed']);
    assert.deepEqual(po.lines.map((l) => [l.received, l.invoiced]), [[2, 2]]);
    assert.deepEqual(po.invoices.map((i) => [i.status, i.match]), [['posted', 'matched']]);
    const docs = new Set(po.documents.map((d) => d.type));
    for (const t of ['po.acknowledged', 'shipment.noticed', 'stock.received', 'invoice.received', 'payment.settled']) assert.ok(docs.has(t), `${t} in ${[...docs]}`);
    const sent = po.deliveries.map((d) => [d.destination, d.action, d.status]);
    assert.ok(!sent.some(([d]) => d === 'other-supplier'), 'a supplier destination carries only the orders of the suppliers it names');
    for (const d of [['erp', 'purchase-order.create', 'delivered'], ['medsupply', 'purchase-order.send', 'delivered'], ['erp', 'ap-invoice.post', 'delivered']]) {
      assert.ok(sent.some((x) => JSON.stringify(x) === JSON.stringify(d)), `${d} in ${JSON.stringify(sent)}`);
    }
    // The ERP's side: one order, committed then consumed by the invoice, and paid.
    const erpPo = (await (await request(`${network.urls.erp}/purchase-orders/${poNumber}`)).body.json()) as { status: string; committed: string; paid: string; invoiced: string };
    assert.equal(erpPo.status, 'invoiced');
    assert.equal(erpPo.committed, '0.00');
    assert.equal(erpPo.paid, erpPo.invoiced);
    // The goods receipt reached the ERP and the inventory system like any receipt.
    assert.ok((await ledger(network, 'erp')).some((e) => e.kind === 'receipt' && (e.body as { poNumber?: string }).poNumber === poNumber));
    const flow = (await requisitionFlow(hub, number)).body;
    assert.equal(flow.status, 'completed');
    // The stored histories replay: each instance's inputs, folded through its definition, give its stored state and effects.
    for (const [type, key] of [['requisition', `procurement:${number}:1`], ['purchase-order', (await api<{ orderKey: string }>(hub, hub.tokens.viewer, 'GET', `/v1/purchase-orders/${poNumber}`)).body.orderKey]]) {
      const stored = (await api<Workflow & { version: number; state: unknown; history: { seq: number; input: WorkflowInput; effects: unknown[] }[] }>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/${type}/${encodeURIComponent(key!)}`)).body;
      const def = definition(type!, stored.version);
      let state = def.initial(key!, (stored.state as { settings: WorkflowSettings }).settings);
      for (const h of stored.history) {
        const step = def.reduce(state, h.input, { type: type!, key: key!, seq: h.seq });
        assert.deepEqual(JSON.parse(JSON.stringify(step.effects)), h.effects, `${type} step ${h.seq} replays to the same effects`);
        state = step.state;
      }
      assert.deepEqual(JSON.parse(JSON.stringify(state)), stored.state, `${type} replays to its stored state`);
    }
  } finally {
    await hub.stop();
    await network.close();
  }
});

test('above the approval limit a person decides: the exception points at the workflow; approve orders it, reject tells the tool', async () => {
  const { network, q, hub } = await procureNetwork({}, (c) => {
    c.thresholds = { ...c.thresholds, autoApproveLimit: 1 };
  });
  try {
    const approveMe = await requisitionAtTool(network, q, 'p2p-approve', 50);
    const rejectMe = await requisitionAtTool(network, q, 'p2p-reject', 50);
    const waiting = await waitFor('two approvals waiting', async () => {
      const xs = await openExceptions(hub, 'approval_required');
      return xs.length === 2 ? xs : undefined;
    }, 20_000);
    const keyOf = (n: string) => `procurement:${n}:1`;
    const forApproval = waiting.find((x) => x.workflow?.key === keyOf(approveMe))!;
    assert.deepEqual(forApproval.workflow, { type: 'requisition', key: keyOf(approveMe) });
    assert.deepEqual(forApproval.detail.decisions, ['approve', 'reject']);
    assert.deepEqual((await requisitionFlow(hub, approveMe)).body.decisions, ['approve', 'reject']);

    const viewer = await api(hub, hub.tokens.viewer, 'POST', `/v1/workflows/requisition/${encodeURIComponent(keyOf(approveMe))}/decisions`, { decision: 'approve' });
    assert.equal(viewer.status, 403, 'a viewer cannot decide');
    const wrong = await decide(hub, 'requisition', keyOf(approveMe), { decision: 'accept-invoice' });
    assert.equal(wrong.status, 409, 'a decision the instance cannot take now is refused');

    assert.equal((await decide(hub, 'requisition', keyOf(approveMe), { decision: 'approve', exceptionId: forApproval.id, reason: 'urgent for OR 3' })).status, 200);
    assert.equal((await decide(hub, 'requisition', keyOf(rejectMe), { decision: 'reject', reason: 'duplicate of PRQ-1' })).status, 200);
    await untilTool(network, approveMe, 'paid');
    const rejected = await untilTool(network, rejectMe, 'rejected', 20_000);
    assert.deepEqual(rejected.lines.map((l) => l.poNumber), [null]);
    assert.deepEqual((await openExceptions(hub, 'approval_required')).filter((x) => x.workflow?.key === keyOf(approveMe)), [], 'the decision resolved its exception');
    const audit = (await api<{ data: { action: string; target: string }[] }>(hub, hub.tokens.admin, 'GET', '/v1/audit?limit=50')).body.data ?? [];
    assert.ok(audit.some((a) => a.action === 'workflow.decide' && a.target === `requisition/${keyOf(rejectMe)}`), 'every decision is audited');
  } finally {
    await hub.stop();
    await network.close();
  }
});

test('a supplier that never acknowledges: supplier_ack_late after the SLA; cancel sends the cancelling 850 and releases the ERP commitment', async () => {
  // The supplier never gets the hub's address, so it never answers; the SLA is about a second.
  const { network, q, hub } = await procureNetwork({}, (c) => {
    c.thresholds = { ...c.thresholds, supplierAckHours: 0.0003 };
  }, false);
  try {
    const number = await requisitionAtTool(network, q, 'p2p-late');
    const late = await waitFor('supplier_ack_late', async () => (await openExceptions(hub, 'supplier_ack_late'))[0], 20_000);
    const po = await purchaseOrder(hub, String(late.detail.poNumber));
    assert.deepEqual(po.decisions, ['ask-again', 'wait', 'cancel']);
    assert.equal((await decide(hub, 'purchase-order', late.workflow!.key, { decision: 'cancel', exceptionId: late.id, reason: 'supplier unreachable' })).status, 200);
    await untilTool(network, number, 'cancelled', 20_000);
    await drained(hub);
    const orders = (await ledger(network, 'supplier')).filter((e) => (e.body as { poNumber?: string }).poNumber === po.poNumber).map((e) => e.kind);
    assert.deepEqual(orders, ['order', 'cancel'], 'the supplier got the order, then its cancellation');
    const erpPo = (await (await request(`${network.urls.erp}/purchase-orders/${po.poNumber}`)).body.json()) as { status: string; committed: string };
    assert.deepEqual([erpPo.status, erpPo.committed], ['cancelled', '0.00'], 'the commitment is released');
    assert.equal((await purchaseOrder(hub, po.poNumber)).status, 'cancelled');
  } finally {
    await hub.stop();
    await network.close();
  }
});

test('an invoice priced above the order is an invoice_mismatch shown side by side; accepting it posts it and the order closes once paid', async () => {
  const { network, q, hub } = await procureNetwork({ invoicePriceVariance: 1 }, (c) => {
    c.thresholds = { ...c.thresholds, matchTolerancePercent: 1, matchToleranceAmount: 0 };
  });
  try {
    const number = await requisitionAtTool(network, q, 'p2p-mismatch');
    const x = await waitFor('invoice_mismatch', async () => (await openExceptions(hub, 'invoice_mismatch'))[0], 30_000);
    const lines = x.detail.lines as { verdict: string; po: { unitPrice: string }; invoice: { unitPrice: string }; received: number }[];
    assert.equal(lines[0]!.verdict, 'price');
    assert.notEqual(lines[0]!.invoice.unitPrice, lines[0]!.po.unitPrice);
    assert.equal(lines[0]!.received, 2, 'the receipt is beside PO and invoice');
    const poNumber = String(x.detail.poNumber);
    assert.ok((await purchaseOrder(hub, poNumber)).decisions.includes('accept-invoice'));
    assert.equal((await decide(hub, 'purchase-order', x.workflow!.key, { decision: 'accept-invoice', exceptionId: x.id, reason: 'freight included' })).status, 200);
    await untilTool(network, number, 'paid');
    assert.deepEqual((await purchaseOrder(hub, poNumber)).invoices.map((i) => i.status), ['posted']);
  } finally {
    await hub.stop();
    await network.close();
  }
});

test('a restart in the middle loses nothing: an order waiting for its consolidation timer goes out once after the hub comes back', async () => {
  const { network, q, hub: first } = await procureNetwork({}, (c) => {
    c.thresholds = { ...c.thresholds, poConsolidationMinutes: 0.03 }; // about two seconds
  });
  let hub = first;
  try {
    const a = await requisitionAtTool(network, q, 'p2p-restart-a', 1);
    const b = await requisitionAtTool(network, q, 'p2p-restart-b', 3);
    const gathering = await waitFor('both lines on one gathering order', async () => {
      const list = (await api<{ data: Workflow[] }>(hub, hub.tokens.viewer, 'GET', '/v1/workflows?type=purchase-order&stage=gathering')).body.data;
      return list.length === 1 && list[0]!.steps >= 2 ? list[0] : undefined;
    }, 20_000);
    hub = await restartTestHub(hub);
    network.connectSupplier(`${hub.url}/v1/x12/supplier`, hub.tokens.operator);
    network.connectProcurement(hub.url, hub.tokens.operator);
    const [ta, tb] = [await untilTool(network, a, 'paid'), await untilTool(network, b, 'paid')];
    assert.equal(ta.lines[0]!.poNumber, tb.lines[0]!.poNumber, 'one consolidated order for both lines');
    const detail = (await api<Workflow>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/purchase-order/${gathering.key}`)).body;
    assert.equal(detail.history.filter((h) => h.input.kind === 'timer').length, 1, 'the consolidation timer fired once');
    const orders = (await ledger(network, 'supplier')).filter((e) => e.kind === 'order');
    assert.equal(orders.length, 1, 'one 850');
  } finally {
    await hub.stop();
    await network.close();
  }
});

test('a consigned implant used in a case is bought after the fact: a bill-only PO with case, patient token, lot and serial, invoiced, matched, paid', async () => {
  const { network, q, hub } = await procureNetwork({});
  try {
    const use = used('p2p-bill-only', { item: q.consignedImplant.id, location: q.location.id, facility: q.facility, encounter: 'ENC-8800001', mrn: 'MRN00880001', lot: 'LOT-CN-1', serial: 'SN-CN-1', caseId: 'CASE-CN-1' });
    const res = await api<{ results: { id: string; status: string }[] }>(hub, hub.tokens.operator, 'POST', '/v1/events', [use]);
    assert.equal(res.body.results[0]!.status, 'accepted');
    const useId = res.body.results[0]!.id;
    const poNumber = await waitFor('the bill-only PO number', async () =>
      (await api<{ state?: { poNumber: string | null } }>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/requisition/bill-only:${useId}`)).body.state?.poNumber ?? undefined, 20_000);
    const po = await waitFor('the bill-only PO to close', async () => {
      const v = await purchaseOrder(hub, poNumber);
      return v.status === 'completed' ? v : undefined;
    }, 60_000);
    assert.deepEqual(po.invoices.map((i) => [i.status, i.match]), [['posted', 'matched']]);
    assert.ok(!po.documents.some((d) => d.type === 'stock.received'), 'the implant is in the patient: nothing is received into stock');
    // What the supplier got: one order for the implant, marked bill-only, with the token and never the MRN.
    const { poKey } = (await api<{ state: { poKey: string } }>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/requisition/bill-only:${useId}`)).body.state;
    type Line = { billOnly: { caseId: string; patient: string; lot: string; serial: string } };
    const detail = (await api<{ state: { lines: Line[] } }>(hub, hub.tokens.viewer, 'GET', `/v1/workflows/purchase-order/${poKey}`)).body;
    const billOnly = detail.state.lines[0]!.billOnly;
    assert.deepEqual([billOnly.caseId, billOnly.lot, billOnly.serial], ['CASE-CN-1', 'LOT-CN-1', 'SN-CN-1']);
    assert.match(billOnly.patient, /^pt_/);
    const erpPo = (await (await request(`${network.urls.erp}/purchase-orders/${poNumber}`)).body.json()) as { billOnly: boolean; status: string };
    assert.deepEqual([erpPo.billOnly, erpPo.status], [true, 'invoiced']);
    // The ERP gets no stock issue for a rep's implant; billing gets the patient's charge as for any implant.
    const erp = await ledger(network, 'erp');
    assert.ok(!erp.some((e) => e.kind === 'issue' && e.body.reference?.eventId === useId), 'no inventory issue for consigned stock');
    await drained(hub);
    assert.ok((await ledger(network, 'billing')).some((e) => e.body.reference?.eventId === useId), 'the charge went to billing');
  } finally {
    await hub.stop();
    await network.close();
  }
});
