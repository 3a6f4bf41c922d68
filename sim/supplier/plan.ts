// What the supplier decides about a purchase order, as pure functions of the PO, the seed and its catalog: each
// line's answer (accepted, price changed, backordered, rejected), the shipments with lot, serial and expiry,
// carrier and tracking, and the invoice amounts. A PO's draws come from a PRNG seeded with the seed and the PO's
// buyer and number, so the same PO gets the same answer whatever else the supplier received before it.
import Big from 'big.js';
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import type { Network } from '../network/types.ts';
import type { Party, PoLine, PurchaseOrder } from './purchase-order.ts';

/** ACK01 line status: IA accepted, IP price changed, IB backordered, IR rejected. */
export type LineStatus = 'IA' | 'IP' | 'IB' | 'IR';

/** Fractions of lines answered IP, IB and IR (the rest IA). */
export type LineRates = { priceChange: number; backorder: number; reject: number };
export const DEFAULT_RATES: LineRates = { priceChange: 0.1, backorder: 0.05, reject: 0.01 };

export type AckedLine = PoLine & {
  status: LineStatus;
  /** The price the supplier acknowledges and invoices: the PO's, or 3–8% more for IP. */
  ackPrice: string;
  /** CCYYMMDD the backordered quantity is expected to ship (IB only). */
  expectedDate: string | null;
  /** The product ids the supplier writes on its documents: VC vendor part, UK GTIN-14, then the buyer's own. */
  productIds: [string, string][];
};

/** `index` is the line's place in the order (PO101 need not be unique). */
export type ShipmentUnit = { index: number; line: string; quantity: number; uom: string; lot: string | null; serial: string | null; expiry: string | null };

export type Shipment = {
  id: string;
  invoiceNumber: string;
  /** The backordered lines, shipped and invoiced after the rest. */
  backorder: boolean;
  carrier: { scac: string; name: string };
  tracking: string;
  /** One unit per item HL of the 856: a serialised line ships one unit per serial number. */
  units: ShipmentUnit[];
  /** CCYYMMDD the 856 went out (DTM*011 of the invoice). */
  shippedOn: string | null;
  shipped: boolean;
  invoiced: boolean;
};

export type Order = {
  key: string;
  poNumber: string;
  poDate: string;
  poType: string;
  currency: string;
  /** ISA05/06 and GS02 of the 850: where every answer goes. */
  buyer: { qualifier: string; id: string; groupCode: string };
  /** ISA12 and GS08 of the 850: the answers use the same versions. */
  versions: { interchange: string; group: string };
  usage: string;
  interchange: string;
  receivedAt: string;
  salesOrder: string;
  /** BAK02: AD all accepted as ordered, AC with changes, RJ every line rejected. */
  ackType: 'AD' | 'AC' | 'RJ';
  parties: Party[];
  lines: AckedLine[];
  shipments: Shipment[];
  acknowledged: boolean;
  cancelledAt: string | null;
};

export type OrderState = 'received' | 'acknowledged' | 'partially shipped' | 'shipped' | 'invoiced' | 'rejected' | 'cancelled';

export function orderState(order: Order): OrderState {
  if (order.cancelledAt !== null) return 'cancelled';
  if (!order.acknowledged) return 'received';
  if (order.ackType === 'RJ') return 'rejected';
  const shipped = order.shipments.filter((s) => s.shipped).length;
  if (shipped === 0) return 'acknowledged';
  if (shipped < order.shipments.length) return 'partially shipped';
  return order.shipments.every((s) => s.invoiced) ? 'invoiced' : 'shipped';
}

/** What the supplier's catalog says about an item: traceability and its own identifiers. */
export type ItemTraits = { lot: boolean; serial: boolean; expiry: boolean; vendorPart: string | null; gtin: string | null };
export type Catalog = (ids: readonly [string, string][]) => ItemTraits | undefined;

const gtin14 = (code: string): string | null => (/^\d{8}$|^\d{12,14}$/.test(code) ? code.padStart(14, '0') : null);

/** The seeded network's items as the supplier's catalog, found by GTIN, the buyer's item id or the catalog number. */
export function networkCatalog(network: Network): Catalog {
  const byKey = new Map<string, ItemTraits>();
  for (const item of network.master.items) {
    const traits = {
      lot: item.lotControlled, serial: item.serialControlled, expiry: item.expiryControlled, vendorPart: item.catalogNumber, gtin: item.gtin,
    };
    if (item.gtin) byKey.set(`gtin:${item.gtin}`, traits);
    byKey.set(`code:${item.id}`, traits);
    byKey.set(`code:${item.catalogNumber}`, traits);
  }
  return (ids) => {
    for (const [qualifier, value] of ids) {
      const gtin = ['UK', 'EN', 'UP', 'UA'].includes(qualifier) ? gtin14(value) : null;
      const hit = gtin ? byKey.get(`gtin:${gtin}`) : byKey.get(`code:${value}`);
      if (hit) return hit;
    }
    return undefined;
  };
}

/** Items this supplier does not know are treated as most medical supplies are: lot and expiry, no serial. */
function traitsOf(line: PoLine, catalog: Catalog | undefined): ItemTraits {
  const found = catalog?.(line.ids);
  const given = (qualifiers: string[]) => line.ids.find(([q]) => qualifiers.includes(q))?.[1] ?? null;
  return {
    lot: found?.lot ?? true,
    serial: found?.serial ?? false,
    expiry: found?.expiry ?? true,
    vendorPart: found?.vendorPart ?? given(['VC', 'VN', 'VP']),
    gtin: found?.gtin ?? gtin14(given(['UK', 'EN', 'UP']) ?? ''),
  };
}

function productIds(line: PoLine, traits: ItemTraits): [string, string][] {
  const ids: [string, string][] = [];
  if (traits.vendorPart) ids.push(['VC', traits.vendorPart]);
  if (traits.gtin) ids.push(['UK', traits.gtin]);
  for (const [q, v] of line.ids) if (!['VC', 'VN', 'VP', 'UK', 'EN', 'UP', 'UA'].includes(q)) ids.push([q, v]);
  return ids;
}

/** CCYYMMDD plus `days`. */
export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)) + days));
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

const CARRIERS = [
  { scac: 'UPSN', name: 'UPS GROUND', tracking: (rng: Rng) => `1Z${rng.digits(6)}03${rng.digits(8)}` },
  { scac: 'FDEG', name: 'FEDEX GROUND', tracking: (rng: Rng) => rng.digits(12) },
  { scac: 'ODFL', name: 'OLD DOMINION FREIGHT LINE', tracking: (rng: Rng) => `OD${rng.digits(10)}` },
];
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'.split('');

export type PlanContext = {
  seed: number;
  rates: LineRates;
  catalog?: Catalog;
  /** Numbers the next shipment and invoice (persistent counters in the store). */
  nextId: (prefix: string) => string;
};

/** The supplier's whole answer to an original PO. */
export function planOrder(po: PurchaseOrder, buyerKey: string, ctx: PlanContext): Pick<Order, 'ackType' | 'lines' | 'shipments'> {
  const rng = createRng(deriveSeed(ctx.seed, `supplier:${buyerKey}:${po.poNumber}`));
  const { priceChange, backorder, reject } = ctx.rates;
  const traits = po.lines.map((line) => traitsOf(line, ctx.catalog));
  const lines: AckedLine[] = po.lines.map((line, i) => {
    const draw = rng.next();
    const status: LineStatus = draw < reject ? 'IR' : draw < reject + backorder ? 'IB' : draw < reject + backorder + priceChange ? 'IP' : 'IA';
    const ackPrice = status === 'IP'
      ? new Big(line.unitPrice).times(new Big(100 + rng.int(3, 8)).div(100)).round(2, Big.roundHalfUp).toFixed(2)
      : line.unitPrice;
    const expectedDate = status === 'IB' ? addDays(po.poDate, rng.int(7, 21)) : null;
    return { ...line, status, ackPrice, expectedDate, productIds: productIds(line, traits[i] as ItemTraits) };
  });
  const ackType = lines.every((l) => l.status === 'IR') ? 'RJ' : lines.every((l) => l.status === 'IA') ? 'AD' : 'AC';

  const shipment = (picked: number[], isBackorder: boolean): Shipment => {
    const carrier = rng.pick(CARRIERS);
    const units = picked.flatMap((i): ShipmentUnit[] => {
      const line = lines[i] as AckedLine;
      const t = traits[i] as ItemTraits;
      const lot = t.lot ? `L${po.poDate.slice(2, 6)}${rng.pick(LETTERS)}${rng.digits(2)}` : null;
      const expiry = t.expiry ? addDays(po.poDate, rng.int(365, 1095)) : null;
      const base = { index: i, line: line.line, uom: line.uom, lot, expiry };
      if (t.serial && line.uom === 'EA' && Number.isInteger(line.quantity)) {
        return Array.from({ length: line.quantity }, () => ({ ...base, quantity: 1, serial: `SN${rng.digits(9)}` }));
      }
      return [{ ...base, quantity: line.quantity, serial: null }];
    });
    return {
      id: ctx.nextId('ASN'), invoiceNumber: ctx.nextId('INV'), backorder: isBackorder, carrier: { scac: carrier.scac, name: carrier.name },
      tracking: carrier.tracking(rng), units, shippedOn: null, shipped: false, invoiced: false,
    };
  };
  const indexes = (statuses: LineStatus[]) => lines.flatMap((l, i) => (statuses.includes(l.status) ? [i] : []));
  const now = indexes(['IA', 'IP']);
  const later = indexes(['IB']);
  const shipments: Shipment[] = [];
  if (now.length > 0) shipments.push(shipment(now, false));
  if (later.length > 0) shipments.push(shipment(later, true));
  return { ackType, lines, shipments };
}

/** An invoice's lines (one per PO line in the shipment, units summed) and its total in cents (TDS). */
export function invoiceOf(order: Order, shipment: Shipment): { lines: { line: AckedLine; quantity: number }[]; totalCents: string } {
  const quantities = new Map<number, number>();
  for (const u of shipment.units) quantities.set(u.index, (quantities.get(u.index) ?? 0) + u.quantity);
  const lines = [...quantities].sort(([a], [b]) => a - b).map(([index, quantity]) => ({ line: order.lines[index] as AckedLine, quantity }));
  const total = lines.reduce((sum, { line, quantity }) => sum.plus(new Big(line.ackPrice).times(quantity)), new Big(0));
  return { lines, totalCents: total.times(100).round(0, Big.roundHalfUp).toFixed(0) };
}
