// A purchase order delivery → an 850 interchange for the supplier, or the 850 that cancels it (BEG01 01). One
// interchange, one group, one transaction set: ISA13 and GS06 are the control number the pipeline allocated for the
// delivery (the same on every retry, never reused), ST02 numbers the set inside its group.
import { EncodeError } from '../rest/index.ts';
import { gtin14 } from '../../masterdata/snapshot.ts';
import { add, clean, interchangeOf, render, stamp } from './write.ts';

/** The body of a `purchase-order.send` delivery, as the requisition flow plans it. */
export interface PurchaseOrder {
  poNumber: string;
  orderDate: string; // YYYY-MM-DD
  supplierId: string;
  facility: string;
  shipTo: { facility: string; location: string };
  priority: 'routine' | 'urgent' | 'emergency';
  currency: string;
  /** A bill-only order for a consigned implant already used: the case, the patient as a PHI token, the service date. */
  billOnly?: { caseId: string | null; patient: string | null; serviceDate: string } | null;
  lines: {
    line: string;
    itemId: string;
    vendorItem: string | null;
    gtin: string | null;
    description: string | null;
    quantity: number;
    uom: string;
    unitPrice: string | null; // a decimal string
    lot?: string | null;
    serial?: string | null;
  }[];
}

export interface X12Envelope {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  version: '004010' | '005010';
  usage: 'P' | 'T';
  isa13: number;
  gs06: number;
  st02: number;
  now: string;
}

export const MAX_CONTROL = 999_999_999;

const control = (name: string, value: number) => {
  if (!Number.isInteger(value) || value < 1 || value > MAX_CONTROL) throw new EncodeError(`${name} ${value} is not a control number from 1 to ${MAX_CONTROL}`);
  return value;
};

/** X12 numbers are written plainly: no exponent, no float noise. */
const quantityText = (q: number): string => {
  if (!Number.isFinite(q) || q <= 0 || q > 1_000_000_000) throw new EncodeError(`quantity ${q} cannot be ordered`);
  return String(q);
};

function check(order: PurchaseOrder): void {
  if (!order.poNumber?.trim()) throw new EncodeError('the purchase order has no number');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(order.orderDate ?? '')) throw new EncodeError(`order date "${order.orderDate}" is not YYYY-MM-DD`);
  if (!Array.isArray(order.lines) || order.lines.length === 0) throw new EncodeError(`purchase order ${order.poNumber} has no lines`);
  if (!/^[A-Z]{3}$/.test(order.currency ?? '')) throw new EncodeError(`currency "${order.currency}" is not an ISO 4217 code`);
}

/**
 * BEG02 SA (stand-alone order) for routine orders, RO (rush order) for urgent and emergency ones, which also ask
 * for delivery on the order date (DTM*002). The ship-to is the facility's code (N1*ST, qualifier 92 buyer-assigned)
 * and the deliver-to location rides in REF*DP. Each line names the item three ways the supplier may know it: its
 * catalog number (VC), Tendon's ERP item (BP), the GTIN-14 (UK). A bill-only order (a consigned implant already used)
 * is BEG02 CN (consigned order) and carries the case as REF*CO, the patient as REF*EJ (in REF03) — the PHI token, never the
 * identifier: the supplier needs a reference it can quote back, not the patient — the date of service as DTM*472,
 * and each line's lot (LT) and serial (SN) among its product ids.
 */
export function encode850(order: PurchaseOrder, envelope: X12Envelope, purpose: 'original' | 'cancel' = 'original'): string {
  check(order);
  const version = envelope.version === '005010' ? '00501' : '00401';
  const interchange = interchangeOf({
    senderQualifier: envelope.senderQualifier, senderId: envelope.senderId, receiverQualifier: envelope.receiverQualifier,
    receiverId: envelope.receiverId, version, usage: envelope.usage, controlNumber: control('ISA13', envelope.isa13), now: envelope.now,
  });
  const { ccyymmdd, hhmm } = stamp(envelope.now);
  const group = interchange.addFunctionalGroup();
  group.setHeader(['PO', clean(envelope.senderId, 15), clean(envelope.receiverId, 15), ccyymmdd, hhmm, String(control('GS06', envelope.gs06)), 'X', envelope.version]);
  const tx = group.addTransaction();
  tx.setHeader(['850', String(control('ST02', envelope.st02)).padStart(4, '0')]);

  const rush = order.priority !== 'routine';
  const orderDate = order.orderDate.replaceAll('-', '');
  const billOnly = order.billOnly ?? null;
  add(tx, 'BEG', purpose === 'cancel' ? '01' : '00', billOnly ? 'CN' : rush ? 'RO' : 'SA', clean(order.poNumber, 22), '', orderDate);
  add(tx, 'CUR', 'BY', order.currency);
  if (order.shipTo?.location) add(tx, 'REF', 'DP', clean(order.shipTo.location, 30));
  if (billOnly?.caseId) add(tx, 'REF', 'CO', clean(billOnly.caseId, 30));
  // A token (35 characters) is longer than 004010's REF02 (30): it rides whole in REF03, which REF allows instead.
  if (billOnly?.patient) add(tx, 'REF', 'EJ', '', clean(billOnly.patient, 80));
  if (billOnly) add(tx, 'DTM', '472', billOnly.serviceDate.replaceAll('-', ''));
  else if (rush) add(tx, 'DTM', '002', orderDate);
  const facility = clean(order.shipTo?.facility || order.facility, 80);
  add(tx, 'N1', 'ST', facility, '92', facility);
  for (const l of order.lines) {
    const ids = [
      ...(l.vendorItem ? ['VC', clean(l.vendorItem, 48)] : []),
      'BP', clean(l.itemId, 48),
      ...(l.gtin && /^\d{8}$|^\d{12,14}$/.test(l.gtin) ? ['UK', gtin14(l.gtin)] : []),
      ...(l.lot ? ['LT', clean(l.lot, 48)] : []),
      ...(l.serial ? ['SN', clean(l.serial, 48)] : []),
    ];
    if (!/^[A-Z0-9]{2}$/.test(l.uom ?? '')) throw new EncodeError(`line ${l.line}: unit "${l.uom}" is not a two-character X12 unit of measure`);
    if (l.unitPrice !== null && !/^\d{1,12}(\.\d{1,4})?$/.test(l.unitPrice)) throw new EncodeError(`line ${l.line}: unit price "${l.unitPrice}" is not a decimal`);
    const price = l.unitPrice ? [l.unitPrice, 'PE'] : ['', '']; // PE: price per each unit of PO103
    add(tx, 'PO1', clean(l.line, 20), quantityText(l.quantity), l.uom, ...price, ...ids);
    if (l.description) add(tx, 'PID', 'F', '', '', '', clean(l.description, 80));
  }
  const total = order.lines.reduce((sum, l) => sum + l.quantity, 0);
  add(tx, 'CTT', String(order.lines.length), Number.isInteger(total) ? String(total) : '');
  return render(interchange);
}
