// The replenishment check, pure: given on-hand after a movement and the location's par level, is a requisition
// needed, and for how much? The engine guarantees "once while open" with the open-requisition record.
import type { ParLevel } from '../model/masterdata.ts';

export interface Need {
  quantity: number; // in each, rounded up to whole order units
  priority: 'routine' | 'emergency';
}

export function replenishmentNeed(onHand: number, par: ParLevel): Need | null {
  if (onHand >= par.reorderPoint) return null;
  const unit = par.orderUnit.quantity;
  const quantity = Math.ceil(Math.max(par.par - onHand, unit) / unit) * unit;
  // A critical item at zero is a stock-out risk for the next case: it goes as emergency.
  return { quantity, priority: par.critical && onHand <= 0 ? 'emergency' : 'routine' };
}
