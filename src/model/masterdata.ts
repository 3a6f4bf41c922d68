// Master-data records as Tendon reads them from their system of record (the ERP). Loose objects: a real ERP sends
// more fields than Tendon needs, and an extra field must never stop a pull.
import { z } from 'zod';

const base = { id: z.string().min(1), updatedAt: z.string() };
const status = z.enum(['active', 'inactive']).default('active');

export const MASTER_SCHEMAS = {
  facilities: z.looseObject({ ...base, name: z.string(), timezone: z.string().nullish() }),
  departments: z.looseObject({ ...base, facilityId: z.string(), name: z.string(), costCenterId: z.string().nullish() }),
  locations: z.looseObject({
    ...base, facilityId: z.string(), departmentId: z.string(), name: z.string(),
    managedBy: z.enum(['tendon', 'cabinet']).default('tendon'),
  }),
  'cost-centers': z.looseObject({ ...base, facilityId: z.string().nullish(), name: z.string(), status }),
  suppliers: z.looseObject({ ...base, name: z.string(), status }),
  items: z.looseObject({
    ...base,
    description: z.string(),
    uom: z.string(),
    gtin: z.string().nullish(),
    manufacturer: z.string().nullish(),
    catalogNumber: z.string().nullish(),
    supplierId: z.string().nullish(),
    implant: z.boolean().default(false),
    lotControlled: z.boolean().default(false),
    serialControlled: z.boolean().default(false),
    expiryControlled: z.boolean().default(false),
    chargeable: z.boolean().default(false),
    status,
  }),
  'contract-prices': z.looseObject({
    ...base, itemId: z.string(), supplierId: z.string().nullish(), price: z.string(), currency: z.string(), uom: z.string(),
    effectiveFrom: z.string(), effectiveTo: z.string().nullish(),
  }),
  chargemaster: z.looseObject({
    ...base, itemId: z.string(), chargeCode: z.string(), revenueCode: z.string(), hcpcs: z.string().nullish(),
    description: z.string().nullish(), price: z.string(), status,
  }),
  'par-levels': z.looseObject({
    ...base, locationId: z.string(), itemId: z.string(), par: z.number(), reorderPoint: z.number(),
    orderUnit: z.object({ uom: z.string(), quantity: z.number().positive() }).default({ uom: 'EA', quantity: 1 }),
    critical: z.boolean().default(false),
  }),
} as const;

export type MasterEntity = keyof typeof MASTER_SCHEMAS;
export const MASTER_ENTITIES = Object.keys(MASTER_SCHEMAS) as MasterEntity[];

export type Facility = z.infer<(typeof MASTER_SCHEMAS)['facilities']>;
export type Department = z.infer<(typeof MASTER_SCHEMAS)['departments']>;
export type Location = z.infer<(typeof MASTER_SCHEMAS)['locations']>;
export type CostCenter = z.infer<(typeof MASTER_SCHEMAS)['cost-centers']>;
export type Supplier = z.infer<(typeof MASTER_SCHEMAS)['suppliers']>;
export type Item = z.infer<(typeof MASTER_SCHEMAS)['items']>;
export type ContractPrice = z.infer<(typeof MASTER_SCHEMAS)['contract-prices']>;
export type ChargeLine = z.infer<(typeof MASTER_SCHEMAS)['chargemaster']>;
export type ParLevel = z.infer<(typeof MASTER_SCHEMAS)['par-levels']>;
