// The supplier's documents (855, 856, 810) and the ERP's payments: recorded, published to analytics, and passed to
// the purchase order they name (`po:<number>`), with each line's item resolved to the ERP item here, where master
// data is. A document naming a PO no workflow knows (one ordered before Tendon, or by hand) is recorded only.
import { PRIORITIES } from '../core/types.ts';
import { resolveItem } from '../masterdata/enrich.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import type { PaymentSettledPayload } from '../model/events.ts';
import type { ItemRef } from '../model/primitives.ts';
import type { DocumentLine } from './signals.ts';
import type { FlowEvent, Plan } from './plan.ts';

interface SupplierDocumentLine {
  line?: string | null;
  item: ItemRef;
  quantity: { value: number };
  unitPrice?: { amount: string } | null;
  status?: DocumentLine['status'];
  expectedDate?: string | null;
  lot?: string | null;
  serial?: string | null;
  expiry?: string | null;
}

const recorded = (e: FlowEvent, signals: Plan['signals'] = []): Plan =>
  ({ partitionKey: `${e.facility}|${e.type}`, priority: PRIORITIES.bulk, problems: [], deliveries: [], signals });

const toPurchaseOrder = (poNumber: unknown, data: Record<string, unknown>): NonNullable<Plan['signals']> =>
  typeof poNumber === 'string' && poNumber ? [{ workflow: 'purchase-order', ref: `po:${poNumber}`, data }] : [];

/** 855, 856, 810: their lines with the ERP item each names. */
export const supplierDocument = (e: FlowEvent, s: Snapshot): Plan => {
  const lines = ((e.payload.lines ?? []) as SupplierDocumentLine[]).map((l): DocumentLine => ({
    line: l.line ?? null, itemId: resolveItem(s, l.item, e.sourceSystem)?.id ?? null, quantity: l.quantity.value,
    unitPrice: l.unitPrice?.amount ?? null, status: l.status, expectedDate: l.expectedDate ?? null, lot: l.lot ?? null,
    serial: l.serial ?? null, expiry: l.expiry ?? null,
  }));
  return recorded(e, toPurchaseOrder(e.payload.poNumber, { lines }));
};

export const paymentSettled = (e: FlowEvent): Plan => {
  const p = e.payload as PaymentSettledPayload;
  return recorded(e, toPurchaseOrder(p.poNumber, { paymentId: p.paymentId, invoiceNumber: p.invoiceNumber, amount: p.amount.amount }));
};
