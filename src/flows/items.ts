// Item master changes. From the ERP (the system of record, announced after a pull): distributed to the systems
// that keep copies — the EHR and cabinets as MFN^M16 (role `clinical`), the inventory system as JSON, and, for a
// chargeable item, billing as an MFN^M04 chargemaster update. From another source (an MFN^M16 feed, a CSV item
// load): offered to Tendon's master data, which takes it unless the ERP already has the item; the snapshot is
// refreshed after the commit. A record that does not make a valid item is recorded and offers nothing.
import { PRIORITIES } from '../core/types.ts';
import { MASTER_SCHEMAS } from '../model/masterdata.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import { chargePriceOf, localDate, priceOn } from '../masterdata/enrich.ts';
import type { FlowEvent, Plan, PlannedDelivery } from './plan.ts';

export const itemUpserted = (e: FlowEvent, s: Snapshot): Plan => {
  const partitionKey = `${e.facility}|item|${String(e.payload.id)}`;
  const recorded: Plan = { partitionKey, priority: PRIORITIES.bulk, problems: [], deliveries: [] };
  const parsed = MASTER_SCHEMAS.items.safeParse({ ...e.payload, updatedAt: e.occurredAt });
  if (!parsed.success) return recorded;
  const item = parsed.data;
  if (e.sourceSystem !== 'erp') {
    return { ...recorded, master: { entity: 'items', record: { id: item.id, updatedAt: item.updatedAt, data: item } } };
  }
  // One partition per item: a later update of an item never overtakes an earlier one at a destination.
  const deliveries: PlannedDelivery[] = [
    { role: 'clinical', action: 'item.master', partitionKey, body: { item } },
    { role: 'inventory', action: 'item.upsert', partitionKey, body: { item } },
  ];
  const line = item.chargeable ? s.charges.get(item.id) : undefined;
  if (line) {
    const cost = priceOn(s.prices.get(item.id), localDate(e.occurredAt));
    deliveries.push({
      role: 'billing', action: 'chargemaster.update', partitionKey,
      body: {
        charge: {
          itemId: item.id, chargeCode: line.chargeCode, revenueCode: line.revenueCode, hcpcs: line.hcpcs ?? null,
          description: line.description ?? item.description, status: line.status,
          price: chargePriceOf(line, cost ? { amount: cost.price, currency: cost.currency } : null),
        },
      },
    });
  }
  return { ...recorded, deliveries };
};

/**
 * A supplier or par location announced by the ERP, to the inventory system's copy (JSON), in its own partition. An
 * incomplete record (not from the ERP's pull) is recorded only.
 */
export const toInventory = (noun: 'supplier' | 'location') => (e: FlowEvent): Plan => {
  const partitionKey = `${e.facility}|${noun}|${String(e.payload.id)}`;
  const complete = e.sourceSystem === 'erp' && typeof e.payload.id === 'string' && typeof e.payload.name === 'string';
  return {
    partitionKey, priority: PRIORITIES.bulk, problems: [],
    deliveries: complete ? [{ role: 'inventory', action: `${noun}.upsert`, partitionKey, body: { [noun]: e.payload } }] : [],
  };
};
