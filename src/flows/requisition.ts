// requisition.created → the ERP, which numbers it and runs procurement, and, when the item has a supplier, a
// purchase order to that supplier (an X12 850 or a FHIR SupplyRequest, by the supplier destination's kind).
// Emergencies (critical items at zero) travel in the critical lane. Until the procure-to-pay workflow exists (it
// takes the ERP's PO number and consolidates lines per supplier), the PO is one line numbered from the requisition.
import { PRIORITIES } from '../core/types.ts';
import { enrichLine, localDate } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import type { RequisitionCreatedPayload } from '../model/events.ts';
import { held, stockPartition, type FlowEvent, type Plan, type PlannedDelivery } from './plan.ts';

export const requisitionCreated = (e: FlowEvent, s: Snapshot): Plan => {
  const p = e.payload as RequisitionCreatedPayload;
  const priority = p.priority === 'emergency' ? PRIORITIES.critical : PRIORITIES.normal;
  // A purchase needs a contract price: a PO without one is a problem for the contracts team, not the supplier.
  const enriched = enrichLine(s, p, e, { price: true });
  if (!enriched.ok) return held(stockPartition(e.facility, p.location, p.item.code ?? p.item.gtin ?? '?'), priority, enriched.problems);
  const x = enriched.value;
  const partitionKey = stockPartition(e.facility, x.location.id, x.item.id);
  const deliveries: PlannedDelivery[] = [{
    role: 'erp', action: 'requisition.create', partitionKey,
    body: { locationId: x.location.id, itemId: x.item.id, quantity: p.quantity.value, uom: p.quantity.unit, priority: p.priority },
  }];
  if (x.item.supplierId) {
    const poNumber = p.requisitionNumber ?? poNumberOf(e.id);
    deliveries.push({
      // The requisition's own partition: a correction's cancel 850 goes before the order that replaces it.
      role: 'supplier', action: 'purchase-order.send', partitionKey,
      body: {
        poNumber, orderDate: localDate(e.occurredAt), supplierId: x.item.supplierId, facility: e.facility,
        shipTo: { facility: e.facility, location: x.location.id }, priority: p.priority, currency: x.unitCost?.currency ?? 'USD',
        lines: [{
          line: '1', itemId: x.item.id, vendorItem: x.item.catalogNumber ?? null, gtin: x.item.gtin ?? null,
          description: x.item.description, quantity: p.quantity.value, uom: p.quantity.unit, unitPrice: x.unitCost?.amount ?? null,
        }],
      },
    });
  }
  return { partitionKey, priority, problems: [], deliveries };
};

/**
 * A PO number from the event id, within X12 BEG03's 22 characters: the UUIDv7's millisecond (12 hex) and the 9 hex
 * after its version nibble, which hold the counter that tells apart ids made in the same millisecond (a DFT with
 * several lines makes several requisitions at once). Unique and sortable.
 */
export const poNumberOf = (eventId: string): string => {
  const hex = eventId.replaceAll('-', '').toUpperCase();
  return `T${hex.slice(0, 12)}${hex.slice(13, 22)}`;
};
