// Stock movements that do not involve a patient: receipts, adjustments and cycle counts. Tendon keeps on-hand per
// par location from these (a count sets it; receipts and adjustments move it) and tells the ERP and inventory.
import { PRIORITIES } from '../core/types.ts';
import { enrichLine, type Enriched } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import type { StockAdjustedPayload, StockCountedPayload, StockReceivedPayload } from '../model/events.ts';
import { held, stockPartition, type FlowEvent, type Plan } from './plan.ts';

/** The quantity as the ERP and Tendon's stock count it: in the item's base unit. */
const base = (x: Enriched, q: { value: number; unit: string }) => x.baseQuantity ?? q;

type Line = { item: StockReceivedPayload['item']; location: string; quantity: StockReceivedPayload['quantity'] };

function withLine(e: FlowEvent, s: Snapshot, make: (x: Enriched, key: string) => Plan): Plan {
  const p = e.payload as Line;
  // Receipts, adjustments and counts are not uses: lot and serial are welcome but not required here.
  const enriched = enrichLine(s, p, e);
  if (!enriched.ok) return held(stockPartition(e.facility, p.location, p.item.code ?? p.item.gtin ?? '?'), PRIORITIES.normal, enriched.problems);
  return make(enriched.value, stockPartition(e.facility, enriched.value.location.id, enriched.value.item.id));
}

export const stockReceived = (e: FlowEvent, s: Snapshot): Plan =>
  withLine(e, s, (x, partitionKey) => {
    const p = e.payload as StockReceivedPayload;
    const q = base(x, p.quantity);
    const line = {
      itemId: x.item.id, quantity: q.value, uom: q.unit, locationId: x.location.id, occurredAt: e.occurredAt,
      lot: p.lot ?? null, serial: p.serial ?? null, expiry: p.expiry ?? null,
    };
    const cost = p.unitCost ?? x.unitCost;
    return {
      partitionKey, priority: PRIORITIES.normal, problems: [],
      deliveries: [
        {
          role: 'erp', action: 'inventory.receipt', partitionKey,
          body: { ...line, costCenterId: x.costCenter?.id ?? null, unitCost: cost?.amount ?? null, currency: cost?.currency ?? 'USD',
            requisitionNumber: p.requisitionNumber ?? null, poNumber: p.poNumber ?? null },
        },
        { role: 'inventory', action: 'stock.increment', partitionKey, body: line },
      ],
      stock: { location: x.location.id, itemId: x.item.id, delta: q.value },
      closeRequisition: { location: x.location.id, itemId: x.item.id },
      // A receipt against a purchase order counts towards its three-way match.
      signals: p.poNumber ? [{ workflow: 'purchase-order', ref: `po:${p.poNumber}`, data: { itemId: x.item.id, quantity: q.value } }] : [],
    };
  });

export const stockAdjusted = (e: FlowEvent, s: Snapshot): Plan =>
  withLine(e, s, (x, partitionKey) => {
    const p = e.payload as StockAdjustedPayload;
    const q = base(x, p.quantity);
    const line = { itemId: x.item.id, quantity: q.value, uom: q.unit, locationId: x.location.id, occurredAt: e.occurredAt, reason: p.reason };
    return {
      partitionKey, priority: PRIORITIES.normal, problems: [],
      deliveries: [
        { role: 'erp', action: 'inventory.adjustment', partitionKey, body: { ...line, costCenterId: x.costCenter?.id ?? null, unitCost: x.unitCost?.amount ?? null, currency: x.unitCost?.currency ?? 'USD' } },
        { role: 'inventory', action: 'stock.adjust', partitionKey, body: line },
      ],
      stock: { location: x.location.id, itemId: x.item.id, delta: q.value },
    };
  });

export const stockCounted = (e: FlowEvent, s: Snapshot): Plan =>
  withLine(e, s, (x, partitionKey) => {
    const q = base(x, (e.payload as StockCountedPayload).quantity);
    return {
      // Counts are bulk traffic: they must not delay uses and implants.
      partitionKey, priority: PRIORITIES.bulk, problems: [],
      deliveries: [{
        role: 'inventory', action: 'stock.count', partitionKey,
        body: { itemId: x.item.id, quantity: q.value, uom: q.unit, locationId: x.location.id, occurredAt: e.occurredAt },
      }],
      stock: { location: x.location.id, itemId: x.item.id, set: q.value },
    };
  });
