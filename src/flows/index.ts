// The routing table: one flow per canonical event type. Types with no deliveries of their own are still stored,
// traceable, replayable and published to analytics; the supplier documents (855, 856, 810) and payments feed the
// procure-to-pay workflow through their flow's signals.
import { PRIORITIES } from '../core/types.ts';
import type { EventType } from '../model/events.ts';
import { chargeCredited, chargePosted } from './charges.ts';
import type { Flow } from './plan.ts';
import { requisitionCreated } from './requisition.ts';
import { priceUpdated } from './prices.ts';
import { paymentSettled, supplierDocument } from './procurement.ts';
import { itemUpserted, toInventory } from './items.ts';
import { stockAdjusted, stockCounted, stockReceived } from './stock.ts';
import { supplyReturned, supplyUsed } from './supply.ts';

const recordOnly: Flow = (e) => ({ partitionKey: `${e.facility}|${e.type}`, priority: PRIORITIES.bulk, problems: [], deliveries: [] });

export const FLOWS: Record<EventType, Flow> = {
  'supply.used': supplyUsed,
  'supply.returned': supplyReturned,
  'stock.received': stockReceived,
  'stock.adjusted': stockAdjusted,
  'stock.counted': stockCounted,
  'charge.posted': chargePosted,
  'charge.credited': chargeCredited,
  'requisition.created': requisitionCreated,
  'item.upserted': itemUpserted,
  'price.updated': priceUpdated,
  'supplier.upserted': toInventory('supplier'),
  'location.upserted': toInventory('location'),
  // Published to analytics as it is: no system here keeps a copy of the cost centers but the ERP.
  'costcenter.upserted': recordOnly,
  'po.acknowledged': supplierDocument,
  'shipment.noticed': supplierDocument,
  'invoice.received': supplierDocument,
  'payment.settled': paymentSettled,
};

export { replenishmentNeed } from './replenishment.ts';
export type { DestinationRole, FlowEvent, FlowSettings, Plan, PlannedDelivery, WorkflowSignal } from './plan.ts';
