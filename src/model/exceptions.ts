// The data exception categories: what each means, who owns it, how long they have (SLA), and what usually fixes
// it. Data exceptions hold an event until it is released; the owner role and SLA hours can be changed per
// category in the hub's configuration (`exceptions:`). Delivery rejections (`delivery_rejected`) share the
// workbench but point at a delivery, not a held event.
export const DATA_EXCEPTION_CATEGORIES = [
  'unmapped_item', 'inactive_item', 'missing_lot_serial', 'expired_item_used', 'unknown_location', 'invalid_cost_center',
  'no_contract_price', 'price_variance', 'uom_unconvertible', 'duplicate_serial_use', 'charge_without_cdm',
] as const;
export type DataExceptionCategory = (typeof DATA_EXCEPTION_CATEGORIES)[number];

/**
 * Process exceptions point at a workflow instance, not at a held event: a person answers them with a decision
 * (POST /v1/workflows/{type}/{key}/decisions), which the workflow receives as an input. `price_variance` is both:
 * on an 832 catalog it holds the price event; on an 855 it waits for a decision on the purchase order.
 */
export const PROCESS_EXCEPTION_CATEGORIES = [
  'approval_required', 'budget_exceeded', 'po_rejected', 'supplier_ack_late', 'order_refused', 'price_variance', 'invoice_mismatch',
  'charge_missing', 'charge_rejected',
] as const;
export type ProcessExceptionCategory = (typeof PROCESS_EXCEPTION_CATEGORIES)[number];

export interface CategoryPolicy {
  ownerRole: string;
  slaHours: number;
  /** What usually fixes it, shown beside the exception. */
  suggestedFix: string;
}

export const DEFAULT_POLICIES: Record<DataExceptionCategory | ProcessExceptionCategory | 'delivery_rejected', CategoryPolicy> = {
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
  approval_required: { ownerRole: 'supply-chain', slaHours: 24, suggestedFix: 'decide: approve or reject the requisition (it is above the automatic approval limit)' },
  budget_exceeded: { ownerRole: 'finance', slaHours: 24, suggestedFix: 'decide: approve over budget, or reject; or raise the cost center\'s budget in the ERP and approve' },
  po_rejected: { ownerRole: 'supply-chain', slaHours: 24, suggestedFix: 'read the ERP\'s reason (budget, inactive supplier or cost center), fix it, then decide: retry or cancel' },
  supplier_ack_late: { ownerRole: 'supply-chain', slaHours: 24, suggestedFix: 'call the supplier; then decide: ask-again (re-send the 850), wait, or cancel the order' },
  order_refused: { ownerRole: 'integration', slaHours: 8, suggestedFix: 'read the supplier\'s reason (its 997/999 names the segment and element): fix the mapping or the item\'s supplier part number, then decide: ask-again (a new 850) or cancel' },
  invoice_mismatch: { ownerRole: 'accounts-payable', slaHours: 72, suggestedFix: 'compare PO, receipt and invoice side by side; decide: accept (post the invoice), or reject it and ask the supplier for a credit' },
  charge_missing: { ownerRole: 'revenue-cycle', slaHours: 24, suggestedFix: 'find the case\'s charge in billing; post it, or decide: accept if the use was not billable' },
  charge_rejected: { ownerRole: 'revenue-cycle', slaHours: 24, suggestedFix: 'read billing\'s reason, correct the account or charge code, then redeliver' },
  delivery_rejected: { ownerRole: 'integration', slaHours: 24, suggestedFix: 'read the destination\'s reason, fix the data or the mapping, then redeliver' },
};

export type ExceptionPolicies = (category: string) => CategoryPolicy;

/** The policy of every category, with the configuration's overrides applied. */
export function exceptionPolicies(overrides: Record<string, Partial<Pick<CategoryPolicy, 'ownerRole' | 'slaHours'>>> = {}): ExceptionPolicies {
  return (category) => {
    const base = DEFAULT_POLICIES[category as keyof typeof DEFAULT_POLICIES] ?? { ownerRole: 'integration', slaHours: 24, suggestedFix: '' };
    return { ...base, ...overrides[category] };
  };
}
