// requisition.created → the ERP, which numbers it and runs procurement. Emergencies (critical items at zero)
// travel in the critical lane.
import { PRIORITIES } from '../core/types.ts';
import { enrichLine } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import type { RequisitionCreatedPayload } from '../model/events.ts';
import { held, stockPartition, type FlowEvent, type Plan } from './plan.ts';

export const requisitionCreated = (e: FlowEvent, s: Snapshot): Plan => {
  const p = e.payload as RequisitionCreatedPayload;
  const priority = p.priority === 'emergency' ? PRIORITIES.critical : PRIORITIES.normal;
  const enriched = enrichLine(s, p, e.facility, e.sourceSystem, e.occurredAt, false);
  if (!enriched.ok) return held(stockPartition(e.facility, p.location, p.item.code ?? p.item.gtin ?? '?'), priority, enriched.problems);
  const x = enriched.value;
  const partitionKey = stockPartition(e.facility, x.location.id, x.item.id);
  return {
    partitionKey, priority, problems: [],
    deliveries: [{
      role: 'erp', action: 'requisition.create', partitionKey,
      body: { locationId: x.location.id, itemId: x.item.id, quantity: p.quantity.value, uom: p.quantity.unit, priority: p.priority },
    }],
  };
};
