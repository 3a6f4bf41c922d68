// What an ERP pull changed, as canonical events for the systems that keep copies and for analytics: items (and
// chargemaster lines, announced as their item), contract prices, suppliers, cost centers and par locations; and
// the payments the ERP made (payment.settled, which closes procure-to-pay). Pure:
// records in, events out. Each event's idempotency key is the record's id and version, so a pull that brings the
// same version again (a cursor moved back) announces nothing new.
import { SCHEMA_VERSION, type EventType, type InboundEventT } from '../model/events.ts';
import type { ChargeLine, ContractPrice, CostCenter, ErpFeed, Item, Location, MasterEntity, Payment, Supplier } from '../model/masterdata.ts';
import type { Snapshot } from './snapshot.ts';

/** Master data belongs to the whole network, not to one facility. */
export const NETWORK = 'network';

const event = (type: EventType, key: string, occurredAt: string, payload: Record<string, unknown>, facility = NETWORK): InboundEventT => ({
  type, schemaVersion: SCHEMA_VERSION, idempotencyKey: key, occurredAt, facility, source: { system: 'erp' }, payload,
});

const itemEvent = (i: Item, version: string) => event('item.upserted', `items/${i.id}@${version}`, version, { ...i });

export function announcements(changed: Partial<Record<MasterEntity | ErpFeed, unknown[]>>, s: Snapshot): InboundEventT[] {
  const out: InboundEventT[] = [];
  const items = new Set<string>();
  for (const r of (changed.items ?? []) as Item[]) {
    items.add(r.id);
    out.push(itemEvent(r, r.updatedAt));
  }
  // A changed chargemaster line reaches billing with its item (as MFN^M04), unless the item itself changed too.
  for (const c of (changed.chargemaster ?? []) as ChargeLine[]) {
    const item = s.items.get(c.itemId);
    if (item && !items.has(item.id)) {
      items.add(item.id);
      out.push(event('item.upserted', `chargemaster/${c.id}@${c.updatedAt}`, c.updatedAt, { ...item }));
    }
  }
  for (const p of (changed['contract-prices'] ?? []) as ContractPrice[]) {
    out.push(event('price.updated', `contract-prices/${p.id}@${p.updatedAt}`, p.updatedAt, {
      itemId: p.itemId, supplierId: p.supplierId ?? null, price: { amount: p.price, currency: p.currency }, uom: p.uom,
      effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo ?? null,
    }, p.facilityId ?? NETWORK));
  }
  for (const r of (changed.suppliers ?? []) as Supplier[]) {
    out.push(event('supplier.upserted', `suppliers/${r.id}@${r.updatedAt}`, r.updatedAt, { id: r.id, name: r.name, status: r.status }));
  }
  for (const r of (changed['cost-centers'] ?? []) as CostCenter[]) {
    out.push(event('costcenter.upserted', `cost-centers/${r.id}@${r.updatedAt}`, r.updatedAt,
      { id: r.id, name: r.name, facilityId: r.facilityId ?? null, glAccountId: r.glAccountId ?? null, status: r.status }, r.facilityId ?? NETWORK));
  }
  for (const r of (changed.locations ?? []) as Location[]) {
    out.push(event('location.upserted', `locations/${r.id}@${r.updatedAt}`, r.updatedAt,
      { id: r.id, facilityId: r.facilityId, departmentId: r.departmentId, name: r.name, managedBy: r.managedBy }, r.facilityId));
  }
  // A payment is a fact, not a version of a record: its id alone is its key.
  for (const r of (changed.payments ?? []) as Payment[]) {
    out.push(event('payment.settled', `payments/${r.id}`, r.paidAt, {
      paymentId: r.id, invoiceNumber: r.invoiceNumber, poNumber: r.poNumber ?? null, supplierId: r.supplierId,
      amount: { amount: r.amount, currency: r.currency }, paidAt: r.paidAt,
    }));
  }
  return out;
}
