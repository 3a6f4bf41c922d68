// Stock-out risk, pure: which par locations hold an item at or near zero, and what is already on its way. A
// location is `out` at zero or below, `low` under its reorder point; `onOrder` counts what running purchase orders still owe for that location and item (ordered or as
// acknowledged, less what was received; rejected and bill-only lines owe nothing), and `openRequisition` says a
// requisition is raised but not yet on an order. Analysts read it as: out with nothing on order is the emergency.
import type { ParLevel } from '../model/masterdata.ts';
import { parKey } from '../masterdata/snapshot.ts';

export interface StockLevel {
  location: string;
  itemId: string;
  onHand: number;
  updatedAt: string;
}

export interface StockRisk {
  location: string;
  itemId: string;
  itemName: string | null;
  onHand: number;
  reorderPoint: number | null;
  par: number | null;
  critical: boolean;
  status: 'out' | 'low';
  onOrder: number;
  openPurchaseOrders: string[];
  openRequisition: boolean;
  updatedAt: string;
}

/** A running purchase order as far as stock is concerned (the purchase-order workflow's state has this shape). */
export interface OpenOrder {
  number: string;
  lines: { locationId: string; itemId: string; quantity: number; received: number; ack: { status: string; quantity: number } | null; billOnly: unknown }[];
}

export function stockRisks(
  levels: StockLevel[], parLevels: Map<string, ParLevel>, orders: OpenOrder[], openRequisitions: Set<string>,
  itemName: (itemId: string) => string | null,
): StockRisk[] {
  const owed = owedByLocation(orders);
  const risks: StockRisk[] = [];
  for (const s of levels) {
    const key = parKey(s.location, s.itemId);
    const par = parLevels.get(key) ?? null;
    const status = s.onHand <= 0 ? 'out' : par && s.onHand < par.reorderPoint ? 'low' : null;
    if (!status) continue;
    const o = owed.get(key);
    risks.push({
      location: s.location, itemId: s.itemId, itemName: itemName(s.itemId), onHand: s.onHand,
      reorderPoint: par?.reorderPoint ?? null, par: par?.par ?? null, critical: par?.critical ?? false, status,
      onOrder: o?.quantity ?? 0, openPurchaseOrders: o ? [...o.orders] : [], openRequisition: openRequisitions.has(key), updatedAt: s.updatedAt,
    });
  }
  // Out before low; critical items first; then nothing on order before something on order; then by location.
  const rank = (r: StockRisk) => (r.status === 'out' ? 0 : 4) + (r.critical ? 0 : 2) + (r.onOrder > 0 || r.openRequisition ? 1 : 0);
  return risks.sort((a, b) => rank(a) - rank(b) || a.location.localeCompare(b.location) || a.itemId.localeCompare(b.itemId));
}

function owedByLocation(orders: OpenOrder[]): Map<string, { quantity: number; orders: Set<string> }> {
  const owed = new Map<string, { quantity: number; orders: Set<string> }>();
  for (const order of orders) {
    for (const line of order.lines) {
      if (line.billOnly || line.ack?.status === 'rejected') continue;
      const quantity = Math.max(0, (line.ack?.quantity ?? line.quantity) - line.received);
      if (quantity === 0) continue;
      const k = parKey(line.locationId, line.itemId);
      const o = owed.get(k) ?? { quantity: 0, orders: new Set<string>() };
      o.quantity += quantity;
      o.orders.add(order.number);
      owed.set(k, o);
    }
  }
  return owed;
}
