// Canonical event schemas, version 1. The single source for validation, TypeScript types and the JSON Schema
// that `tendon schema` prints. Adding a field that senders may omit keeps version 1; changing a meaning is a
// new schemaVersion beside this one.
import { z } from 'zod';
import {
  Code, CountQuantity, DateOnly, DateTime, ItemRef, Money, PatientRef, Person, Quantity, SignedQuantity, optionalText,
} from './primitives.ts';

/** Rules zod checks with a refinement, which JSON Schema cannot see: written out so the exported schema agrees. */
const REFINEMENTS = new Map<unknown, Record<string, unknown>>([
  [ItemRef, { anyOf: [{ required: ['code'] }, { required: ['gtin'] }] }],
  [PatientRef, { oneOf: [{ required: ['identifier'] }, { required: ['token'] }] }],
]);

/** Clinical and accounting context of a use: events are immutable, so reconciliation and analytics need it here. */
const UsageContext = {
  patient: PatientRef.optional(),
  encounter: Code.nullish(), // the patient account the charge lands on
  caseId: Code.nullish(),
  procedureCode: Code.nullish(), // CPT/HCPCS of the procedure
  surgeon: Person.nullish(),
  serviceLine: Code.nullish(),
  payerClass: Code.nullish(),
  project: Code.nullish(),
  grant: Code.nullish(),
};

const Traceability = {
  lot: Code.nullish(),
  serial: Code.nullish(),
  expiry: DateOnly.nullish(),
};

const SupplyUsed = z.object({
  item: ItemRef,
  quantity: Quantity,
  location: Code,
  ...Traceability,
  ...UsageContext,
});

const SupplyReturned = SupplyUsed.extend({ reason: optionalText });

const StockReceived = z.object({
  item: ItemRef,
  quantity: Quantity,
  location: Code,
  ...Traceability,
  requisitionNumber: Code.nullish(),
  poNumber: Code.nullish(),
  unitCost: Money.nullish(),
});

const StockAdjusted = z.object({ item: ItemRef, quantity: SignedQuantity, location: Code, reason: z.string().min(1).max(500) });

const StockCounted = z.object({ item: ItemRef, quantity: CountQuantity, location: Code });

const ChargePosted = z.object({
  account: Code,
  patient: PatientRef,
  chargeCode: Code,
  revenueCode: z.string().regex(/^\d{4}$/).nullish(),
  hcpcs: Code.nullish(),
  quantity: Quantity,
  unitPrice: Money,
  serviceDate: DateOnly,
  item: ItemRef.optional(),
  performer: Person.nullish(),
});

const ChargeCredited = z.object({
  account: Code,
  patient: PatientRef,
  chargeCode: Code,
  quantity: Quantity,
  serviceDate: DateOnly,
  reason: optionalText,
});

const ItemUpserted = z.object({
  id: Code,
  description: z.string().min(1).max(500),
  uom: Code,
  gtin: z.string().regex(/^\d{14}$/).nullish(),
  manufacturer: z.string().max(200).nullish(),
  catalogNumber: Code.nullish(),
  implant: z.boolean(),
  chargeable: z.boolean(),
  status: z.enum(['active', 'inactive']),
  // The rest of the item master, as the ERP announces it (an MFN^M16 or a CSV load may carry less).
  packaging: z.array(z.object({ uom: Code, quantity: z.number().positive(), gtin: z.string().regex(/^\d{14}$/).nullish() })).optional(),
  hibcc: Code.nullish(),
  unspsc: Code.nullish(),
  supplierId: Code.nullish(),
  lotControlled: z.boolean().optional(),
  serialControlled: z.boolean().optional(),
  expiryControlled: z.boolean().optional(),
});

/** Master-data changes announced by the ERP, for the systems that keep copies (and for analytics). */
const SupplierUpserted = z.object({ id: Code, name: z.string().min(1).max(200), status: z.enum(['active', 'inactive']) });
const CostCenterUpserted = z.object({
  id: Code, name: z.string().min(1).max(200), facilityId: Code.nullish(), glAccountId: Code.nullish(), status: z.enum(['active', 'inactive']),
});
const LocationUpserted = z.object({
  id: Code, facilityId: Code, departmentId: Code, name: z.string().min(1).max(200), managedBy: z.enum(['tendon', 'cabinet']),
});

const PriceUpdated = z.object({
  itemId: Code,
  supplierId: Code.nullish(),
  price: Money,
  uom: Code,
  effectiveFrom: DateOnly,
  effectiveTo: DateOnly.nullish(),
});

/** A document line from a supplier (855, 856, 810): the item as the supplier names it, resolved by enrichment. */
const SupplierLine = {
  line: Code.nullish(), // PO1-01 / LIN-01: the buyer's line number when the supplier echoes it
  item: ItemRef,
  quantity: Quantity,
};

/** 855: the supplier's answer to a purchase order, whole and per line (price or quantity changed, backordered…). */
const PoAcknowledged = z.object({
  poNumber: Code,
  supplierId: Code,
  status: z.enum(['accepted', 'changed', 'rejected']),
  lines: z.array(z.object({
    ...SupplierLine,
    status: z.enum(['accepted', 'changed', 'backordered', 'rejected']),
    unitPrice: Money.nullish(),
    expectedDate: DateOnly.nullish(),
  })).max(10_000),
});

/** 856: an advance ship notice; the goods are received later, as stock.received. */
const ShipmentNoticed = z.object({
  shipmentId: Code,
  poNumber: Code,
  supplierId: Code,
  shippedAt: DateTime.nullish(),
  expectedAt: DateOnly.nullish(),
  carrier: Code.nullish(),
  trackingNumber: Code.nullish(),
  lines: z.array(z.object({ ...SupplierLine, ...Traceability })).min(1).max(10_000),
});

/** 810: a supplier invoice (or a credit memo), matched against PO and receipts by the procure-to-pay workflow. */
const InvoiceReceived = z.object({
  invoiceNumber: Code,
  invoiceDate: DateOnly,
  poNumber: Code.nullish(),
  supplierId: Code,
  kind: z.enum(['invoice', 'credit']),
  total: Money,
  lines: z.array(z.object({ ...SupplierLine, unitPrice: Money, lot: Code.nullish(), serial: Code.nullish() })).min(1).max(10_000),
});

const RequisitionCreated = z.object({
  item: ItemRef,
  quantity: Quantity,
  location: Code,
  priority: z.enum(['routine', 'urgent', 'emergency']),
  reason: optionalText,
  /** The requesting system's own number (a procurement tool's requisition id); its status updates go back under it. */
  requisitionNumber: Code.nullish(),
  line: Code.nullish(),
  /** The cost center charged; without it, the location's. */
  costCenterId: Code.nullish(),
  requester: z.string().max(200).nullish(),
});

/** The ERP paid a posted supplier invoice: the last step of procure-to-pay. */
const PaymentSettled = z.object({
  paymentId: Code,
  invoiceNumber: Code,
  poNumber: Code.nullish(),
  supplierId: Code,
  amount: Money,
  paidAt: DateTime,
});

export const PAYLOADS = {
  'supply.used': SupplyUsed,
  'supply.returned': SupplyReturned,
  'stock.received': StockReceived,
  'stock.adjusted': StockAdjusted,
  'stock.counted': StockCounted,
  'charge.posted': ChargePosted,
  'charge.credited': ChargeCredited,
  'item.upserted': ItemUpserted,
  'price.updated': PriceUpdated,
  'supplier.upserted': SupplierUpserted,
  'costcenter.upserted': CostCenterUpserted,
  'location.upserted': LocationUpserted,
  'requisition.created': RequisitionCreated,
  'po.acknowledged': PoAcknowledged,
  'shipment.noticed': ShipmentNoticed,
  'invoice.received': InvoiceReceived,
  'payment.settled': PaymentSettled,
} as const;
export type EventType = keyof typeof PAYLOADS;
export const EVENT_TYPES = Object.keys(PAYLOADS) as EventType[];
export const SCHEMA_VERSION = 1;

const envelope = <T extends EventType>(type: T) =>
  z.object({
    type: z.literal(type),
    schemaVersion: z.literal(SCHEMA_VERSION).default(SCHEMA_VERSION),
    /** Unique per real-world fact within the source system; a re-send with the same key is a duplicate. */
    idempotencyKey: Code,
    occurredAt: DateTime,
    facility: Code,
    source: z.object({ system: Code }),
    correlationId: Code.optional(),
    causationId: Code.optional(),
    payload: PAYLOADS[type],
  });

export const InboundEvent = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((t) => envelope(t)) as unknown as [ReturnType<typeof envelope<'supply.used'>>],
);

export type SupplyUsedPayload = z.infer<typeof SupplyUsed>;
export type StockReceivedPayload = z.infer<typeof StockReceived>;
export type StockAdjustedPayload = z.infer<typeof StockAdjusted>;
export type StockCountedPayload = z.infer<typeof StockCounted>;
export type ChargePostedPayload = z.infer<typeof ChargePosted>;
export type ChargeCreditedPayload = z.infer<typeof ChargeCredited>;
export type RequisitionCreatedPayload = z.infer<typeof RequisitionCreated>;
export type PriceUpdatedPayload = z.infer<typeof PriceUpdated>;
export type PoAcknowledgedPayload = z.infer<typeof PoAcknowledged>;
export type ShipmentNoticedPayload = z.infer<typeof ShipmentNoticed>;
export type InvoiceReceivedPayload = z.infer<typeof InvoiceReceived>;
export type PaymentSettledPayload = z.infer<typeof PaymentSettled>;

/** An inbound event after validation: the payload is typed loosely here and narrowed by each flow. */
export interface InboundEventT {
  type: EventType;
  schemaVersion: number;
  idempotencyKey: string;
  occurredAt: string;
  facility: string;
  source: { system: string };
  correlationId?: string | undefined;
  causationId?: string | undefined;
  payload: Record<string, unknown>;
}

/** The JSON Schema of every canonical event type (draft 2020-12), for `tendon schema` and the docs. */
export function eventJsonSchemas(): Record<EventType, unknown> {
  return Object.fromEntries(
    EVENT_TYPES.map((t) => [t, z.toJSONSchema(envelope(t), {
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => Object.assign(ctx.jsonSchema, REFINEMENTS.get(ctx.zodSchema) ?? {}),
    })]),
  ) as Record<EventType, unknown>;
}
