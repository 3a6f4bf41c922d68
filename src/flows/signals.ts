// What flows hand to workflows in their signals' data: the shapes both sides agree on. Flows make them (from events
// and master data); the workflow reducers read them. They live here, below the workflows, so that flows never
// import a workflow.

/** What the requisition flow looked up for the workflow: the line, priced, and its budget. */
export interface RequisitionLine {
  facility: string;
  itemId: string;
  description: string;
  supplierId: string | null;
  vendorItem: string | null;
  gtin: string | null;
  quantity: number;
  uom: string;
  unitPrice: string | null;
  currency: string;
  locationId: string;
  costCenterId: string | null;
  /** What the cost center has left this period (amount − consumed − committed), when the ERP keeps a budget. */
  budgetAvailable: string | null;
  period: string;
  priority: 'routine' | 'urgent' | 'emergency';
  requisitionNumber: string | null;
  line: string | null;
  /** The system that asked, when it wants status updates (a procurement tool). */
  replyTo: string | null;
  /** The order this line goes into when it is approved (derived from the event id: unique, stable). */
  orderKey: string;
  /** A consigned implant already used: bought on its own bill-only order, with what ties it to the case. */
  billOnly?: BillOnly;
  /** Tendon's own replenishment of a par location: it closes when the stock is received (invoicing is the order's). */
  replenishment?: boolean;
}

/** What a bill-only purchase order carries for the supplier and for matching: the patient only as a PHI token. */
export interface BillOnly {
  caseId: string | null;
  encounter: string | null;
  patient: string | null;
  lot: string | null;
  serial: string | null;
  surgeon: string | null;
  serviceDate: string;
}

/** A supplier document line as the flow resolved it (item → ERP item id when known). */
export interface DocumentLine {
  line: string | null;
  itemId: string | null;
  quantity: number;
  unitPrice: string | null;
  status?: 'accepted' | 'changed' | 'backordered' | 'rejected';
  expectedDate?: string | null;
  lot?: string | null;
  serial?: string | null;
  expiry?: string | null;
}
