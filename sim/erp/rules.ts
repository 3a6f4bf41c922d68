// The ERP's business checks, as pure functions over a record lookup. A failed check throws a 422 refusal
// with a detail that names the offending code, which is what an integration analyst needs to fix the data.
import { refuse } from '../common/problem.ts';
import type { CostCenter, EntityName, Item, Location } from '../network/types.ts';
import type { InventoryTransaction, Requisition } from './schemas.ts';

export type Lookup = (entity: EntityName, id: string) => unknown;

function activeItem(get: Lookup, itemId: string): Item {
  const item = get('items', itemId) as Item | undefined;
  if (!item) throw refuse(`unknown item ${itemId}`);
  if (item.status !== 'active') throw refuse(`item ${itemId} is inactive`);
  return item;
}

function knownLocation(get: Lookup, locationId: string): Location {
  const location = get('locations', locationId) as Location | undefined;
  if (!location) throw refuse(`unknown location ${locationId}`);
  return location;
}

export function checkInventoryTransaction(get: Lookup, tx: InventoryTransaction): void {
  activeItem(get, tx.itemId);
  knownLocation(get, tx.locationId);
  const costCenter = get('cost-centers', tx.costCenterId) as CostCenter | undefined;
  if (!costCenter) throw refuse(`unknown cost center ${tx.costCenterId}`);
  if (costCenter.status !== 'active') throw refuse(`cost center ${tx.costCenterId} is inactive`);
}

export function checkRequisition(get: Lookup, req: Requisition): void {
  activeItem(get, req.itemId);
  knownLocation(get, req.locationId);
}

export type RequisitionStatus = 'open' | 'fulfilled' | 'cancelled';

/** Fulfilment and cancellation only make sense for an open requisition. */
export function checkOpen(id: string, status: RequisitionStatus, action: string): void {
  if (status !== 'open') throw refuse(`requisition ${id} is ${status}; cannot ${action} it`);
}
