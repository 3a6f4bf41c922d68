// What the supplier decides about a purchase order, as pure functions of the PO, the seed and its catalog: each
// line's answer (accepted, price changed, quantity changed, backordered, rejected), the shipments with lot, serial
// and expiry, carrier and tracking (a line now and then shipped in two parts), what each shipment's invoice bills
// (now and then more than was agreed or shipped, as real invoices do, so the hub's three-way match has something
// to catch) and the credit memo that later gives the over-billed amount back. A PO's draws come from PRNGs seeded
// with the seed and the PO's buyer and number, so the same PO gets the same answer whatever else the supplier
// received before it.
import Big from 'big.js';
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import type { Network } from '../network/types.ts';
import type { Party, PoLine, PurchaseOrder } from './purchase-order.ts';

/** ACK01 line status: IA accepted, IP price changed, IQ quantity changed, IB backordered, IR rejected. */
export type LineStatus = 'IA' | 'IP' | 'IQ' | 'IB' | 'IR';

/** How often each path is taken: fractions of lines (or of invoiced lines, for the invoice variances). */
export type LineRates = {
  /** 855 answers: IP, IQ, IB and IR (the rest IA). IQ needs a whole quantity of at least 2 (else the line is IA). */
  priceChange: number;
  quantityChange: number;
  backorder: number;
  reject: number;
  /** Lines shipped (and invoiced) in two parts, two 856s each followed by its 810; whole quantities of 2 or more. */
  partialShipment: number;
  /** Invoiced lines billed 2–10% over the acknowledged price, or one unit over what shipped; a credit memo follows. */
  invoicePriceVariance: number;
  invoiceQuantityVariance: number;
};
export const DEFAULT_RATES: LineRates = {
  priceChange: 0.1, quantityChange: 0.03, backorder: 0.05, reject: 0.01, partialShipment: 0.05, invoicePriceVariance: 0.05, invoiceQuantityVariance: 0.02,
};

export type AckedLine = PoLine & {
  status: LineStatus;
  /** The quantity the supplier acknowledges (ACK02), ships and invoices: the PO's, or fewer for IQ. */
  ackQuantity: number;
  /** The price the supplier acknowledges and invoices: the PO's, or 3–8% more for IP. */
  ackPrice: string;
  /** CCYYMMDD the backordered quantity is expected to ship (IB only). */
  expectedDate: string | null;
  /** The product ids the supplier writes on its documents: VC vendor part, UK GTIN-14, then the buyer's own. */
  productIds: [string, string][];
};

/** `index` is the line's place in the order (PO101 need not be unique). */
export type ShipmentUnit = { index: number; line: string; quantity: number; uom: string; lot: string | null; serial: string | null; expiry: string | null };

/** One line of a shipment's invoice: what it bills for one PO line, and what shipped. */
export type InvoiceLine = {
  index: number;
  shipped: number;
  /** IT102 and IT104: the shipped quantity at the acknowledged price, unless `variance` says otherwise. */
  quantity: number;
  unitPrice: string;
  /** Billed over on purpose: `price` 2–10% over the acknowledged price, `quantity` one unit more than shipped. */
  variance: 'price' | 'quantity' | null;
};

/** A credit memo (810 with BIG07 CR) for what an invoice over-billed: one IT1 per over-billed line. */
export type CreditMemo = {
  number: string;
  /**
   * A price variance is credited as a price correction: the invoiced quantity at the difference in unit price.
   * A quantity variance as the units billed beyond those shipped, at the price they were billed at.
   */
  lines: { index: number; quantity: number; unitPrice: string; reason: 'price' | 'quantity' }[];
};

export type Shipment = {
  id: string;
  invoiceNumber: string;
  /** The backordered lines, shipped and invoiced after the rest. */
  backorder: boolean;
  /** The rest of the lines shipped in two parts, shipped and invoiced after the first part. */
  balance: boolean;
  carrier: { scac: string; name: string };
  tracking: string;
  /** One unit per item HL of the 856: a serialised line ships one unit per serial number. */
  units: ShipmentUnit[];
  /** CCYYMMDD the 856 went out (DTM*011 of the invoice). */
  shippedOn: string | null;
  shipped: boolean;
  invoiced: boolean;
  /** What the 810 bills, line by line. */
  invoice: InvoiceLine[];
  /** Sent some time after the 810 when it over-billed; null when it did not. */
  credit: CreditMemo | null;
  credited: boolean;
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
  // The draws of the later paths (quantity changes, partial shipments, invoice variances) have a stream of their
  // own: with their rates at 0 a PO gets exactly the documents it got before they existed.
  const more = createRng(deriveSeed(ctx.seed, `supplier:${buyerKey}:${po.poNumber}:more`));
  const { priceChange, quantityChange, backorder, reject } = ctx.rates;
  const traits = po.lines.map((line) => traitsOf(line, ctx.catalog));
  const lines: AckedLine[] = po.lines.map((line, i) => {
    const draw = rng.next();
    let status: LineStatus = draw < reject ? 'IR' : draw < reject + backorder ? 'IB' : draw < reject + backorder + priceChange ? 'IP'
      : draw < reject + backorder + priceChange + quantityChange ? 'IQ' : 'IA';
    if (status === 'IQ' && !splittable(line.quantity)) status = 'IA';
    const ackPrice = status === 'IP'
      ? new Big(line.unitPrice).times(new Big(100 + rng.int(3, 8)).div(100)).round(2, Big.roundHalfUp).toFixed(2)
      : line.unitPrice;
    const expectedDate = status === 'IB' ? addDays(po.poDate, rng.int(7, 21)) : null;
    // Short by one unit up to half the order.
    const ackQuantity = status === 'IQ' ? line.quantity - more.int(1, Math.max(1, Math.floor(line.quantity / 2))) : line.quantity;
    return { ...line, status, ackQuantity, ackPrice, expectedDate, productIds: productIds(line, traits[i] as ItemTraits) };
  });
  const ackType = lines.every((l) => l.status === 'IR') ? 'RJ' : lines.every((l) => l.status === 'IA') ? 'AD' : 'AC';

  const shipment = (picked: Part[], kind: 'first' | 'balance' | 'backorder'): Shipment => {
    const carrier = rng.pick(CARRIERS);
    const units = picked.flatMap(({ index: i, quantity }): ShipmentUnit[] => {
      const line = lines[i] as AckedLine;
      const t = traits[i] as ItemTraits;
      const lot = t.lot ? `L${po.poDate.slice(2, 6)}${rng.pick(LETTERS)}${rng.digits(2)}` : null;
      const expiry = t.expiry ? addDays(po.poDate, rng.int(365, 1095)) : null;
      const base = { index: i, line: line.line, uom: line.uom, lot, expiry };
      if (t.serial && line.uom === 'EA' && Number.isInteger(quantity)) {
        return Array.from({ length: quantity }, () => ({ ...base, quantity: 1, serial: `SN${rng.digits(9)}` }));
      }
      return [{ ...base, quantity, serial: null }];
    });
    const id = ctx.nextId('ASN');
    const invoiceNumber = ctx.nextId('INV');
    const invoice = invoiceLines(units, lines, more, ctx.rates);
    return {
      id, invoiceNumber, backorder: kind === 'backorder', balance: kind === 'balance', carrier: { scac: carrier.scac, name: carrier.name },
      tracking: carrier.tracking(rng), units, shippedOn: null, shipped: false, invoiced: false,
      invoice, credit: creditFor(invoice, lines, ctx), credited: false,
    };
  };
  const first: Part[] = [];
  const balance: Part[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.status === 'IB' || line.status === 'IR') continue;
    const q = line.ackQuantity;
    if (splittable(q) && more.chance(ctx.rates.partialShipment)) {
      const now = more.int(1, q - 1);
      first.push({ index: i, quantity: now });
      balance.push({ index: i, quantity: q - now });
    } else {
      first.push({ index: i, quantity: q });
    }
  }
  const later = lines.flatMap((l, i) => (l.status === 'IB' ? [{ index: i, quantity: l.ackQuantity }] : []));
  const shipments: Shipment[] = [];
  if (first.length > 0) shipments.push(shipment(first, 'first'));
  if (balance.length > 0) shipments.push(shipment(balance, 'balance'));
  if (later.length > 0) shipments.push(shipment(later, 'backorder'));
  return { ackType, lines, shipments };
}

/** A quantity of one PO line (by its index) in a shipment. */
type Part = { index: number; quantity: number };

/** A quantity the supplier can cut short or ship in two parts: a whole number of at least two. */
const splittable = (quantity: number): boolean => Number.isInteger(quantity) && quantity >= 2;

/** What a shipment's 810 bills: one line per PO line shipped (units summed), over-billed at the rates asked. */
function invoiceLines(units: ShipmentUnit[], lines: AckedLine[], rng: Rng, rates: LineRates): InvoiceLine[] {
  const shipped = new Map<number, number>();
  for (const u of units) shipped.set(u.index, (shipped.get(u.index) ?? 0) + u.quantity);
  return [...shipped].sort(([a], [b]) => a - b).map(([index, quantity]): InvoiceLine => {
    const price = (lines[index] as AckedLine).ackPrice;
    const draw = rng.next();
    if (draw < rates.invoicePriceVariance) {
      // Up 2–10%, the change rounded up to a cent: never the agreed price again, however small.
      const agreed = new Big(price);
      const change = agreed.times(rng.int(2, 10)).div(100).round(2, Big.roundUp);
      return { index, shipped: quantity, quantity, unitPrice: agreed.plus(change.gt(0) ? change : '0.01').toFixed(decimalsOf(price)), variance: 'price' };
    }
    if (draw < rates.invoicePriceVariance + rates.invoiceQuantityVariance) {
      return { index, shipped: quantity, quantity: quantity + 1, unitPrice: price, variance: 'quantity' };
    }
    return { index, shipped: quantity, quantity, unitPrice: price, variance: null };
  });
}

/** Decimal places to write a price derived from `price` with: its own, and at least cents. */
const decimalsOf = (price: string): number => Math.max(2, price.split('.')[1]?.length ?? 0);

function creditFor(invoice: InvoiceLine[], lines: AckedLine[], ctx: PlanContext): CreditMemo | null {
  const over = invoice.filter((l) => l.variance !== null);
  if (over.length === 0) return null;
  return {
    number: ctx.nextId('CM'),
    lines: over.map((l) => (l.variance === 'price'
      ? { index: l.index, quantity: l.quantity, unitPrice: new Big(l.unitPrice).minus((lines[l.index] as AckedLine).ackPrice).toFixed(decimalsOf(l.unitPrice)), reason: 'price' as const }
      : { index: l.index, quantity: l.quantity - l.shipped, unitPrice: l.unitPrice, reason: 'quantity' as const })),
  };
}

/** Lines of an invoice or credit memo, and its total in cents (TDS). */
export type Billed = { lines: { line: AckedLine; quantity: number; unitPrice: string }[]; totalCents: string };

const billed = (order: Order, lines: { index: number; quantity: number; unitPrice: string }[]): Billed => {
  const total = lines.reduce((sum, l) => sum.plus(new Big(l.unitPrice).times(l.quantity)), new Big(0));
  return {
    lines: lines.map((l) => ({ line: order.lines[l.index] as AckedLine, quantity: l.quantity, unitPrice: l.unitPrice })),
    totalCents: total.times(100).round(0, Big.roundHalfUp).toFixed(0),
  };
};

/** A shipment's invoice: one line per PO line in the shipment, as planned. */
export const invoiceOf = (order: Order, shipment: Shipment): Billed => billed(order, shipment.invoice);

/** A shipment's credit memo (call only when it has one). */
export const creditOf = (order: Order, shipment: Shipment): Billed => billed(order, (shipment.credit as CreditMemo).lines);

/**
 * An order as an earlier version of the supplier stored it (a state file from before quantity changes, partial
 * shipments and invoice variances), completed the way that version behaved: as acknowledged, billed as shipped.
 */
export function upgradeOrder(order: Order): Order {
  for (const line of order.lines) line.ackQuantity ??= line.quantity;
  for (const s of order.shipments) {
    s.balance ??= false;
    s.credit ??= null;
    s.credited ??= false;
    if (s.invoice === undefined) {
      const shipped = new Map<number, number>();
      for (const u of s.units) shipped.set(u.index, (shipped.get(u.index) ?? 0) + u.quantity);
      s.invoice = [...shipped].sort(([a], [b]) => a - b).map(([index, quantity]) => ({
        index, shipped: quantity, quantity, unitPrice: (order.lines[index] as AckedLine).ackPrice, variance: null,
      }));
    }
  }
  return order;
}
