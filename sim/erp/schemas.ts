// What the ERP accepts: master-data records (for the admin endpoints that let tests fix data) and the
// two transactional documents, inventory transactions and requisitions.
import { z } from 'zod';
import { deliveryReference, instant, isoDate, money, nonEmpty, positive, reference } from '../common/schemas.ts';
import type { EntityName } from '../network/types.ts';

const status = z.enum(['active', 'inactive']);

/** Record shapes without updatedAt (the ERP stamps it). Strict: a typo in a field name is a 400. */
export const ENTITY_SCHEMAS: Record<EntityName, z.ZodObject> = {
  facilities: z.strictObject({ id: nonEmpty, name: nonEmpty, timezone: nonEmpty }),
  departments: z.strictObject({ id: nonEmpty, facilityId: nonEmpty, name: nonEmpty, costCenterId: nonEmpty }),
  locations: z.strictObject({
    id: nonEmpty,
    facilityId: nonEmpty,
    departmentId: nonEmpty,
    name: nonEmpty,
    managedBy: z.enum(['tendon', 'cabinet']),
  }),
  'cost-centers': z.strictObject({ id: nonEmpty, facilityId: nonEmpty, name: nonEmpty, status }),
  suppliers: z.strictObject({ id: nonEmpty, name: nonEmpty, duns: z.string(), gln: z.string(), status }),
  items: z.strictObject({
    id: nonEmpty,
    description: nonEmpty,
    uom: nonEmpty,
    gtin: z.string().regex(/^\d{14}$/, 'must be 14 digits').nullable(),
    manufacturer: z.string(),
    catalogNumber: z.string(),
    unspsc: z.string(),
    supplierId: nonEmpty,
    implant: z.boolean(),
    lotControlled: z.boolean(),
    serialControlled: z.boolean(),
    expiryControlled: z.boolean(),
    chargeable: z.boolean(),
    status,
  }),
  'contract-prices': z.strictObject({
    id: nonEmpty,
    itemId: nonEmpty,
    supplierId: nonEmpty,
    price: money,
    currency: z.string().length(3),
    uom: nonEmpty,
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
  }),
  chargemaster: z.strictObject({
    id: nonEmpty,
    itemId: nonEmpty,
    chargeCode: nonEmpty,
    revenueCode: z.string().regex(/^\d{4}$/),
    hcpcs: z.string().nullable(),
    description: nonEmpty,
    price: money,
    status,
  }),
  'par-levels': z.strictObject({
    id: nonEmpty,
    locationId: nonEmpty,
    itemId: nonEmpty,
    par: z.number().int().min(0),
    reorderPoint: z.number().int().min(0),
    orderUnit: z.strictObject({ uom: nonEmpty, quantity: z.number().int().positive() }),
    critical: z.boolean(),
  }),
};

/** For PATCH: any subset of the fields except id (ids are immutable). */
export function patchSchema(entity: EntityName): z.ZodType<Record<string, unknown>> {
  return ENTITY_SCHEMAS[entity].omit({ id: true }).partial();
}

export const inventoryTransactionSchema = z
  .looseObject({
    type: z.enum(['issue', 'return', 'receipt', 'adjustment']),
    itemId: nonEmpty,
    quantity: z.number().finite(),
    uom: nonEmpty,
    locationId: nonEmpty,
    costCenterId: nonEmpty,
    unitCost: money.nullable(),
    currency: z.string().length(3),
    occurredAt: instant,
    reference,
    lot: z.string().nullable().optional(),
    serial: z.string().nullable().optional(),
  })
  .refine((tx) => (tx.type === 'adjustment' ? tx.quantity !== 0 : tx.quantity > 0), {
    message: 'quantity must be > 0 (adjustments: non-zero, signed)',
    path: ['quantity'],
  });
export type InventoryTransaction = z.infer<typeof inventoryTransactionSchema>;

export const requisitionSchema = z.looseObject({
  locationId: nonEmpty,
  itemId: nonEmpty,
  quantity: positive,
  uom: nonEmpty,
  priority: z.enum(['routine', 'urgent', 'emergency']),
  reference,
});
export type Requisition = z.infer<typeof requisitionSchema>;
/** A requisition over FHIR: no Tendon event id, the SupplyRequest's identifier (its delivery) is the reference. */
export const keyedRequisitionSchema = requisitionSchema.extend({ reference: deliveryReference }) as unknown as z.ZodType<Requisition>;
