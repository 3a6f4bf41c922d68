// An in-memory, indexed snapshot of master data: enrichment reads only this (pure, microseconds), and the engine
// swaps in a new snapshot whenever a pull or a cross-reference changes something.
import type {
  Budget, ChargeLine, ContractPrice, CostCenter, Department, Facility, GlAccount, Item, Location, MasterEntity, ParLevel, Supplier,
} from '../model/masterdata.ts';

export interface Xref {
  system: string;
  code: string;
  itemId: string;
}

export interface Snapshot {
  facilities: Map<string, Facility>;
  departments: Map<string, Department>;
  locations: Map<string, Location>;
  costCenters: Map<string, CostCenter>;
  suppliers: Map<string, Supplier>;
  glAccounts: Map<string, GlAccount>;
  budgets: Map<string, Budget>; // "costCenter|YYYY-MM" → budget
  items: Map<string, Item>;
  itemsByGtin: Map<string, Item>; // GTIN-14 of any packaging level → item
  unitOfGtin: Map<string, string>; // GTIN-14 → the unit it counts (EA, BX, CS)
  itemsByHibcc: Map<string, Item>; // HIBCC labeler id + product number → item
  xrefs: Map<string, string>; // "system|code" → item id
  prices: Map<string, ContractPrice[]>; // item id → prices, newest effectiveFrom first
  charges: Map<string, ChargeLine>; // item id → active chargemaster line
  parLevels: Map<string, ParLevel>; // "location|item" → par level
}

export type MasterRecords = { [E in MasterEntity]?: unknown[] };

const byId = <T extends { id: string }>(rows: unknown[] | undefined): Map<string, T> =>
  new Map((rows as T[] | undefined ?? []).map((r) => [r.id, r]));

/** GTINs are compared as GTIN-14: a GTIN-13 scanned from a label is the same product as its zero-padded form. */
export const gtin14 = (gtin: string): string => gtin.padStart(14, '0');

export const xrefKey = (system: string, code: string): string => `${system}|${code}`;
export const parKey = (location: string, itemId: string): string => `${location}|${itemId}`;
export const budgetKey = (costCenterId: string, period: string): string => `${costCenterId}|${period}`;

export function buildSnapshot(records: MasterRecords, xrefs: Xref[] = []): Snapshot {
  const items = byId<Item>(records.items);
  const prices = new Map<string, ContractPrice[]>();
  for (const p of (records['contract-prices'] ?? []) as ContractPrice[]) {
    prices.set(p.itemId, [...(prices.get(p.itemId) ?? []), p]);
  }
  for (const list of prices.values()) list.sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const charges = new Map<string, ChargeLine>();
  for (const c of (records.chargemaster ?? []) as ChargeLine[]) if (c.status === 'active') charges.set(c.itemId, c);
  const itemsByGtin = new Map<string, Item>();
  const unitOfGtin = new Map<string, string>();
  for (const i of items.values()) {
    for (const [gtin, unit] of [[i.gtin, i.uom], ...i.packaging.map((p) => [p.gtin, p.uom])] as [string | null | undefined, string][]) {
      if (!gtin) continue;
      itemsByGtin.set(gtin14(gtin), i);
      unitOfGtin.set(gtin14(gtin), unit);
    }
  }
  return {
    facilities: byId(records.facilities),
    departments: byId(records.departments),
    locations: byId(records.locations),
    costCenters: byId(records['cost-centers']),
    suppliers: byId(records.suppliers),
    glAccounts: byId(records['gl-accounts']),
    budgets: new Map(((records.budgets ?? []) as Budget[]).map((b) => [budgetKey(b.costCenterId, b.period), b])),
    items,
    itemsByGtin,
    unitOfGtin,
    itemsByHibcc: new Map([...items.values()].filter((i) => i.hibcc).map((i) => [i.hibcc!.toUpperCase(), i])),
    xrefs: new Map(xrefs.map((x) => [xrefKey(x.system, x.code), x.itemId])),
    prices,
    charges,
    parLevels: new Map(((records['par-levels'] ?? []) as ParLevel[]).map((p) => [parKey(p.locationId, p.itemId), p])),
  };
}

export const emptySnapshot = (): Snapshot => buildSnapshot({});
