// Master-data records as Tendon reads them from their system of record (the ERP). Loose objects: a real ERP sends
// more fields than Tendon needs, and an extra field must never stop a pull.
import { z } from 'zod';

const base = { id: z.string().min(1), updatedAt: z.string() };
const status = z.enum(['active', 'inactive']).default('active');
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number as a string');
const managedBy = z.enum(['tendon', 'cabinet']);

/** One packaging level of an item: how many base units (the item's `uom`) it holds, and its own GTIN. */
export const Packaging = z.object({ uom: z.string().min(1), quantity: z.number().positive(), gtin: z.string().nullish() });
/** A chargemaster price made from cost: cost × (1 + percent/100), rounded up to a multiple of roundTo, at least minimum. */
export const Markup = z.object({ percent: z.number().min(0), roundTo: decimal.default('0.01'), minimum: decimal.nullish() });

export const MASTER_SCHEMAS = {
  facilities: z.looseObject({ ...base, name: z.string(), timezone: z.string().nullish(), purchasingGroup: z.string().nullish() }),
  departments: z.looseObject({ ...base, facilityId: z.string(), name: z.string(), costCenterId: z.string().nullish() }),
  locations: z.looseObject({
    ...base, facilityId: z.string(), departmentId: z.string(), name: z.string(),
    managedBy: managedBy.default('tendon'),
  }),
  'cost-centers': z.looseObject({ ...base, facilityId: z.string().nullish(), name: z.string(), glAccountId: z.string().nullish(), status }),
  'gl-accounts': z.looseObject({ ...base, name: z.string(), status }),
  /** A cost center's budget for a period (YYYY-MM): what the ERP allows and what it has already consumed. */
  budgets: z.looseObject({
    ...base, costCenterId: z.string(), period: z.string().regex(/^\d{4}-\d{2}$/), amount: decimal, consumed: decimal.default('0'),
    // Open purchase orders' commitments against it (the ERP records them when it numbers a PO).
    committed: decimal.default('0'),
    currency: z.string().default('USD'),
  }),
  suppliers: z.looseObject({ ...base, name: z.string(), status }),
  items: z.looseObject({
    ...base,
    description: z.string(),
    uom: z.string(),
    gtin: z.string().nullish(),
    /** Larger packaging levels (box, case), each with its count of base units and its own GTIN. */
    packaging: z.array(Packaging).default([]),
    /** HIBCC labeler id + product number (the primary data without its UOM digit and check character). */
    hibcc: z.string().nullish(),
    manufacturer: z.string().nullish(),
    catalogNumber: z.string().nullish(),
    unspsc: z.string().nullish(),
    supplierId: z.string().nullish(),
    implant: z.boolean().default(false),
    lotControlled: z.boolean().default(false),
    serialControlled: z.boolean().default(false),
    expiryControlled: z.boolean().default(false),
    chargeable: z.boolean().default(false),
    // A rep's consigned implant: used first, then bought on a bill-only purchase order (workflows/purchase-order.ts).
    consigned: z.boolean().default(false),
    status,
  }),
  /** Effective-dated; a tier for one facility or one purchasing group wins over the network-wide price. */
  'contract-prices': z.looseObject({
    ...base, itemId: z.string(), supplierId: z.string().nullish(), price: decimal, currency: z.string(), uom: z.string(),
    effectiveFrom: z.string(), effectiveTo: z.string().nullish(), facilityId: z.string().nullish(), purchasingGroup: z.string().nullish(),
  }),
  /** A fixed price, or a markup rule over the contract cost. */
  chargemaster: z.looseObject({
    ...base, itemId: z.string(), chargeCode: z.string(), revenueCode: z.string(), hcpcs: z.string().nullish(),
    description: z.string().nullish(), price: decimal.nullish(), markup: Markup.nullish(), status,
  }),
  'par-levels': z.looseObject({
    ...base, locationId: z.string(), itemId: z.string(), par: z.number(), reorderPoint: z.number(),
    orderUnit: z.object({ uom: z.string(), quantity: z.number().positive() }).default({ uom: 'EA', quantity: 1 }),
    critical: z.boolean().default(false),
    /** Who reorders: Tendon, or the cabinet system itself. Unset: the location's own managedBy. */
    managedBy: managedBy.nullish(),
  }),
} as const;

export type MasterEntity = keyof typeof MASTER_SCHEMAS;
export const MASTER_ENTITIES = Object.keys(MASTER_SCHEMAS) as MasterEntity[];

/**
 * What the ERP produces that is not master data but is pulled the same way (incremental, paged): payments of
 * posted supplier invoices, which close procure-to-pay. Never kept as records: each becomes an event.
 */
export const ERP_FEED_SCHEMAS = {
  payments: z.looseObject({
    ...base, apInvoiceId: z.string().nullish(), invoiceNumber: z.string(), poNumber: z.string().nullish(), supplierId: z.string(),
    amount: decimal, currency: z.string().default('USD'), paidAt: z.string(),
  }),
};
export type ErpFeed = keyof typeof ERP_FEED_SCHEMAS;
export type Payment = z.infer<(typeof ERP_FEED_SCHEMAS)['payments']>;

export type Facility = z.infer<(typeof MASTER_SCHEMAS)['facilities']>;
export type Department = z.infer<(typeof MASTER_SCHEMAS)['departments']>;
export type Location = z.infer<(typeof MASTER_SCHEMAS)['locations']>;
export type CostCenter = z.infer<(typeof MASTER_SCHEMAS)['cost-centers']>;
export type GlAccount = z.infer<(typeof MASTER_SCHEMAS)['gl-accounts']>;
export type Budget = z.infer<(typeof MASTER_SCHEMAS)['budgets']>;
export type Supplier = z.infer<(typeof MASTER_SCHEMAS)['suppliers']>;
export type Item = z.infer<(typeof MASTER_SCHEMAS)['items']>;
export type ContractPrice = z.infer<(typeof MASTER_SCHEMAS)['contract-prices']>;
export type ChargeLine = z.infer<(typeof MASTER_SCHEMAS)['chargemaster']>;
export type ParLevel = z.infer<(typeof MASTER_SCHEMAS)['par-levels']>;
