// Outbound HL7 master files (chapter 8) for the systems that keep copies of Tendon's master data: an item as an
// MFN^M16 (inventory item master: MFI, MFE, ITM, VND when the item has a supplier, one PKG per packaging level) for
// the EHR and cabinet systems, and a chargemaster line as an MFN^M04 (MFI 'CDM', MFE, CDM, PRC) for billing. One
// record per message; MSH-10 is the delivery's idempotency key. Pure. The M16 is the layout Tendon's own M16 reader
// takes (mfn.ts), so an item sent and read back is the same item.
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
  hibcc?: string | null;
  manufacturer?: string | null;
  catalogNumber?: string | null;
  unspsc?: string | null;
  supplierId?: string | null;
  implant?: boolean;
  expiryControlled?: boolean;
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

/** A CNE of table 0532 (expanded yes/no); empty when the record does not say. */
const yesNo = (flag: boolean | undefined) => (flag === undefined ? '' : flag ? 'Y' : 'N');

/** A code with its coding system (CWE: identifier^text^system); empty without a code. */
const coded = (code: string | null | undefined, system: string) => (code ? joined(e(code), '', system) : '');

/** CDM-3 holds at most 20 characters (truncation allowed); cut before escaping so no escape sequence is split. */
const SHORT_DESCRIPTION = 20;

export function encodeItemMfn(body: Record<string, unknown>, ctx: OutboundHeader): string {
  const item = body.item as ItemBody | undefined;
  if (!item?.id || !item.description || !item.uom) throw new EncodeError('an item master update needs item.id, item.description and item.uom');
  const now = hl7DateTime(ctx.now);
  const key = joined(e(item.id), 'ERP');
  // PKG-2 unit, PKG-4 base units in it, PKG-8 its GTIN: the base unit first, then the larger levels.
  const levels: PackagingLevel[] = [{ uom: item.uom, quantity: 1, gtin: item.gtin ?? null }, ...(item.packaging ?? [])];
  const segments = [
    msh(ctx, 'MFN^M16^MFN_M16'),
    // Table 0175 names the inventory item master INV.
    segment('MFI', { 1: 'INV^Inventory master file^HL70175', 3: 'UPD', 6: 'AL' }),
    segment('MFE', { 1: recordEvent(item.status), 3: now, 4: key, 5: 'CWE' }),
    // ITM has no lot- or serial-control indicator (those live per lot in ILT), so only expiry control travels (ITM-6).
    // ITM-10 takes the HIBCC labeler code (the LIC, the first four characters of the HIBCC primary data).
    segment('ITM', {
      1: key, 2: e(item.description), 3: item.status === 'active' ? 'A^Active^HL70776' : 'I^Inactive^HL70776',
      4: item.implant ? 'IMP^Implantable device^L' : 'SUP^Supply^L', 6: yesNo(item.expiryControlled), 8: e(item.manufacturer),
      9: e(item.catalogNumber), 10: coded(item.hibcc?.slice(0, 4), 'HB'), 11: item.chargeable ? 'Y' : 'N', 33: coded(item.unspsc, 'UNSPSC'),
    }),
    // In MFN_M16 the packaging levels belong to a purchasing vendor (VND, whose VND-2 is required): with no supplier
    // on the item they follow ITM directly, as Tendon's own reader and the simulators accept.
    ...(item.supplierId ? [segment('VND', { 1: '1', 2: joined(e(item.supplierId), 'ERP'), 5: 'Y' })] : []),
    ...levels.map((level, i) => segment('PKG', {
      1: String(i + 1), 2: e(level.uom), 3: i === 0 ? 'Y' : 'N', 4: String(level.quantity), 8: coded(level.gtin, 'GS1'),
    })),
  ];
  return new Hl7Message(segments, DEFAULT_CONTEXT).toString() + '\r';
}

export function encodeChargemasterMfn(body: Record<string, unknown>, ctx: OutboundHeader): string {
  const line = body.charge as ChargeBody | undefined;
  if (!line?.chargeCode || !line.revenueCode) throw new EncodeError('a chargemaster update needs charge.chargeCode and charge.revenueCode');
  const description = line.description ?? line.itemId;
  const active = line.status === 'active' ? 'A' : 'I';
  const segments = [
    msh(ctx, 'MFN^M04^MFN_M04'),
    segment('MFI', { 1: 'CDM^Charge description master^HL70175', 3: 'UPD', 6: 'AL' }),
    segment('MFE', { 1: recordEvent(line.status), 3: hl7DateTime(ctx.now), 4: e(line.chargeCode), 5: 'CWE' }),
    // CDM-3 short and CDM-4 long description, CDM-7 procedure code (HCPCS), CDM-8 active (table 0183), CDM-9 item.
    segment('CDM', {
      1: e(line.chargeCode), 3: e([...description].slice(0, SHORT_DESCRIPTION).join('')), 4: e(description), 7: coded(line.hcpcs, 'HCPCS'),
      8: active, 9: e(line.itemId),
    }),
    // PRC-5 price (CP: amount&currency) — left empty for a markup line Tendon could not price (no contract cost):
    // no price rather than a wrong one, and empty rather than "" (HL7's null), which would ask billing to erase the
    // price it has. PRC-14 billing category carries the UB-04 revenue code (CDM has no field for it); PRC-16 is the
    // price row's own active flag.
    segment('PRC', { 1: e(line.chargeCode), 5: line.price ? `${e(line.price)}&USD` : '', 14: e(line.revenueCode), 16: active }),
  ];
  return new Hl7Message(segments, DEFAULT_CONTEXT).toString() + '\r';
}
