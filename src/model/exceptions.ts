// The data exception categories: what each means, who owns it, how long they have (SLA), and what usually fixes
// it. Data exceptions hold an event until it is released; the owner role and SLA hours can be changed per
// category in the hub's configuration (`exceptions:`). Delivery rejections (`delivery_rejected`) share the
// workbench but point at a delivery, not a held event.
export const DATA_EXCEPTION_CATEGORIES = [
  'unmapped_item', 'inactive_item', 'missing_lot_serial', 'expired_item_used', 'unknown_location', 'invalid_cost_center',
  'no_contract_price', 'price_variance', 'uom_unconvertible', 'duplicate_serial_use', 'charge_without_cdm',
] as const;
export type DataExceptionCategory = (typeof DATA_EXCEPTION_CATEGORIES)[number];

export interface CategoryPolicy {
  ownerRole: string;
  slaHours: number;
  /** What usually fixes it, shown beside the exception. */
  suggestedFix: string;
}

export const DEFAULT_POLICIES: Record<DataExceptionCategory | 'delivery_rejected', CategoryPolicy> = {
  unmapped_item: { ownerRole: 'item-master', slaHours: 24, suggestedFix: 'map the sender\'s code to an ERP item (add a cross-reference), then release every event held for that code' },
  inactive_item: { ownerRole: 'item-master', slaHours: 24, suggestedFix: 'reactivate the item in the ERP, or correct the item the sender named' },
  missing_lot_serial: { ownerRole: 'perioperative', slaHours: 8, suggestedFix: 'add the lot and serial from the implant record or the sticker on the case sheet' },
  expired_item_used: { ownerRole: 'perioperative', slaHours: 4, suggestedFix: 'confirm the expiry date with the case record; if it was really expired, report it as a patient-safety event before releasing' },
  unknown_location: { ownerRole: 'supply-chain', slaHours: 24, suggestedFix: 'correct the location code, or add the par location to the ERP' },
  invalid_cost_center: { ownerRole: 'finance', slaHours: 48, suggestedFix: 'reactivate the cost center or move the department to an active one in the ERP' },
  no_contract_price: { ownerRole: 'contracts', slaHours: 48, suggestedFix: 'load the contract price for this item in the ERP' },
  price_variance: { ownerRole: 'contracts', slaHours: 72, suggestedFix: 'compare with the contract: update the ERP contract, or dispute the supplier\'s price' },
  uom_unconvertible: { ownerRole: 'item-master', slaHours: 24, suggestedFix: 'add the packaging level (units per box or case) to the item, or correct the unit' },
  duplicate_serial_use: { ownerRole: 'perioperative', slaHours: 4, suggestedFix: 'check both cases: a serial number is used once; correct the serial or reverse the wrong use' },
  charge_without_cdm: { ownerRole: 'revenue-cycle', slaHours: 24, suggestedFix: 'add a chargemaster line for this chargeable item, then release' },
  delivery_rejected: { ownerRole: 'integration', slaHours: 24, suggestedFix: 'read the destination\'s reason, fix the data or the mapping, then redeliver' },
};

export type ExceptionPolicies = (category: string) => CategoryPolicy;

/** The policy of every category, with the configuration's overrides applied. */
export function exceptionPolicies(overrides: Record<string, Partial<Pick<CategoryPolicy, 'ownerRole' | 'slaHours'>>> = {}): ExceptionPolicies {
  return (category) => {
    const base = DEFAULT_POLICIES[category as DataExceptionCategory] ?? { ownerRole: 'integration', slaHours: 24, suggestedFix: '' };
    return { ...base, ...overrides[category] };
  };
}
