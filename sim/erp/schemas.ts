// What the ERP accepts: master-data records (for the admin endpoints that let tests fix data), the
// transactional documents (inventory transactions, requisitions) and procurement finance (purchase orders, AP
// invoices and credits).
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
    /** What open purchase orders hold of the budget; absent on seeded records, which is 0. */
    committed: money.optional(),
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
    consigned: z.boolean().default(false),
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

/** A price or an amount that may be zero (a free line) but never negative. */
const unitPrice = money.refine((v) => !v.startsWith('-'), 'must not be negative');
/** An amount greater than zero: a credit is said by its kind, never by a sign. */
const positiveAmount = money.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), 'must be greater than 0');
/** Each line number once per document, so a line of a PO and of an invoice say which one they are. */
const uniqueLines = (lines: { line: string }[]) => new Set(lines.map((l) => l.line)).size === lines.length;

export const purchaseOrderLineSchema = z.looseObject({
  line: nonEmpty,
  itemId: nonEmpty,
  quantity: positive,
  uom: nonEmpty,
  unitPrice,
  costCenterId: nonEmpty,
  locationId: nonEmpty.nullable().optional(),
  requisitionNumber: nonEmpty.nullable().optional(),
});

/** A purchase order the hub raises; the ERP numbers it (PO-000001) and commits its cost centers' budgets. */
export const purchaseOrderSchema = z.looseObject({
  /** The hub's own id for the order. */
  orderId: nonEmpty,
  facilityId: nonEmpty,
  supplierId: nonEmpty,
  orderDate: isoDate,
  currency: z.literal('USD'),
  priority: z.enum(['routine', 'urgent', 'emergency']),
  /** An implant already used in surgery, ordered to be billed (and replaced): budgeted like any order. */
  billOnly: z.boolean().optional(),
  lines: z.array(purchaseOrderLineSchema).min(1).max(1000).refine(uniqueLines, 'line numbers must be unique'),
  reference: z.looseObject({}).optional(),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;

export const apInvoiceLineSchema = z.looseObject({
  /** The PO line invoiced (or credited). */
  line: nonEmpty,
  itemId: nonEmpty,
  quantity: positive,
  unitPrice,
  amount: positiveAmount,
  costCenterId: nonEmpty,
});

/** A supplier invoice (or credit memo) posted to accounts payable against a PO. */
export const apInvoiceSchema = z.looseObject({
  poNumber: nonEmpty,
  invoiceNumber: nonEmpty,
  supplierId: nonEmpty,
  invoiceDate: isoDate,
  kind: z.enum(['invoice', 'credit']),
  currency: z.string().length(3),
  amount: positiveAmount,
  lines: z.array(apInvoiceLineSchema).min(1).max(1000).refine(uniqueLines, 'line numbers must be unique'),
  reference: z.looseObject({}).optional(),
});
export type ApInvoice = z.infer<typeof apInvoiceSchema>;
