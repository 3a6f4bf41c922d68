// The inventory system's copies of master data, kept by the hub's updates: PUT /items/:id with `{ item, reference }`
// upserts one item (likewise /locations/:id with `{ location }` and /suppliers/:id with `{ supplier }`). Like a movement it needs an Idempotency-Key (the same key on the same item
// replays the stored answer, one effect) and is one ledger entry (kind `item`, the body as received); unlike one it
// is not reversible. Movements still take any item code, catalogued or not.
import { z } from 'zod';
import { nonEmpty, positive, reference } from '../common/schemas.ts';

/** One packaging level above the base unit, as the ERP's item master has them. */
const packagingLevel = z.looseObject({ uom: nonEmpty, quantity: positive, gtin: z.string().nullable().optional() });

export const catalogItemSchema = z.looseObject({
  id: nonEmpty,
  description: z.string(),
  uom: nonEmpty,
  gtin: z.string().nullable().optional(),
  packaging: z.array(packagingLevel).optional(),
  status: z.enum(['active', 'inactive']).optional(),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;

export const itemUpdateSchema = z.looseObject({ item: catalogItemSchema, reference });

export const locationUpdateSchema = z.looseObject({
  location: z.looseObject({ id: nonEmpty, facilityId: nonEmpty, departmentId: nonEmpty, name: z.string(), managedBy: z.enum(['tendon', 'cabinet']) }),
  reference,
});
export const supplierUpdateSchema = z.looseObject({
  supplier: z.looseObject({ id: nonEmpty, name: z.string(), status: z.enum(['active', 'inactive']) }),
  reference,
});
