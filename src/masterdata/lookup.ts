// The synchronous lookups (the seeds' "API-led" half): an item from any code, GTIN, HIBCC number or scanned
// barcode, and whether a cost center can take a charge now. Pure reads of the snapshot: answers in microseconds.
import Big from 'big.js';
import type { Budget, CostCenter, Item } from '../model/masterdata.ts';
import { resolveItem } from './enrich.ts';
import { budgetKey, gtin14, xrefKey, type Snapshot } from './snapshot.ts';

/** A scanned barcode as the barcode codec reads it (GS1 or HIBCC); the API parses, this resolves. */
export interface Scan {
  gtin: string | null;
  hibc: { labelerId: string; product: string; unitOfMeasure: number } | null;
  lot: string | null;
  serial: string | null;
  expiry: string | null;
}

export interface ItemQuery {
  code?: string | undefined;
  system?: string | undefined;
  gtin?: string | undefined;
  scan?: Scan | undefined;
}

export type ItemLookup =
  | { found: true; item: Item; matchedBy: 'xref' | 'erp' | 'gtin' | 'hibcc'; unit: string; scanned: Scan | null }
  | { found: false; reason: string; invalid?: boolean };

/** One item from what a person or system has in hand: a code in some system, a GTIN, or a whole scanned barcode. */
export function lookupItem(s: Snapshot, q: ItemQuery): ItemLookup {
  if (q.scan !== undefined) {
    const v = q.scan;
    if (v.gtin) {
      const item = s.itemsByGtin.get(v.gtin);
      return item
        ? { found: true, item, matchedBy: 'gtin', unit: s.unitOfGtin.get(v.gtin) ?? item.uom, scanned: v }
        : { found: false, reason: `no item has GTIN ${v.gtin}` };
    }
    const hibcc = v.hibc!;
    const item = s.itemsByHibcc.get(`${hibcc.labelerId}${hibcc.product}`.toUpperCase());
    // HIBCC's unit-of-measure digit 0 is the base unit; higher digits are packaging levels, in the item's order.
    const unit = item ? (hibcc.unitOfMeasure === 0 ? item.uom : item.packaging[hibcc.unitOfMeasure - 1]?.uom ?? item.uom) : '';
    return item
      ? { found: true, item, matchedBy: 'hibcc', unit, scanned: v }
      : { found: false, reason: `no item has HIBCC number ${hibcc.labelerId}${hibcc.product}` };
  }
  if (q.gtin !== undefined) {
    if (!/^\d{8,14}$/.test(q.gtin)) return { found: false, invalid: true, reason: 'a GTIN is 8, 12, 13 or 14 digits' };
    const g = gtin14(q.gtin);
    const item = s.itemsByGtin.get(g);
    return item ? { found: true, item, matchedBy: 'gtin', unit: s.unitOfGtin.get(g) ?? item.uom, scanned: null } : { found: false, reason: `no item has GTIN ${g}` };
  }
  if (q.code !== undefined) {
    const system = q.system ?? 'erp';
    const item = resolveItem(s, { system, code: q.code }, system);
    if (!item) return { found: false, reason: `no item is known for ${system} code ${q.code}` };
    return { found: true, item, matchedBy: s.xrefs.has(xrefKey(system, q.code)) ? 'xref' : 'erp', unit: item.uom, scanned: null };
  }
  return { found: false, invalid: true, reason: 'give code (with system), gtin or barcode' };
}

export interface CostCenterValidation {
  id: string;
  valid: boolean;
  active: boolean;
  costCenter: CostCenter | null;
  period: string;
  budget: { amount: string; consumed: string; remaining: string; currency: string } | null;
  reasons: string[];
}

/** Whether a cost center can be charged in a period (YYYY-MM): it exists, is active, and has budget left for `amount`. */
export function validateCostCenter(s: Snapshot, id: string, period: string, amount?: string): CostCenterValidation {
  const costCenter = s.costCenters.get(id) ?? null;
  const budget: Budget | undefined = s.budgets.get(budgetKey(id, period));
  const remaining = budget ? new Big(budget.amount).minus(budget.consumed) : null;
  const reasons: string[] = [];
  if (!costCenter) reasons.push(`no cost center ${id}`);
  else if (costCenter.status !== 'active') reasons.push(`cost center ${id} is inactive`);
  if (costCenter && !budget) reasons.push(`cost center ${id} has no budget for ${period}`);
  if (remaining && remaining.lte(0)) reasons.push(`the ${period} budget is spent (${remaining.toFixed(2)} left)`);
  else if (remaining && amount !== undefined && remaining.lt(amount)) reasons.push(`${amount} is more than the ${remaining.toFixed(2)} left in ${period}`);
  return {
    id, valid: reasons.length === 0, active: costCenter?.status === 'active', costCenter, period,
    budget: budget && remaining ? { amount: budget.amount, consumed: budget.consumed, remaining: remaining.toFixed(2), currency: budget.currency } : null,
    reasons,
  };
}
