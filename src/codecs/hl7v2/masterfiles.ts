// Outbound HL7 master files (chapter 8) for the systems that keep copies of Tendon's master data: an item as an
// MFN^M16 (inventory item master: MFI, MFE, ITM, one PKG per packaging level) for the EHR and cabinet systems,
// and a chargemaster line as an MFN^M04 (MFI 'CDM', MFE, CDM, PRC) for billing. One record per message; MSH-10
// is the delivery's idempotency key. Pure. The M16 is the layout Tendon's own M16 reader takes (mfn.ts), so an
// item sent and read back is the same item.
import { Hl7Message } from '@medplum/core';
import { EncodeError } from '../rest/codec.ts';
import { DEFAULT_CONTEXT, hl7DateTime } from './fields.ts';
import { e, joined, msh, segment, type OutboundHeader } from './encode.ts';

interface PackagingLevel {
  uom: string;
  quantity: number;
  gtin?: string | null;
}

interface ItemBody {
  id: string;
  description: string;
  uom: string;
  gtin?: string | null;
  packaging?: PackagingLevel[];
  manufacturer?: string | null;
  catalogNumber?: string | null;
  implant?: boolean;
  chargeable?: boolean;
  status: 'active' | 'inactive';
}

interface ChargeBody {
  itemId: string;
  chargeCode: string;
  revenueCode: string;
  hcpcs?: string | null;
  description?: string | null;
  price: string | null;
  status: 'active' | 'inactive';
}

/** MFE-1 (table 0180): an update, or a deactivation for a retired record. */
const recordEvent = (status: string) => (status === 'active' ? 'MUP' : 'MDC');

export function encodeItemMfn(body: Record<string, unknown>, ctx: OutboundHeader): string {
  const item = body.item as ItemBody | undefined;
  if (!item?.id || !item.description || !item.uom) throw new EncodeError('an item master update needs item.id, item.description and item.uom');
  const now = hl7DateTime(ctx.now);
  const key = joined(e(item.id), 'ERP');
  // PKG-2 unit, PKG-4 base units in it, PKG-8 its GTIN: the base unit first, then the larger levels.
  const levels: PackagingLevel[] = [{ uom: item.uom, quantity: 1, gtin: item.gtin ?? null }, ...(item.packaging ?? [])];
  const segments = [
    msh(ctx, 'MFN^M16^MFN_M16'),
    segment('MFI', { 1: 'ITM^Inventory item master^HL70175', 3: 'UPD', 6: 'AL' }),
    segment('MFE', { 1: recordEvent(item.status), 3: now, 4: key, 5: 'CWE' }),
    segment('ITM', {
      1: key, 2: e(item.description), 3: item.status === 'active' ? 'A^Active^HL70776' : 'I^Inactive^HL70776',
      4: item.implant ? 'IMP^Implantable device^L' : 'SUP^Supply^L', 8: e(item.manufacturer), 9: e(item.catalogNumber),
      11: item.chargeable ? 'Y' : 'N',
    }),
    ...levels.map((level, i) => segment('PKG', {
      1: String(i + 1), 2: e(level.uom), 3: i === 0 ? 'Y' : 'N', 4: String(level.quantity), 8: level.gtin ? joined(e(level.gtin), '', 'GS1') : '',
    })),
  ];
  return new Hl7Message(segments, DEFAULT_CONTEXT).toString() + '\r';
}

export function encodeChargemasterMfn(body: Record<string, unknown>, ctx: OutboundHeader): string {
  const line = body.charge as ChargeBody | undefined;
  if (!line?.chargeCode || !line.revenueCode) throw new EncodeError('a chargemaster update needs charge.chargeCode and charge.revenueCode');
  const description = e(line.description ?? line.itemId);
  const segments = [
    msh(ctx, 'MFN^M04^MFN_M04'),
    segment('MFI', { 1: 'CDM^Charge description master^HL70175', 3: 'UPD', 6: 'AL' }),
    segment('MFE', { 1: recordEvent(line.status), 3: hl7DateTime(ctx.now), 4: e(line.chargeCode), 5: 'CWE' }),
    // CDM-3 short and CDM-4 long description, CDM-7 procedure code (HCPCS), CDM-8 active (table 0183), CDM-9 item.
    segment('CDM', {
      1: e(line.chargeCode), 3: description, 4: description, 7: line.hcpcs ? joined(e(line.hcpcs), '', 'HCPCS') : '',
      8: line.status === 'active' ? 'A' : 'I', 9: e(line.itemId),
    }),
    // PRC-5 price (CP: amount&currency) — left out for a markup line Tendon could not price (no contract cost);
    // PRC-14 billing category carries the UB-04 revenue code.
    segment('PRC', { 1: e(line.chargeCode), 5: line.price ? `${e(line.price)}&USD` : '', 14: e(line.revenueCode) }),
  ];
  return new Hl7Message(segments, DEFAULT_CONTEXT).toString() + '\r';
}
