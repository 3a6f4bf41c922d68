// The routing table: one flow per canonical event type. Types with no flow yet are recorded (stored, traceable,
// replayable, published to analytics) and have no deliveries of their own: the supplier documents (855, 856, 810)
// feed the procure-to-pay workflow, in a later stage.
import { PRIORITIES } from '../core/types.ts';
import type { EventType } from '../model/events.ts';
import { chargeCredited, chargePosted } from './charges.ts';
import type { Flow } from './plan.ts';
import { requisitionCreated } from './requisition.ts';
import { priceUpdated } from './prices.ts';
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
  'po.acknowledged': recordOnly,
  'shipment.noticed': recordOnly,
  'invoice.received': recordOnly,
};

export { replenishmentNeed } from './replenishment.ts';
export type { DestinationRole, FlowEvent, FlowSettings, Plan, PlannedDelivery } from './plan.ts';
