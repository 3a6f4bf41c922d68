// The inventory system's item catalog, kept by the hub's item updates: PUT /items/:id with
// `{ item, reference }` upserts one item. Like a movement it needs an Idempotency-Key (the same key on the same item
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
