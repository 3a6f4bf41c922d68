// Stock arithmetic of the inventory system, pure. A movement changes on-hand by a delta; the delta is
// kept with the movement so its reversal can undo exactly that change, even for a count.
import { z } from 'zod';
import { instant, nonEmpty, reference } from '../common/schemas.ts';

export const movementSchema = z
  .looseObject({
    type: z.enum(['decrement', 'increment', 'adjust', 'count']),
    locationId: nonEmpty,
    itemId: nonEmpty,
    quantity: z.number().finite(),
    uom: nonEmpty,
    lot: z.string().nullable().optional(),
    serial: z.string().nullable().optional(),
    occurredAt: instant,
    reference,
  })
  .refine(
    (m) => (m.type === 'adjust' ? m.quantity !== 0 : m.type === 'count' ? m.quantity >= 0 : m.quantity > 0),
    { message: 'quantity must be > 0 (adjust: non-zero, signed; count: >= 0)', path: ['quantity'] },
  );
export type Movement = z.infer<typeof movementSchema>;

export type StockRow = { locationId: string; itemId: string; onHand: number };

export const stockKey = (locationId: string, itemId: string): string => `${locationId}|${itemId}`;

/**
 * How much a movement changes on-hand. On-hand may go negative: a real inventory system records the use
 * it was told about and lets the next count correct it, rather than refusing a clinical fact.
 */
export function movementDelta(type: Movement['type'], quantity: number, onHand: number): number {
  switch (type) {
    case 'decrement':
      return -quantity;
    case 'increment':
    case 'adjust':
      return quantity;
    case 'count':
      return quantity - onHand;
  }
}

/** Adds without accumulating binary-fraction noise (0.1 + 0.2 stays 0.3). */
export function addQuantity(a: number, b: number): number {
  return Math.round((a + b) * 1e6) / 1e6;
}
