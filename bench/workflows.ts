// The workflow part of the benchmark, in this process against the real store (SQLite, WAL, synchronous=FULL):
//  1. purchase orders driven through the whole procure-to-pay path: requisition → approval → order → the ERP's
//     number (the delivery outcome) → 850 → 855 → 856 (→ goods receipt through its own flow) → 810 → three-way
//     match → AP posting (its outcome) → payment → closed. Every input goes through the pipeline or the engine
//     exactly as in the hub, in batches as a busy hub commits them; only the network is left out (outcomes are
//     fed as the dispatcher would record them), so the figure is the workflow layer's own cost.
//  2. timers: many instances whose timer falls due at one instant; how long after that instant the last fired
//     (each firing is a real step: the reducer raises supplier_ack_late and the exception is written).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PRIORITIES, type Delivery } from '../src/core/types.ts';
import { demoConfig } from '../src/cli/demo.ts';
import { parseConfig } from '../src/config/load.ts';
import { thresholdsFor } from '../src/config/routes.ts';
import { createPipeline, workflowSettingsOf } from '../src/engine/pipeline.ts';
import { startTimerLoop } from '../src/engine/timers.ts';
import type { Committed } from '../src/engine/workflows.ts';
import type { InboundEventT } from '../src/model/events.ts';
import { createPhiVault, newKey, parseKey } from '../src/security/phi.ts';
import { openSqliteStore } from '../src/store/sqlite/store.ts';
import type { Network } from '../sim/network/types.ts';
import { purchaseOrderWorkflow, type PoState } from '../src/workflows/purchase-order.ts';
import { snapshotOf } from './masterdata.ts';

const BATCH = 200; // events per message, outcomes per commit

export async function purchaseOrderPath(network: Network, orders: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-wf-'));
  const store = openSqliteStore({ path: join(dir, 'tendon.db') });
  try {
    // Nothing listens at these addresses: nothing is sent, the deliveries are only planned and stored.
    const input = demoConfig(dir, '127.0.0.1', 0, newKey(), { erp: 'http://127.0.0.1:9', inventory: 'http://127.0.0.1:9', billing: 'http://127.0.0.1:9' });
    input.destinations.push({ name: 'supplier', role: 'supplier', kind: 'x12', url: 'http://127.0.0.1:9/x12', x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLY' } });
    const config = parseConfig({ ...input, thresholds: { autoApproveLimit: 1e12 } });
    const made: Delivery[] = [];
    const snapshot = snapshotOf(network);
    const pipeline = createPipeline({
      store, vault: createPhiVault(parseKey(newKey())), snapshot: () => snapshot, destinations: config.destinations,
      thresholds: thresholdsFor(config), onCommitted: (deliveries) => made.push(...deliveries),
    });
    const lines = orderLines(network, snapshot, orders);
    const ingest = async (events: InboundEventT[]) => {
      for (let i = 0; i < events.length; i += BATCH) {
        await pipeline.ingest({ channel: 'bench', sourceSystem: 'bench', sourceId: null, contentType: 'application/json', raw: new Uint8Array(64), events: events.slice(i, i + BATCH) });
      }
    };
    /** The dispatcher's part: each delivery of `action` landed; the ERP's answers carry its PO number. */
    const landed = async (action: string, ref: (d: Delivery) => string | null) => {
      const todo = made.filter((d) => d.action === action);
      made.length = 0;
      for (let i = 0; i < todo.length; i += BATCH) {
        const out: Committed = { deliveries: [], events: [] };
        await store.write((tx) => pipeline.workflows.outcomes(tx, todo.slice(i, i + BATCH).map((d) => ({ deliveryId: d.id, status: 'delivered', remoteRef: ref(d), reason: null })), new Date().toISOString(), out));
        made.push(...out.deliveries);
      }
      return todo;
    };
    const at = new Date().toISOString();
    const doc = (type: InboundEventT['type'], key: string, facility: string, payload: Record<string, unknown>): InboundEventT =>
      ({ type, schemaVersion: 1, idempotencyKey: key, occurredAt: at, facility, source: { system: 'bench' }, payload });

    const started = performance.now();
    await ingest(lines.map((l, n) => doc('requisition.created', `REQ-${n}`, l.facility, {
      item: { system: 'erp', code: l.itemId }, quantity: { value: l.quantity, unit: 'EA' }, location: l.location, priority: 'routine', requisitionNumber: `REQ-${n}`,
    })));
    const erpOrders = await landed('purchase-order.create', (d) => `PO-${String(d.body.orderId)}`);
    if (erpOrders.length !== orders) throw new Error(`${erpOrders.length} of ${orders} orders reached the ERP step`);
    const poOf = (n: number) => `PO-${String(erpOrders[n]!.body.orderId)}`;
    const item = (n: number) => ({ line: '1', item: { system: 'erp', code: lines[n]!.itemId }, quantity: { value: lines[n]!.quantity, unit: 'EA' } });
    const price = (n: number) => ({ amount: String((erpOrders[n]!.body.lines as { unitPrice: string }[])[0]!.unitPrice), currency: 'USD' });
    const supplier = (n: number) => String(erpOrders[n]!.body.supplierId);
    const facility = (n: number) => String(erpOrders[n]!.body.facilityId);
    await ingest(erpOrders.map((_, n) => doc('po.acknowledged', `855-${n}`, facility(n), {
      poNumber: poOf(n), supplierId: supplier(n), status: 'accepted', lines: [{ ...item(n), status: 'accepted', unitPrice: price(n) }],
    })));
    await ingest(erpOrders.map((_, n) => doc('shipment.noticed', `856-${n}`, facility(n), {
      shipmentId: `SH-${n}`, poNumber: poOf(n), supplierId: supplier(n), lines: [{ ...item(n), lot: `L${n}` }],
    })));
    await ingest(erpOrders.map((_, n) => doc('invoice.received', `810-${n}`, facility(n), {
      invoiceNumber: `INV-${n}`, invoiceDate: at.slice(0, 10), poNumber: poOf(n), supplierId: supplier(n), kind: 'invoice',
      total: price(n), lines: [{ ...item(n), unitPrice: price(n) }],
    })));
    const postings = await landed('ap-invoice.post', (d) => `AP-${String(d.body.invoiceNumber)}`);
    await ingest(postings.map((d, n) => doc('payment.settled', `PAY-${n}`, 'network', {
      paymentId: `PAY-${n}`, invoiceNumber: String(d.body.invoiceNumber), poNumber: String(d.body.poNumber), supplierId: String(d.body.supplierId),
      amount: { amount: String(d.body.amount), currency: 'USD' }, paidAt: at,
    })));
    const seconds = (performance.now() - started) / 1000;
    const closed = (await store.listWorkflows({ type: 'purchase-order', status: 'completed', limit: orders + 1 })).length;
    const steps = (await store.listWorkflows({ limit: 10 * orders })).reduce((n, w) => n + w.steps, 0);
    return { orders, closed, seconds: +seconds.toFixed(2), ordersPerSecond: Math.round(closed / seconds), workflowStepsPerSecond: Math.round(steps / seconds) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Requisition lines the network can order: an active item with a supplier and a contract price, at a par location. */
function orderLines(network: Network, snapshot: ReturnType<typeof snapshotOf>, count: number) {
  const items = network.master.items.filter((i) => i.status === 'active' && i.supplierId && snapshot.prices.has(i.id) && !i.implant);
  const locations = network.master.locations.filter((l) => snapshot.costCenters.get(snapshot.departments.get(l.departmentId)?.costCenterId ?? '')?.status === 'active');
  return Array.from({ length: count }, (_, n) => {
    const location = locations[n % locations.length]!;
    return { itemId: items[(n * 7) % items.length]!.id, location: location.id, facility: location.facilityId, quantity: 1 + (n % 5) };
  });
}

/**
 * `count` instances awaiting their 855, their ack-due timers falling due evenly over `spreadSeconds` (a busy network's
 * SLA clocks: thousands a second). Lateness is when the step ran (its input's time) after its timer's due time; the
 * longest commit of a firing batch is reported beside it, as the bound on what that leaves out.
 */
export async function timerFiring(count: number, spreadSeconds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-timers-'));
  const store = openSqliteStore({ path: join(dir, 'tendon.db') });
  try {
    const at = new Date().toISOString();
    const state: PoState = { ...purchaseOrderWorkflow.initial('x', workflowSettingsOf()), phase: 'awaiting-ack', facility: 'FAC-A', supplierId: 'SUP-0001', poNumber: 'PO-1' };
    // One event every instance can point at as its origin (the rows a real instance would have).
    await store.write(async (tx) => {
      await tx.insertMessage({ id: 'bench-message', channel: 'bench', sourceSystem: 'bench', sourceId: null, contentType: 'application/json', receivedAt: at, raw: new Uint8Array(1), error: null });
      await tx.insertEvent({
        id: 'bench-origin', type: 'requisition.created', schemaVersion: 1, messageId: 'bench-message', sourceSystem: 'bench', idempotencyKey: 'origin',
        correlationId: 'bench', causationId: null, partitionKey: 'p', priority: PRIORITIES.normal, facility: 'FAC-A', occurredAt: at, recordedAt: at,
        revision: 1, revisionOf: null, status: 'accepted', payload: {},
      });
    });
    const keyOf = (n: number) => `T${String(n).padStart(21, '0')}`;
    const start = Date.now() + 2000 + Math.ceil(count / 10_000) * 1000; // after the setup below
    const dueOf = (n: number) => start + Math.floor((n * spreadSeconds * 1000) / count);
    for (let i = 0; i < count; i += 5000) {
      await store.write(async (tx) => {
        for (let n = i; n < Math.min(count, i + 5000); n++) {
          const key = keyOf(n);
          await tx.saveWorkflow({ type: 'purchase-order', key, version: 1, status: 'running', stage: 'awaiting-ack', facility: 'FAC-A', correlationId: key, originEventId: 'bench-origin', state: { ...state, poNumber: `PO-${n}` }, steps: 1, createdAt: at, updatedAt: at },
            { seq: 1, version: 1, at, input: { kind: 'signal' }, effects: [] });
          await tx.setTimer({ type: 'purchase-order', key, name: 'ack-due', dueAt: dueOf(n) });
        }
      });
    }
    if (Date.now() >= start) throw new Error('the setup took longer than the lead time');
    const pipeline = createPipeline({ store, vault: createPhiVault(parseKey(newKey())), snapshot: () => snapshotOf({ master: {} } as Network), destinations: [], onCommitted: () => {} });
    let longestCommitMs = 0;
    const timed = { ...store, write: async <T>(job: Parameters<typeof store.write<T>>[0]) => {
      const t = performance.now();
      try {
        return await store.write(job);
      } finally {
        longestCommitMs = Math.max(longestCommitMs, performance.now() - t);
      }
    } };
    const loop = startTimerLoop({ store: timed, engine: () => pipeline.workflows, log: pino({ level: 'warn' }), onCommitted: () => {} });
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      if (Date.now() >= dueOf(count - 1) && (await store.nextTimerDue()) === null) break;
    }
    await loop.stop();
    const late: number[] = [];
    for (const w of await store.listWorkflows({ type: 'purchase-order', limit: count })) late.push(Date.parse(w.updatedAt) - dueOf(Number(w.key.slice(1))));
    late.sort((a, b) => a - b);
    const raised = (await store.countExceptions({ status: 'open', category: 'supplier_ack_late' }, 'category'))[0]?.count ?? 0;
    return {
      timers: count, spreadSeconds, fired: raised, early: late.filter((l) => l < 0).length,
      latenessMs: { p50: late[Math.floor(late.length / 2)], p99: late[Math.floor(late.length * 0.99)], max: late.at(-1) },
      withinOneSecond: late.filter((l) => l <= 1000).length, longestCommitMs: Math.round(longestCommitMs),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
