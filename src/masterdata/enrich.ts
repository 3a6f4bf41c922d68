// Content enricher: resolves what an event names (an item code, a GTIN, a par location) to master data, and finds
// what the destinations need (cost center, contract price at the date of use, quantity in the ERP's base unit,
// chargemaster line and charge price). Pure: it reads only the snapshot, so it is tested on fixtures and reruns
// identically on release and reprocess. Every problem of a line is reported at once, so the data is fixed in one go.
import Big from 'big.js';
import type { ItemRef, Money } from '../model/primitives.ts';
import type { ChargeLine, ContractPrice, CostCenter, Department, Item, Location } from '../model/masterdata.ts';
import type { DataExceptionCategory } from '../model/exceptions.ts';
import { gtin14, xrefKey, type Snapshot } from './snapshot.ts';

/** A data problem that holds an event until someone fixes the data (see exceptions in design.md). */
export interface Problem {
  category: DataExceptionCategory;
  message: string;
  detail: Record<string, unknown>;
}

export interface Enriched {
  item: Item;
  location: Location;
  department: Department | null;
  costCenter: CostCenter | null;
  unitCost: Money | null;
  /** The quantity in the item's base unit (the ERP's), whatever packaging level the sender counted in. */
  baseQuantity: { value: number; unit: string } | null;
  charge: ChargeLine | null;
  /** The patient price of one base unit: the chargemaster's fixed price, or its markup over the contract cost. */
  chargePrice: string | null;
}

export interface LineIn {
  item: ItemRef;
  location: string;
  quantity?: { value: number; unit: string } | undefined;
  lot?: string | null | undefined;
  serial?: string | null | undefined;
  expiry?: string | null | undefined;
}

/** Where and when the line happened, and who said so. */
export interface LineContext {
  facility: string;
  sourceSystem: string;
  occurredAt: string;
}

/** Which checks a flow needs: a use needs traceability and a charge line; a purchase needs a price. */
export interface Checks {
  traceability?: boolean;
  expiry?: boolean;
  price?: boolean;
  charge?: boolean;
}

/** The sender's code through its cross-reference, an ERP item id, or a scanned GTIN of any packaging level. */
export function resolveItem(s: Snapshot, ref: ItemRef, sourceSystem: string): Item | undefined {
  if (ref.gtin) {
    const byGtin = s.itemsByGtin.get(gtin14(ref.gtin));
    if (byGtin) return byGtin;
  }
  if (!ref.code) return undefined;
  // A code means something only in the system that named it: the sender's own unless it names another.
  const system = ref.system ?? sourceSystem;
  const mapped = s.xrefs.get(xrefKey(system, ref.code));
  if (mapped) return s.items.get(mapped);
  return system === 'erp' ? s.items.get(ref.code) : undefined;
}

/** Whom a price applies to: a tier for the facility wins over one for its purchasing group, which wins over the network's. */
export interface PriceScope {
  facility?: string | undefined;
  purchasingGroup?: string | null | undefined;
}

const specificity = (p: ContractPrice, scope: PriceScope): number => {
  if (p.facilityId) return p.facilityId === scope.facility ? 3 : -1;
  if (p.purchasingGroup) return p.purchasingGroup === scope.purchasingGroup ? 2 : -1;
  return 1;
};

/** The contract price in force on a date (YYYY-MM-DD), the most specific tier first: a use is priced when it happened. */
export function priceOn(prices: ContractPrice[] | undefined, date: string, scope: PriceScope = {}): ContractPrice | undefined {
  let best: ContractPrice | undefined;
  let bestRank = 0;
  for (const p of prices ?? []) {
    if (!(p.effectiveFrom <= date && (!p.effectiveTo || date <= p.effectiveTo))) continue;
    const rank = specificity(p, scope);
    if (rank > bestRank) [best, bestRank] = [p, rank];
  }
  return best;
}

/** The local calendar date of an ISO time with offset: the site's date, not UTC's. */
export const localDate = (isoWithOffset: string): string => isoWithOffset.slice(0, 10);

/** Base units in one `unit` of the item (1 for its own unit; a box or case from its packaging), or null. */
export function unitsPer(item: Item, unit: string): number | null {
  const u = unit.toUpperCase();
  if (u === item.uom.toUpperCase()) return 1;
  return item.packaging.find((p) => p.uom.toUpperCase() === u)?.quantity ?? null;
}

/** A chargemaster line's price for one unit: fixed, or cost × (1 + percent) rounded up to roundTo, at least minimum. */
export function chargePriceOf(line: ChargeLine, unitCost: Money | null): string | null {
  if (line.price) return line.price;
  if (!line.markup || !unitCost) return null;
  const step = new Big(line.markup.roundTo);
  const raw = new Big(unitCost.amount).times(new Big(line.markup.percent).div(100).plus(1));
  let price = step.gt(0) ? raw.div(step).round(0, Big.roundUp).times(step) : raw;
  if (line.markup.minimum && price.lt(line.markup.minimum)) price = new Big(line.markup.minimum);
  return price.toFixed(2);
}

export function enrichLine(
  s: Snapshot, line: LineIn, ctx: LineContext, checks: Checks = {},
): { ok: true; value: Enriched } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (category: DataExceptionCategory, message: string, detail: Record<string, unknown>) =>
    problems.push({ category, message, detail });
  const item = resolveItem(s, line.item, ctx.sourceSystem);
  const location = s.locations.get(line.location);
  const day = localDate(ctx.occurredAt);

  if (!item) {
    problem('unmapped_item',
      `no item is known for ${line.item.code ? `${line.item.system ?? ctx.sourceSystem} code ${line.item.code}` : `GTIN ${line.item.gtin}`}`,
      { system: line.item.system ?? ctx.sourceSystem, code: line.item.code ?? null, gtin: line.item.gtin ?? null });
  } else if (item.status !== 'active') {
    problem('inactive_item', `item ${item.id} is inactive`, { itemId: item.id });
  }
  if (item && checks.traceability) {
    const missing = [item.lotControlled && !line.lot ? 'lot' : null, item.serialControlled && !line.serial ? 'serial' : null]
      .filter((m) => m !== null);
    if (missing.length > 0) {
      problem('missing_lot_serial', `${item.implant ? 'implant' : 'item'} ${item.id} was used without ${missing.join(' and ')}`,
        { itemId: item.id, missing });
    }
  }
  if (checks.expiry && line.expiry && line.expiry < day) {
    problem('expired_item_used', `${item?.id ?? 'the item'} expired on ${line.expiry} and was used on ${day}`,
      { itemId: item?.id ?? null, expiry: line.expiry, usedOn: day, lot: line.lot ?? null, serial: line.serial ?? null });
  }
  const perUnit = item && line.quantity ? unitsPer(item, line.quantity.unit) : 1;
  if (item && line.quantity && perUnit === null) {
    problem('uom_unconvertible', `item ${item.id} has no ${line.quantity.unit} packaging to convert to ${item.uom}`,
      { itemId: item.id, unit: line.quantity.unit, baseUnit: item.uom, known: item.packaging.map((p) => p.uom) });
  }

  let department: Department | null = null;
  let costCenter: CostCenter | null = null;
  if (!location) {
    problem('unknown_location', `no par location ${line.location}`, { location: line.location });
  } else if (location.facilityId !== ctx.facility) {
    // Stock and cost belong to the location's own facility; a mismatch is a mapping error, not a guess to make.
    problem('unknown_location', `par location ${line.location} belongs to ${location.facilityId}, not ${ctx.facility}`,
      { location: line.location, facility: ctx.facility, locationFacility: location.facilityId });
  } else {
    department = s.departments.get(location.departmentId) ?? null;
    costCenter = department?.costCenterId ? s.costCenters.get(department.costCenterId) ?? null : null;
    if (!costCenter || costCenter.status !== 'active') {
      problem('invalid_cost_center',
        costCenter ? `cost center ${costCenter.id} of ${location.id} is inactive` : `par location ${location.id} has no cost center`,
        { location: location.id, departmentId: location.departmentId, costCenterId: department?.costCenterId ?? null });
    }
  }

  const price = item ? priceOn(s.prices.get(item.id), day, { facility: ctx.facility, purchasingGroup: s.facilities.get(ctx.facility)?.purchasingGroup }) : undefined;
  const unitCost = price ? { amount: price.price, currency: price.currency } : null;
  if (item && checks.price && !unitCost) {
    problem('no_contract_price', `item ${item.id} has no contract price on ${day}`, { itemId: item.id, date: day, facility: ctx.facility });
  }
  const charge = item?.chargeable ? s.charges.get(item.id) ?? null : null;
  const chargePrice = charge ? chargePriceOf(charge, unitCost) : null;
  if (item?.chargeable && checks.charge && item.status === 'active') {
    if (!charge) {
      problem('charge_without_cdm', `chargeable item ${item.id} has no active chargemaster line`, { itemId: item.id });
    } else if (chargePrice === null) {
      problem('no_contract_price', `chargemaster line ${charge.chargeCode} marks up the cost of ${item.id}, which has no contract price on ${day}`,
        { itemId: item.id, date: day, chargeCode: charge.chargeCode });
    }
  }

  if (problems.length > 0 || !item || !location) return { ok: false, problems };
  return {
    ok: true,
    value: {
      item, location, department, costCenter, unitCost, charge, chargePrice,
      baseQuantity: line.quantity && perUnit !== null ? { value: line.quantity.value * perUnit, unit: item.uom } : null,
    },
  };
}
