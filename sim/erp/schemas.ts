// What the ERP accepts: master-data records (for the admin endpoints that let tests fix data) and the
// two transactional documents, inventory transactions and requisitions.
import { z } from 'zod';
import { deliveryReference, instant, isoDate, money, nonEmpty, positive, reference } from '../common/schemas.ts';
import type { EntityName } from '../network/types.ts';

const status = z.enum(['active', 'inactive']);
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM');
const gtin14 = z.string().regex(/^\d{14}$/, 'must be 14 digits');
const packaging = z.strictObject({ uom: z.enum(['BX', 'CS']), quantity: z.number().int().positive(), gtin: gtin14.nullable() });
const markup = z.strictObject({ percent: z.number().min(0), roundTo: money, minimum: money.nullable() });
/** HIBCC primary data without UOM digit and check character: a 4-character LIC (a letter first) + 1–18 product characters. */
const hibcc = z.string().regex(/^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}$/, 'must be a HIBCC LIC and product number');

/**
 * Record shapes without updatedAt (the ERP stamps it). Strict: a typo in a field name is a 400. Fields added
 * after the first version are optional, so a test may still create a record the way it always did.
 */
export const ENTITY_SCHEMAS: Record<EntityName, z.ZodObject> = {
  facilities: z.strictObject({ id: nonEmpty, name: nonEmpty, timezone: nonEmpty, purchasingGroup: nonEmpty.nullable().optional() }),
  departments: z.strictObject({ id: nonEmpty, facilityId: nonEmpty, name: nonEmpty, costCenterId: nonEmpty }),
  locations: z.strictObject({
    id: nonEmpty,
    facilityId: nonEmpty,
    departmentId: nonEmpty,
    name: nonEmpty,
    managedBy: z.enum(['tendon', 'cabinet']),
  }),
  'cost-centers': z.strictObject({ id: nonEmpty, facilityId: nonEmpty, name: nonEmpty, glAccountId: nonEmpty.nullable().optional(), status }),
  'gl-accounts': z.strictObject({ id: nonEmpty, name: nonEmpty, status }),
  budgets: z.strictObject({
    id: nonEmpty,
    costCenterId: nonEmpty,
    period,
    amount: money,
    consumed: money,
    currency: z.string().length(3),
  }),
  suppliers: z.strictObject({ id: nonEmpty, name: nonEmpty, duns: z.string(), gln: z.string(), status }),
  items: z.strictObject({
    id: nonEmpty,
    description: nonEmpty,
    uom: nonEmpty,
    gtin: gtin14.nullable(),
    packaging: z.array(packaging).optional(),
    hibcc: hibcc.nullable().optional(),
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
    facilityId: nonEmpty.nullable().optional(),
    purchasingGroup: nonEmpty.nullable().optional(),
  }),
  chargemaster: z.strictObject({
    id: nonEmpty,
    itemId: nonEmpty,
    chargeCode: nonEmpty,
    revenueCode: z.string().regex(/^\d{4}$/),
    hcpcs: z.string().nullable(),
    description: nonEmpty,
    price: money.nullable(),
    markup: markup.nullable().optional(),
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
    managedBy: z.enum(['tendon', 'cabinet']).optional(),
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
