// The ERP's procurement finance rules, as pure functions over record lookups: what a purchase order commits
// of its cost centers' monthly budgets, what a cancellation releases, how an AP invoice moves money from
// committed to consumed (and a credit takes it back out of consumed), and when a posted invoice is paid.
// Each plan either refuses (a 422 naming the code and the amounts, before anything is changed) or returns
// the new records; sim/erp/purchasing-api.ts writes them. Money is big.js, kept as 2-decimal strings.
import Big from 'big.js';
import type { EffectRecord } from '../common/effects.ts';
import { refuse } from '../common/problem.ts';
import type { Budget, CostCenter, Facility, Item, Supplier } from '../network/types.ts';
import type { Lookup } from './rules.ts';
import type { ApInvoice, PurchaseOrder } from './schemas.ts';

/** How long after its posting a supplier invoice is paid, unless ErpOptions.paymentDelayMs says otherwise. */
export const DEFAULT_PAYMENT_DELAY_MS = 30_000;

/** A budget as the ERP keeps it once procurement touches it: `committed` is absent (0) on seeded records. */
export type BudgetRecord = Budget & { committed?: string };
export type FindBudget = (costCenterId: string, period: string) => BudgetRecord | undefined;

/** One budget's change by one posting, as signed amounts: the ledger view shows these. */
export type BudgetMove = { budgetId: string; costCenterId: string; period: string; committed: string; consumed: string };

/** A PO line's money: `amount` ordered (quantity × unit price), what is still `committed`, what is `invoiced` net of
 *  credits, and `invoicedGross` (invoices only), which alone decides the commitment: committed = max(0, amount − gross). */
export type PoLineState = {
  line: string;
  itemId: string;
  costCenterId: string;
  amount: string;
  committed: string;
  invoiced: string;
  invoicedGross: string;
};

/** What the ERP keeps with a purchase order (EffectRecord.extra). */
export type PoExtra = {
  status: 'open' | 'cancelled';
  /** The budget month (YYYY-MM of the order date) every money movement of this PO is booked to. */
  period: string;
  lines: PoLineState[];
  commitments: BudgetMove[];
  releases: BudgetMove[];
  apInvoices: string[];
};
export type PoStatus = 'open' | 'partially-invoiced' | 'invoiced' | 'cancelled';

/** One AP line's effect on its PO line: `invoiced` (signed) and `released`, what left the commitment. */
export type ApLineMove = { line: string; invoiced: string; released: string };

/** What the ERP keeps with an AP posting (EffectRecord.extra). */
export type ApExtra = {
  poNumber: string;
  period: string;
  lineMoves: ApLineMove[];
  moves: BudgetMove[];
  /** When the invoice is paid (posted at + the payment delay); null for a credit, which is never paid. */
  paymentDueAt: string | null;
  reversalMoves?: BudgetMove[];
};

export type Payment = {
  id: string;
  apInvoiceId: string;
  invoiceNumber: string;
  poNumber: string;
  supplierId: string;
  amount: string;
  currency: string;
  paidAt: string;
  updatedAt: string;
};

export type PurchaseOrderRecord = EffectRecord<PurchaseOrder>;
export type ApRecord = EffectRecord<ApInvoice>;

const big = (value: string | undefined): Big => new Big(value ?? '0');

/** Two decimals, half up; never "-0.00". */
export function money(value: Big): string {
  return value.eq(0) ? '0.00' : value.toFixed(2);
}

const max0 = (value: Big): Big => (value.lt(0) ? new Big(0) : value);

export function lineTotal(quantity: number, unitPrice: string): string {
  return money(new Big(quantity).times(unitPrice));
}

/** What is left to spend: amount − consumed − committed (negative when over). */
export function available(budget: BudgetRecord): Big {
  return big(budget.amount).minus(big(budget.consumed)).minus(big(budget.committed));
}

export function budgetView(budget: BudgetRecord): Record<string, unknown> {
  return {
    budgetId: budget.id,
    costCenterId: budget.costCenterId,
    period: budget.period,
    currency: budget.currency,
    amount: budget.amount,
    consumed: budget.consumed,
    committed: money(big(budget.committed)),
    available: money(available(budget)),
    updatedAt: budget.updatedAt,
  };
}

type Delta = { committed: Big; consumed: Big };

/**
 * Applies per-cost-center deltas to the budgets of one period. Refuses a cost center without a budget for it.
 * A commitment never goes below zero (an admin may have edited it meanwhile); the recorded move is what was applied.
 */
function moveBudgets(find: FindBudget, period: string, deltas: Map<string, Delta>): { budgets: BudgetRecord[]; moves: BudgetMove[] } {
  const budgets: BudgetRecord[] = [];
  const moves: BudgetMove[] = [];
  for (const [costCenterId, delta] of deltas) {
    if (delta.committed.eq(0) && delta.consumed.eq(0)) continue;
    const budget = find(costCenterId, period);
    if (!budget) throw refuse(`no budget for ${costCenterId} in ${period}`);
    const before = big(budget.committed);
    const committed = max0(before.plus(delta.committed));
    budgets.push({ ...budget, committed: money(committed), consumed: money(big(budget.consumed).plus(delta.consumed)) });
    moves.push({ budgetId: budget.id, costCenterId, period, committed: money(committed.minus(before)), consumed: money(delta.consumed) });
  }
  return { budgets, moves };
}

function addDelta(deltas: Map<string, Delta>, costCenterId: string, committed: Big, consumed: Big): void {
  const d = deltas.get(costCenterId) ?? { committed: new Big(0), consumed: new Big(0) };
  deltas.set(costCenterId, { committed: d.committed.plus(committed), consumed: d.consumed.plus(consumed) });
}

/**
 * Checks a purchase order against the master data and its cost centers' budgets for the order's month, and
 * commits each cost center's share (the sum of its line totals). Refuses before anything changes.
 */
export function planPurchaseOrder(get: Lookup, find: FindBudget, po: PurchaseOrder): { extra: PoExtra; budgets: BudgetRecord[] } {
  const supplier = get('suppliers', po.supplierId) as Supplier | undefined;
  if (!supplier) throw refuse(`unknown supplier ${po.supplierId}`);
  if (supplier.status !== 'active') throw refuse(`supplier ${po.supplierId} is inactive`);
  if (!(get('facilities', po.facilityId) as Facility | undefined)) throw refuse(`unknown facility ${po.facilityId}`);
  for (const l of po.lines) {
    if (!(get('items', l.itemId) as Item | undefined)) throw refuse(`unknown item ${l.itemId} on line ${l.line}`);
    const costCenter = get('cost-centers', l.costCenterId) as CostCenter | undefined;
    if (!costCenter) throw refuse(`unknown cost center ${l.costCenterId} on line ${l.line}`);
    if (costCenter.status !== 'active') throw refuse(`cost center ${l.costCenterId} is inactive (line ${l.line})`);
  }
  const period = po.orderDate.slice(0, 7);
  const lines: PoLineState[] = po.lines.map((l) => {
    const amount = lineTotal(l.quantity, l.unitPrice);
    return { line: l.line, itemId: l.itemId, costCenterId: l.costCenterId, amount, committed: amount, invoiced: '0.00', invoicedGross: '0.00' };
  });
  const deltas = new Map<string, Delta>();
  for (const l of lines) addDelta(deltas, l.costCenterId, big(l.amount), new Big(0));
  for (const [costCenterId, { committed: needed }] of deltas) {
    const budget = find(costCenterId, period);
    if (!budget) throw refuse(`no budget for ${costCenterId} in ${period}`);
    const left = available(budget);
    if (left.lt(needed)) throw refuse(`budget exceeded for ${costCenterId} in ${period}: available ${money(left)}, needed ${money(needed)}`);
  }
  const { budgets, moves } = moveBudgets(find, period, deltas);
  return { extra: { status: 'open', period, lines, commitments: moves, releases: [], apInvoices: [] }, budgets };
}

const sum = (values: string[]): Big => values.reduce((acc, v) => acc.plus(v), new Big(0));

/** Open until invoiced; invoiced once every line's net invoiced amount covers what it ordered. */
export function poStatus(extra: PoExtra): PoStatus {
  if (extra.status === 'cancelled') return 'cancelled';
  if (!extra.lines.some((l) => big(l.invoicedGross).gt(0))) return 'open';
  return extra.lines.every((l) => big(l.invoiced).gte(l.amount)) ? 'invoiced' : 'partially-invoiced';
}

export function poTotals(extra: PoExtra): { amount: string; committed: string; invoiced: string } {
  return {
    amount: money(sum(extra.lines.map((l) => l.amount))),
    committed: money(sum(extra.lines.map((l) => l.committed))),
    invoiced: money(sum(extra.lines.map((l) => l.invoiced))),
  };
}

/** Cancelling a PO releases what it still commits; a fully invoiced PO has nothing left to cancel. */
export function planCancellation(poNumber: string, extra: PoExtra, find: FindBudget): { extra: PoExtra; budgets: BudgetRecord[] } {
  if (poStatus(extra) === 'invoiced') throw refuse(`purchase order ${poNumber} is fully invoiced; it can no longer be cancelled`);
  const deltas = new Map<string, Delta>();
  for (const l of extra.lines) addDelta(deltas, l.costCenterId, big(l.committed).times(-1), new Big(0));
  const { budgets, moves } = moveBudgets(find, extra.period, deltas);
  const lines = extra.lines.map((l) => ({ ...l, committed: '0.00' }));
  return { extra: { ...extra, status: 'cancelled', lines, releases: moves }, budgets };
}

/**
 * Posts an AP invoice or credit against its PO. An invoice line releases min(its amount, what the PO line still
 * commits) and consumes its amount; a credit takes its amount back out of consumed and leaves the commitment be.
 * Refuses a cancelled PO, another supplier or currency, a total that is not the sum of its lines, a line the PO
 * does not have (or with another item or cost center), and a credit beyond what its line has invoiced.
 */
export function planApPosting(
  po: PurchaseOrderRecord,
  ap: ApInvoice,
  find: FindBudget,
): { lines: PoLineState[]; budgets: BudgetRecord[]; moves: BudgetMove[]; lineMoves: ApLineMove[] } {
  const extra = po.extra as PoExtra;
  if (extra.status === 'cancelled') throw refuse(`purchase order ${po.id} is cancelled`);
  if (ap.supplierId !== po.body.supplierId) throw refuse(`supplier ${ap.supplierId} is not the supplier of ${po.id} (${po.body.supplierId})`);
  if (ap.currency !== po.body.currency) throw refuse(`currency ${ap.currency} is not that of ${po.id} (${po.body.currency})`);
  const total = sum(ap.lines.map((l) => l.amount));
  if (!total.eq(ap.amount)) throw refuse(`amount ${ap.amount} is not the sum of its lines (${money(total)})`);
  const lines = extra.lines.map((l) => ({ ...l }));
  const deltas = new Map<string, Delta>();
  const lineMoves: ApLineMove[] = [];
  for (const apLine of ap.lines) {
    const line = lines.find((l) => l.line === apLine.line);
    if (!line) throw refuse(`${po.id} has no line ${apLine.line}`);
    if (line.itemId !== apLine.itemId) throw refuse(`line ${apLine.line} of ${po.id} is item ${line.itemId}, not ${apLine.itemId}`);
    if (line.costCenterId !== apLine.costCenterId) {
      throw refuse(`line ${apLine.line} of ${po.id} is charged to ${line.costCenterId}, not ${apLine.costCenterId}`);
    }
    const amount = big(apLine.amount);
    if (ap.kind === 'credit') {
      if (amount.gt(line.invoiced)) throw refuse(`credit of ${apLine.amount} on line ${apLine.line} of ${po.id} exceeds what it has invoiced (${line.invoiced})`);
      line.invoiced = money(big(line.invoiced).minus(amount));
      addDelta(deltas, line.costCenterId, new Big(0), amount.times(-1));
      lineMoves.push({ line: line.line, invoiced: money(amount.times(-1)), released: '0.00' });
    } else {
      const committed = big(line.committed);
      const released = amount.lt(committed) ? amount : committed;
      line.committed = money(committed.minus(released));
      line.invoiced = money(big(line.invoiced).plus(amount));
      line.invoicedGross = money(big(line.invoicedGross).plus(amount));
      addDelta(deltas, line.costCenterId, released.times(-1), amount);
      lineMoves.push({ line: line.line, invoiced: money(amount), released: money(released) });
    }
  }
  const { budgets, moves } = moveBudgets(find, extra.period, deltas);
  return { lines, budgets, moves, lineMoves };
}

/** Payments are numbered after the invoice they pay: AP-000001 is paid by PAY-000001, stable across restarts. */
export function paymentIdOf(apInvoiceId: string): string {
  return apInvoiceId.replace(/^AP-/, 'PAY-');
}

/**
 * A payment exists once its paidAt is strictly past. Strictly: a read and an invoice posted (with no delay) in the
 * same millisecond could otherwise give a payment stamped exactly at the reader's watermark, which an exclusive
 * `updatedSince` would skip for ever.
 */
export function isPaid(paymentDueAt: string | null, nowMs: number): boolean {
  return paymentDueAt !== null && Date.parse(paymentDueAt) < nowMs;
}

/** The payment of a posted invoice, once made; null for a credit (not paid: it reduces what is owed), a reversed
 *  invoice, or one not yet due. Derived, never stored: no timer runs, the clock decides. */
export function paymentOf(ap: ApRecord, nowMs: number): Payment | null {
  const extra = ap.extra as ApExtra;
  if (ap.reversalId !== null || !isPaid(extra.paymentDueAt, nowMs)) return null;
  const paidAt = extra.paymentDueAt as string;
  return {
    id: paymentIdOf(ap.id),
    apInvoiceId: ap.id,
    invoiceNumber: ap.body.invoiceNumber,
    poNumber: ap.body.poNumber,
    supplierId: ap.body.supplierId,
    amount: money(big(ap.body.amount)),
    currency: ap.body.currency,
    paidAt,
    updatedAt: paidAt,
  };
}

/**
 * Reverses an AP posting (a void): an unpaid invoice takes its amount out of consumed and commits again what its
 * PO lines are no longer invoiced for; a credit puts its amount back into consumed. A paid invoice is corrected
 * by a credit instead, and a cancelled PO commits nothing any more.
 */
export function planApReversal(
  po: PurchaseOrderRecord,
  ap: ApRecord,
  find: FindBudget,
  nowMs: number,
): { lines: PoLineState[]; budgets: BudgetRecord[]; moves: BudgetMove[] } {
  const extra = po.extra as PoExtra;
  const apExtra = ap.extra as ApExtra;
  if (isPaid(apExtra.paymentDueAt, nowMs)) throw refuse(`AP invoice ${ap.id} is paid (${paymentIdOf(ap.id)}); post a credit instead`);
  if (extra.status === 'cancelled') throw refuse(`purchase order ${po.id} is cancelled; its AP postings can no longer be reversed`);
  const lines = extra.lines.map((l) => ({ ...l }));
  const deltas = new Map<string, Delta>();
  for (const move of apExtra.lineMoves) {
    const line = lines.find((l) => l.line === move.line) as PoLineState;
    const invoiced = big(move.invoiced);
    line.invoiced = money(big(line.invoiced).minus(invoiced));
    if (ap.body.kind === 'credit') {
      addDelta(deltas, line.costCenterId, new Big(0), invoiced.times(-1));
      continue;
    }
    line.invoicedGross = money(big(line.invoicedGross).minus(invoiced));
    const committed = max0(big(line.amount).minus(line.invoicedGross));
    addDelta(deltas, line.costCenterId, committed.minus(line.committed), invoiced.times(-1));
    line.committed = money(committed);
  }
  const { budgets, moves } = moveBudgets(find, extra.period, deltas);
  return { lines, budgets, moves };
}
