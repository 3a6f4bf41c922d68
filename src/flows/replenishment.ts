// The replenishment check, pure: given on-hand after a movement and the location's par level, is a requisition
// needed, and for how much? The engine guarantees "once while open" with the open-requisition record.
import type { ParLevel } from '../model/masterdata.ts';

export interface Need {
  quantity: number; // in each, rounded up to whole order units
  priority: 'routine' | 'emergency';
}

/**
 * `emergencyOnHand` is the site's threshold: a critical item at or below it is a stock-out risk for the next case
 * and goes as emergency (0 by default; a remote hospital with a long lead time sets more).
 */
export function replenishmentNeed(onHand: number, par: ParLevel, emergencyOnHand = 0): Need | null {
  if (onHand >= par.reorderPoint) return null;
  const unit = par.orderUnit.quantity;
  const quantity = Math.ceil(Math.max(par.par - onHand, unit) / unit) * unit;
  return { quantity, priority: par.critical && onHand <= emergencyOnHand ? 'emergency' : 'routine' };
}
