// The ERP's procurement finance over HTTP, driven by the hub's procure-to-pay workflow: purchase orders (numbered
// here, committing budget), their cancellation, AP invoices and credits (committed → consumed), the payments that
// follow invoices, and views of a PO, a budget and a PO's money trail. The rules are in purchasing.ts; this file
// reads and writes the store. Everything lives in the SimStore, so a state file keeps it across restarts.
import Big from 'big.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkEffect, recordEffect, reverseEffect, type EffectRecord, type EffectSpec } from '../common/effects.ts';
import { idempotentPost, parseQuery } from '../common/http.ts';
import { notFound, refuse } from '../common/problem.ts';
import type { SimStore } from '../common/store.ts';
import { compareRecords, pageOf, pageQuery, type MasterRecord } from './master.ts';
import {
  budgetView,
  isPaid,
  money,
  paymentIdOf,
  paymentOf,
  planApPosting,
  planApReversal,
  planCancellation,
  planPurchaseOrder,
  poStatus,
  poTotals,
  type ApExtra,
  type ApRecord,
  type BudgetMove,
  type BudgetRecord,
  type FindBudget,
  type Payment,
  type PoExtra,
  type PurchaseOrderRecord,
} from './purchasing.ts';
import type { Lookup } from './rules.ts';
import { apInvoiceSchema, purchaseOrderSchema, type ApInvoice, type PurchaseOrder } from './schemas.ts';

export type PurchasingDeps = {
  lookup: Lookup;
  /** Writes budget records through the master-data path, stamping a new updatedAt so incremental pulls see them. */
  saveBudgets: (budgets: BudgetRecord[]) => void;
  paymentDelayMs: number;
  now?: () => number;
};

const PO = 'purchase-orders';
const AP = 'ap-invoices';
/** (supplier, kind, invoice number) → the AP posting that holds it, to refuse a duplicate. */
const AP_KEYS = 'ap-invoice-keys';

export function registerPurchasing(app: FastifyInstance, store: SimStore, deps: PurchasingDeps): void {
  const now = deps.now ?? Date.now;
  // A handful of cost centers per document against a few hundred budgets: a scan is plenty.
  const findBudget: FindBudget = (costCenterId, period) =>
    store.all<BudgetRecord>('budgets').find((b) => b.costCenterId === costCenterId && b.period === period);
  const purchaseOrder = (poNumber: string): PurchaseOrderRecord | undefined => store.get<PurchaseOrderRecord>(PO, poNumber);
  const savePoLines = (po: PurchaseOrderRecord, lines: PoExtra['lines']): void =>
    store.put(PO, po.id, { ...po, extra: { ...(po.extra as PoExtra), lines } });
  const apPostings = (po: PurchaseOrderRecord): ApRecord[] =>
    (po.extra as PoExtra).apInvoices.map((id) => store.get<ApRecord>(AP, id) as ApRecord);
  const apKey = (ap: ApInvoice): string => `${ap.supplierId}|${ap.kind}|${ap.invoiceNumber}`;

  const purchaseOrders: EffectSpec<PurchaseOrder> = {
    path: '/purchase-orders',
    coll: PO,
    noun: 'purchase order',
    prefix: 'PO', // the record id is the PO number
    schema: purchaseOrderSchema,
    kind: () => 'purchase-order',
    apply: (po) => {
      const plan = planPurchaseOrder(deps.lookup, findBudget, po);
      deps.saveBudgets(plan.budgets);
      const { amount, committed } = poTotals(plan.extra);
      return { extra: plan.extra, response: { status: 'open', period: plan.extra.period, amount, committed, commitments: plan.extra.commitments } };
    },
    // The reversal of a PO is its cancellation. reverseEffect stores `record` afterwards: change it in place.
    reverse: (record) => {
      const plan = planCancellation(record.id, record.extra as PoExtra, findBudget);
      deps.saveBudgets(plan.budgets);
      record.extra = plan.extra;
      return { poNumber: record.id, status: 'cancelled', released: releasedOf(plan.extra.releases), releases: plan.extra.releases };
    },
  };

  const apInvoices: EffectSpec<ApInvoice> = {
    path: '/ap-invoices',
    coll: AP,
    noun: 'AP invoice',
    prefix: 'AP',
    schema: apInvoiceSchema,
    kind: (ap) => `ap-${ap.kind}`,
    apply: (ap) => {
      const prior = store.get<{ apInvoiceId: string }>(AP_KEYS, apKey(ap));
      const priorRecord = prior && store.get<ApRecord>(AP, prior.apInvoiceId);
      if (priorRecord && priorRecord.reversalId === null) {
        throw refuse(`${ap.kind} ${ap.invoiceNumber} of supplier ${ap.supplierId} is already posted as ${priorRecord.id}`);
      }
      const po = purchaseOrder(ap.poNumber);
      if (!po) throw refuse(`unknown purchase order ${ap.poNumber}`);
      const plan = planApPosting(po, ap, findBudget);
      deps.saveBudgets(plan.budgets);
      savePoLines(po, plan.lines);
      const extra: ApExtra = { poNumber: po.id, period: (po.extra as PoExtra).period, lineMoves: plan.lineMoves, moves: plan.moves, paymentDueAt: null };
      return { extra };
    },
    after: (record) => {
      // Due counted from the posting's own ledger time, and kept: a restart with another delay moves no payment.
      // Credits are not paid: they lower what is owed to the supplier.
      const extra = record.extra as ApExtra;
      if (record.body.kind === 'invoice') extra.paymentDueAt = new Date(Date.parse(record.at) + deps.paymentDelayMs).toISOString();
      store.put(AP, record.id, record);
      store.put(AP_KEYS, apKey(record.body), { apInvoiceId: record.id });
      const po = purchaseOrder(extra.poNumber) as PurchaseOrderRecord;
      const poExtra = po.extra as PoExtra;
      store.put(PO, po.id, { ...po, extra: { ...poExtra, apInvoices: [...poExtra.apInvoices, record.id] } });
    },
    reverse: (record) => {
      const extra = record.extra as ApExtra;
      const po = purchaseOrder(extra.poNumber) as PurchaseOrderRecord;
      const plan = planApReversal(po, record, findBudget, now());
      deps.saveBudgets(plan.budgets);
      savePoLines(po, plan.lines);
      record.extra = { ...extra, reversalMoves: plan.moves };
      return { poNumber: po.id, budgets: plan.moves };
    },
  };

  effectRoutes(app, store, purchaseOrders, (record, answer) => ({ ...answer, poNumber: record.id }));
  effectRoutes(app, store, apInvoices, (record, answer) => {
    const extra = record.extra as ApExtra;
    const invoice = record.body.kind === 'invoice';
    return {
      ...answer,
      poNumber: extra.poNumber,
      kind: record.body.kind,
      amount: record.body.amount,
      poStatus: poStatus(purchaseOrder(extra.poNumber)?.extra as PoExtra),
      budgets: extra.moves,
      paymentId: invoice ? paymentIdOf(record.id) : null,
      paymentDueAt: extra.paymentDueAt,
    };
  });

  /** Payments made so far, sorted for paging like master data (updatedAt = paidAt, then id). */
  const payments = (): Payment[] => {
    const nowMs = now();
    const made: Payment[] = [];
    for (const ap of store.all<ApRecord>(AP)) {
      const payment = paymentOf(ap, nowMs);
      if (payment) made.push(payment);
    }
    return made.sort((a, b) => compareRecords(a as MasterRecord, b as MasterRecord));
  };

  // Static routes win over /api/:entity in fastify's router, so payments are not taken for an unknown entity.
  app.get('/api/payments', async (req) => pageOf(payments() as unknown as MasterRecord[], parseQuery(pageQuery, req.query)));
  app.get('/api/payments/:id', async (req) => {
    const { id } = req.params as { id: string };
    const ap = store.get<ApRecord>(AP, id.replace(/^PAY-/, 'AP-'));
    const payment = id.startsWith('PAY-') && ap ? paymentOf(ap, now()) : null;
    if (!payment) throw notFound(`no payment ${id}`);
    return payment;
  });

  app.get('/purchase-orders/:poNumber', async (req) => {
    const { poNumber } = req.params as { poNumber: string };
    const po = purchaseOrder(poNumber);
    if (!po) throw notFound(`no purchase order ${poNumber}`);
    return purchaseOrderView(po, apPostings(po), now());
  });

  app.get('/ap-invoices/:id', async (req) => {
    const { id } = req.params as { id: string };
    const ap = store.get<ApRecord>(AP, id);
    if (!ap) throw notFound(`no AP invoice ${id}`);
    const extra = ap.extra as ApExtra;
    return {
      id: ap.id, ...ap.body, postedAt: ap.at, reversedBy: ap.reversalId, budgets: extra.moves,
      paymentId: ap.body.kind === 'invoice' ? paymentIdOf(ap.id) : null, paymentDueAt: extra.paymentDueAt,
      paid: ap.reversalId === null && isPaid(extra.paymentDueAt, now()),
    };
  });

  app.get('/budgets/:costCenterId/:period', async (req) => {
    const { costCenterId, period } = req.params as { costCenterId: string; period: string };
    const budget = findBudget(costCenterId, period);
    if (!budget) throw notFound(`no budget for ${costCenterId} in ${period}`);
    return budgetView(budget);
  });

  const ledgerQuery = z.object({ poNumber: z.string().min(1) });
  app.get('/ledger', async (req) => {
    const { poNumber } = parseQuery(ledgerQuery, req.query);
    const po = purchaseOrder(poNumber);
    if (!po) throw notFound(`no purchase order ${poNumber}`);
    return { poNumber, entries: moneyTrail(store, po, apPostings(po), now()) };
  });

}

/**
 * effectCollection's two routes (the POST and its reversal), with an answer that can name the new record: the
 * id (the PO number, the payment it will get) is only known once the effect is recorded.
 */
function effectRoutes<B>(
  app: FastifyInstance,
  store: SimStore,
  spec: EffectSpec<B>,
  answer: (record: EffectRecord<B>, recorded: Record<string, unknown>) => Record<string, unknown>,
): void {
  idempotentPost(app, store, spec.path, (req, idempotencyKey) => {
    const recorded = recordEffect(store, spec, checkEffect(spec, req.body), idempotencyKey);
    return { body: answer(store.get<EffectRecord<B>>(spec.coll, String(recorded.id)) as EffectRecord<B>, recorded) };
  });
  idempotentPost(app, store, `${spec.path}/:id/reversal`, (req, idempotencyKey) => {
    const { id } = req.params as { id: string };
    return { body: reverseEffect(store, spec, id, idempotencyKey, req.body ?? {}) };
  });
}

/** What a cancellation gave back to the budgets (its moves lower `committed`). */
function releasedOf(moves: BudgetMove[]): string {
  return money(moves.reduce((acc, m) => acc.minus(m.committed), new Big(0)));
}

function purchaseOrderView(po: PurchaseOrderRecord, postings: ApRecord[], nowMs: number): Record<string, unknown> {
  const extra = po.extra as PoExtra;
  const paid = postings.map((ap) => paymentOf(ap, nowMs)).filter((p): p is Payment => p !== null);
  return {
    poNumber: po.id,
    orderId: po.body.orderId,
    status: poStatus(extra),
    supplierId: po.body.supplierId,
    facilityId: po.body.facilityId,
    orderDate: po.body.orderDate,
    period: extra.period,
    currency: po.body.currency,
    priority: po.body.priority,
    billOnly: po.body.billOnly ?? false,
    ...poTotals(extra),
    paid: money(paid.reduce((acc, p) => acc.plus(p.amount), new Big(0))),
    lines: po.body.lines.map((l) => {
      const state = extra.lines.find((s) => s.line === l.line);
      return {
        line: l.line, itemId: l.itemId, quantity: l.quantity, uom: l.uom, unitPrice: l.unitPrice, costCenterId: l.costCenterId,
        locationId: l.locationId ?? null, requisitionNumber: l.requisitionNumber ?? null,
        amount: state?.amount, committed: state?.committed, invoiced: state?.invoiced,
      };
    }),
    apInvoices: postings.filter((ap) => ap.reversalId === null).map((ap) => ap.id),
    payments: paid.map((p) => p.id),
    createdAt: po.at,
    cancelledBy: po.reversalId,
    reference: po.body.reference ?? null,
  };
}

type TrailEntry = { seq: number | null; at: string; kind: string; id: string; [field: string]: unknown };

/**
 * A PO's money trail in order: its commitment, each AP posting (and reversal), each payment, its release on
 * cancellation. Built from the store's ledger (time and sequence) and the records (what moved on which budget);
 * payments are derived, so they take their paidAt as their time and have no sequence number.
 */
function moneyTrail(store: SimStore, po: PurchaseOrderRecord, postings: ApRecord[], nowMs: number): TrailEntry[] {
  const extra = po.extra as PoExtra;
  const byId = new Map<string, (seq: number, at: string) => TrailEntry>();
  byId.set(po.id, (seq, at) => ({ seq, at, kind: 'commitment', id: po.id, amount: poTotals(extra).amount, budgets: extra.commitments }));
  byId.set(`${po.id}-R`, (seq, at) => ({ seq, at, kind: 'release', id: `${po.id}-R`, amount: releasedOf(extra.releases), budgets: extra.releases }));
  for (const ap of postings) {
    const apExtra = ap.extra as ApExtra;
    const about = { apInvoiceId: ap.id, document: ap.body.kind, invoiceNumber: ap.body.invoiceNumber, amount: ap.body.amount };
    byId.set(ap.id, (seq, at) => ({ seq, at, kind: 'ap-posting', id: ap.id, ...about, budgets: apExtra.moves }));
    byId.set(`${ap.id}-R`, (seq, at) => ({ seq, at, kind: 'ap-reversal', id: `${ap.id}-R`, ...about, budgets: apExtra.reversalMoves ?? [] }));
  }
  const recorded: TrailEntry[] = [];
  for (const e of store.ledger()) {
    const make = byId.get(e.id);
    if (make) recorded.push(make(e.seq, e.at));
  }
  const payments: TrailEntry[] = postings
    .map((ap) => paymentOf(ap, nowMs))
    .filter((p): p is Payment => p !== null)
    .sort((a, b) => (a.paidAt < b.paidAt ? -1 : a.paidAt > b.paidAt ? 1 : 0))
    .map((p) => ({ seq: null, at: p.paidAt, kind: 'payment', id: p.id, apInvoiceId: p.apInvoiceId, amount: p.amount }));
  // The ledger's own order stands; each payment goes after everything recorded up to its paidAt.
  const entries: TrailEntry[] = [];
  for (const entry of recorded) {
    while (payments.length > 0 && (payments[0] as TrailEntry).at < entry.at) entries.push(payments.shift() as TrailEntry);
    entries.push(entry);
  }
  return [...entries, ...payments];
}
