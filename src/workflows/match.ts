// The three-way match, pure: each invoice line against its PO line's agreed price and what has been received.
// An invoice line passes when its amount is within tolerance of agreed price × invoiced quantity (tolerance: a
// percent of that amount or an absolute amount, whichever is larger) and the quantity invoiced so far on the PO
// line, this invoice included, is no more than was received. A line invoiced before its goods arrived waits
// (the receipt may be on the dock); a line priced wrong, billed beyond the order or naming no PO line does not
// match. Several invoices and credit memos may share a PO line: earlier ones count in `invoicedQuantity`. A bill-only
// line (a consigned implant already used) also carries the lot and serial of the use: an invoice naming others is
// for another implant, whatever its price.
import Big from 'big.js';

export interface MatchPoLine {
  line: string;
  itemId: string;
  /** What the supplier will deliver: the acknowledged quantity, else the ordered one. */
  quantity: number;
  /** The agreed unit price: the PO's, or the 855's once a person accepted the variance. */
  unitPrice: string;
  received: number;
  /** Quantity already invoiced (net of credits) by earlier invoices. */
  invoicedQuantity: number;
  /** A bill-only line's implant, as the use recorded it: an invoice naming another lot or serial does not match. */
  lot?: string | null;
  serial?: string | null;
}

export interface MatchInvoiceLine {
  line: string | null;
  itemId: string | null;
  quantity: number;
  unitPrice: string;
  lot?: string | null;
  serial?: string | null;
}

export interface Tolerance {
  percent: number;
  amount: number;
}

export type LineVerdict = 'matched' | 'waiting' | 'price' | 'quantity' | 'traceability' | 'unknown-line';

export interface MatchedLine {
  line: string | null;
  poLine: string | null;
  itemId: string | null;
  verdict: LineVerdict;
  /** PO, receipt and invoice side by side, as the exception shows them. */
  po: { quantity: number; unitPrice: string } | null;
  received: number;
  previouslyInvoiced: number;
  invoice: { quantity: number; unitPrice: string; amount: string };
  expectedAmount: string | null;
  difference: string | null;
}

export interface MatchResult {
  verdict: 'matched' | 'waiting' | 'mismatch';
  lines: MatchedLine[];
  total: string;
}

/** The PO line an invoice line is for: by its line number (and item, when it names one), else by its item. */
export function poLineOf<P extends { line: string; itemId: string }>(po: P[], il: { line: string | null; itemId: string | null }): P | undefined {
  return po.find((p) => il.line !== null && p.line === il.line && (il.itemId === null || p.itemId === il.itemId))
    ?? po.find((p) => il.itemId !== null && p.itemId === il.itemId);
}

export function threeWayMatch(po: MatchPoLine[], invoice: MatchInvoiceLine[], tolerance: Tolerance): MatchResult {
  const invoicedNow = new Map<string, number>();
  const lines = invoice.map((il): MatchedLine => {
    const pl = poLineOf(po, il);
    const amount = new Big(il.unitPrice).times(il.quantity);
    const base = { line: il.line, itemId: il.itemId, invoice: { quantity: il.quantity, unitPrice: il.unitPrice, amount: amount.toFixed(2) } };
    if (!pl) return { ...base, poLine: null, verdict: 'unknown-line', po: null, received: 0, previouslyInvoiced: 0, expectedAmount: null, difference: null };
    const expected = new Big(pl.unitPrice).times(il.quantity);
    const difference = amount.minus(expected);
    const byPercent = expected.abs().times(tolerance.percent).div(100);
    const allowed = byPercent.gt(tolerance.amount) ? byPercent : new Big(tolerance.amount);
    const before = pl.invoicedQuantity + (invoicedNow.get(pl.line) ?? 0);
    invoicedNow.set(pl.line, (invoicedNow.get(pl.line) ?? 0) + il.quantity);
    const total = before + il.quantity;
    const differs = (a: string | null | undefined, b: string | null | undefined) => Boolean(a && b && a !== b);
    const verdict: LineVerdict = differs(pl.lot, il.lot) || differs(pl.serial, il.serial) ? 'traceability'
      : difference.abs().gt(allowed) ? 'price'
      : total > pl.quantity ? 'quantity'
        : total > pl.received ? 'waiting'
          : 'matched';
    return {
      ...base, poLine: pl.line, itemId: pl.itemId, verdict, po: { quantity: pl.quantity, unitPrice: pl.unitPrice }, received: pl.received,
      previouslyInvoiced: before, expectedAmount: expected.toFixed(2), difference: difference.toFixed(2),
    };
  });
  const total = lines.reduce((sum, l) => sum.plus(l.invoice.amount), new Big(0)).toFixed(2);
  const verdict = lines.some((l) => l.verdict !== 'matched' && l.verdict !== 'waiting') ? 'mismatch'
    : lines.some((l) => l.verdict === 'waiting') ? 'waiting' : 'matched';
  return { verdict, lines, total };
}
