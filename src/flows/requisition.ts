// requisition.created → the requisition workflow, which approves it and orders it from the item's supplier on a
// consolidated purchase order (workflows/requisition.ts, purchase-order.ts); an item no supplier sells is stock the
// ERP's own warehouse fills, so that requisition goes to the ERP instead (never both: goods are not received twice).
// The flow does the master-data part the workflow may not: the item, its contract price, the cost center and what
// its budget has left. Emergencies (critical items at zero) travel in the critical lane.
import Big from 'big.js';
import { PRIORITIES } from '../core/types.ts';
import { enrichLine, localDate } from '../masterdata/enrich.ts';
import { budgetKey, type Snapshot } from '../masterdata/snapshot.ts';
import type { RequisitionCreatedPayload } from '../model/events.ts';
import type { RequisitionLine } from './signals.ts';
import { held, stockPartition, type FlowEvent, type Plan } from './plan.ts';

export const requisitionCreated = (e: FlowEvent, s: Snapshot): Plan => {
  const p = e.payload as RequisitionCreatedPayload;
  const priority = p.priority === 'emergency' ? PRIORITIES.critical : PRIORITIES.normal;
  // A purchase needs a contract price: a PO without one is a problem for the contracts team, not the supplier.
  const enriched = enrichLine(s, p, e, { price: true });
  if (!enriched.ok) return held(stockPartition(e.facility, p.location, p.item.code ?? p.item.gtin ?? '?'), priority, enriched.problems);
  const x = enriched.value;
  const partitionKey = stockPartition(e.facility, x.location.id, x.item.id);
  const quantity = x.baseQuantity ?? p.quantity;
  const costCenterId = p.costCenterId ?? x.costCenter?.id ?? null;
  const period = localDate(e.occurredAt).slice(0, 7);
  const budget = costCenterId ? s.budgets.get(budgetKey(costCenterId, period)) : undefined;
  const line: RequisitionLine = {
    facility: e.facility, itemId: x.item.id, description: x.item.description, supplierId: x.item.supplierId ?? null,
    vendorItem: x.item.catalogNumber ?? null, gtin: x.item.gtin ?? null, quantity: quantity.value, uom: quantity.unit,
    unitPrice: x.unitCost?.amount ?? null, currency: x.unitCost?.currency ?? 'USD', locationId: x.location.id, costCenterId,
    budgetAvailable: budget ? new Big(budget.amount).minus(budget.consumed).minus(budget.committed).toFixed(2) : null, period,
    priority: p.priority, requisitionNumber: p.requisitionNumber ?? null, line: p.line ?? null,
    // Status goes back to a system that numbered its requisition (a procurement tool), never to Tendon itself.
    replyTo: p.requisitionNumber && e.sourceSystem !== 'tendon' ? e.sourceSystem : null,
    // Tendon's own replenishment of a par location: done once the stock is back on the shelf.
    replenishment: e.sourceSystem === 'tendon',
    orderKey: orderKeyOf(e.id),
  };
  return {
    partitionKey, priority, problems: [],
    deliveries: x.item.supplierId ? [] : [{
      role: 'erp', action: 'requisition.create', partitionKey,
      body: { locationId: x.location.id, itemId: x.item.id, quantity: quantity.value, uom: quantity.unit, priority: p.priority },
    }],
    signals: [{ workflow: 'requisition', key: requisitionKey(e.sourceSystem, p.requisitionNumber ?? e.revisionOf ?? e.id, p.line ?? '1'), start: true, data: { ...line } }],
  };
};

export const requisitionKey = (system: string, number: string, line: string): string => `${system}:${number}:${line}`;

/**
 * An order key from the event id, within X12 BEG03's 22 characters (it is the PO number when no ERP numbers
 * orders): the UUIDv7's millisecond (12 hex) and the 9 hex after its version nibble, which hold the counter that
 * tells apart ids made in the same millisecond (a DFT with several lines makes several requisitions at once).
 */
export const orderKeyOf = (eventId: string): string => {
  const hex = eventId.replaceAll('-', '').toUpperCase();
  return `T${hex.slice(0, 12)}${hex.slice(13, 22)}`;
};
