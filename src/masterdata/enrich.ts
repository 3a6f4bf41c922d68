// Content enricher: resolves what an event names (an item code, a GTIN, a par location) to master data, and finds
// what the destinations need (cost center, contract price at the date of use, chargemaster line). Pure: it reads
// only the snapshot, so it is tested on fixtures and reruns identically on reprocess.
import type { ItemRef, Money } from '../model/primitives.ts';
import type { ChargeLine, ContractPrice, CostCenter, Department, Item, Location } from '../model/masterdata.ts';
import { gtin14, xrefKey, type Snapshot } from './snapshot.ts';

/** A data problem that holds an event until someone fixes the data (see exceptions in design.md). */
export interface Problem {
  category: 'unmapped_item' | 'inactive_item' | 'missing_lot_serial' | 'unknown_location';
  message: string;
  detail: Record<string, unknown>;
}

export interface Enriched {
  item: Item;
  location: Location;
  department: Department | null;
  costCenter: CostCenter | null;
  unitCost: Money | null;
  charge: ChargeLine | null;
}

export interface LineIn {
  item: ItemRef;
  location: string;
  lot?: string | null | undefined;
  serial?: string | null | undefined;
}

/** The sender's code through its cross-reference, an ERP item id, or a scanned GTIN (compared as GTIN-14). */
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

/** The contract price in force on a date (YYYY-MM-DD): prices are effective-dated and a use is priced when it happened. */
export function priceOn(prices: ContractPrice[] | undefined, date: string): ContractPrice | undefined {
  return prices?.find((p) => p.effectiveFrom <= date && (!p.effectiveTo || date <= p.effectiveTo));
}

/** The local calendar date of an ISO time with offset: the site's date, not UTC's. */
export const localDate = (isoWithOffset: string): string => isoWithOffset.slice(0, 10);

export function enrichLine(
  s: Snapshot,
  line: LineIn,
  facility: string,
  sourceSystem: string,
  occurredAt: string,
  requireTraceability: boolean,
): { ok: true; value: Enriched } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const item = resolveItem(s, line.item, sourceSystem);
  const location = s.locations.get(line.location);
  if (!item) {
    problems.push({
      category: 'unmapped_item',
      message: `no item is known for ${line.item.code ? `${line.item.system ?? sourceSystem} code ${line.item.code}` : `GTIN ${line.item.gtin}`}`,
      detail: { system: line.item.system ?? sourceSystem, code: line.item.code ?? null, gtin: line.item.gtin ?? null },
    });
  } else if (item.status !== 'active') {
    problems.push({ category: 'inactive_item', message: `item ${item.id} is inactive`, detail: { itemId: item.id } });
  }
  if (item && requireTraceability) {
    const missing = [item.lotControlled && !line.lot ? 'lot' : null, item.serialControlled && !line.serial ? 'serial' : null]
      .filter((m) => m !== null);
    if (missing.length > 0) {
      problems.push({
        category: 'missing_lot_serial',
        message: `${item.implant ? 'implant' : 'item'} ${item.id} was used without ${missing.join(' and ')}`,
        detail: { itemId: item.id, missing },
      });
    }
  }
  if (!location) {
    problems.push({ category: 'unknown_location', message: `no par location ${line.location}`, detail: { location: line.location } });
  } else if (location.facilityId !== facility) {
    // Stock and cost belong to the location's own facility; a mismatch is a mapping error, not a guess to make.
    problems.push({
      category: 'unknown_location',
      message: `par location ${line.location} belongs to ${location.facilityId}, not ${facility}`,
      detail: { location: line.location, facility, locationFacility: location.facilityId },
    });
  }
  if (problems.length > 0 || !item || !location) return { ok: false, problems };

  const department = s.departments.get(location.departmentId) ?? null;
  const costCenter = department?.costCenterId ? s.costCenters.get(department.costCenterId) ?? null : null;
  const price = priceOn(s.prices.get(item.id), localDate(occurredAt));
  return {
    ok: true,
    value: {
      item, location, department, costCenter,
      unitCost: price ? { amount: price.price, currency: price.currency } : null,
      charge: item.chargeable ? s.charges.get(item.id) ?? null : null,
    },
  };
}
