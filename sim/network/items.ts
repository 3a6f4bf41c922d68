// Items, contract prices and chargemaster lines, expanded from the catalogue with a seeded PRNG.
// Money is handled in integer cents and printed as decimal strings, never as floats.
import type { Rng } from '../common/prng.ts';
import { TEMPLATES } from './catalog.ts';
import { withCheckDigit } from './gs1.ts';
import { packagingFor } from './packaging.ts';
import { DIRECT_MAKERS, DISTRIBUTORS, expand, STERILE_MAKERS, type Template } from './templates.ts';
import type { ChargemasterLine, ContractPrice, Item, NetworkProfile, Supplier } from './types.ts';

export const formatCents = (cents: number): string =>
  `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** Supplier names: manufacturers selling direct, then distributors; the last distributor is inactive. */
export function supplierNames(): { name: string; active: boolean }[] {
  return [
    ...[...DIRECT_MAKERS, ...STERILE_MAKERS].map((m) => ({ name: `${m}, Inc.`, active: true })),
    ...DISTRIBUTORS.map((d, i) => ({ name: `${d} LLC`, active: i < DISTRIBUTORS.length - 1 })),
  ];
}

type ItemsResult = {
  items: Item[];
  contractPrices: ContractPrice[];
  chargemaster: ChargemasterLine[];
  profile: NetworkProfile['items'];
};

/** `packRng` draws the packaging levels: a stream of its own, so the main stream (`rng`) is as it was before them. */
export function buildItems(rng: Rng, packRng: Rng, suppliers: Supplier[], stamp: () => string): ItemsResult {
  const supplierOf = new Map(suppliers.map((s) => [s.name, s]));
  const activeDistributors = suppliers.filter((s) => s.status === 'active' && DISTRIBUTORS.some((d) => s.name.startsWith(d)));
  const gtins = gtinFactory(rng);
  const items: Item[] = [];
  const profile: NetworkProfile['items'] = {};
  const templateOf = new Map<string, Template>();

  for (const t of TEMPLATES) {
    for (const description of expand(t)) {
      const id = `ITM-${String(items.length + 1).padStart(5, '0')}`;
      const manufacturer = rng.pick(t.makers);
      const direct = supplierOf.get(`${manufacturer}, Inc.`);
      // Implants and specialty devices are bought direct; commodities mostly through a distributor.
      const viaDistributor = t.category === 'routine' || (t.category === 'sterile' && rng.chance(0.5));
      const supplier = viaDistributor || !direct ? rng.pick(activeDistributors) : direct;
      const gtin = rng.chance(t.gtinRate) ? gtins(manufacturer) : null;
      items.push({
        id,
        description,
        uom: 'EA',
        gtin,
        packaging: packagingFor(packRng, t.orderUnit, gtin),
        hibcc: null,
        manufacturer,
        catalogNumber: `${makerCode(manufacturer)}-${rng.digits(4)}-${rng.digits(2)}`,
        unspsc: t.unspsc,
        supplierId: supplier.id,
        implant: t.category === 'implant',
        consigned: false,
        lotControlled: t.lot,
        serialControlled: t.serial,
        expiryControlled: t.expiry,
        chargeable: t.chargeable,
        status: 'active',
        updatedAt: stamp(),
      });
      profile[id] = { category: t.category, family: t.family, serviceLine: t.serviceLine };
      templateOf.set(id, t);
    }
  }
  // Every fifth implant is a rep's consignment (chosen by position, drawing nothing: the rest of the seed stays as it was).
  items.filter((i) => i.implant).forEach((item, n) => (item.consigned = n % 5 === 4));
  // A handful of discontinued commodity items: bad data the ERP refuses on transactions.
  for (const item of rng.sample(items.filter((i) => !i.implant), 10)) item.status = 'inactive';

  const contractPrices: ContractPrice[] = [];
  const chargemaster: ChargemasterLine[] = [];
  const cdmSeq: Record<string, number> = { '0278': 0, '0272': 0 };
  for (const item of items) {
    const t = templateOf.get(item.id) as Template;
    const cents = priceCents(rng, t);
    const from = rng.pick(['2025-07-01', '2026-01-01']);
    // One in four items was re-negotiated: an expired older price precedes the current one.
    if (rng.chance(0.25)) {
      const older = Math.max(1, Math.round(cents * (0.92 + rng.next() * 0.14)));
      contractPrices.push(contractPrice(contractPrices.length, item, older, '2024-07-01', dayBefore(from), stamp()));
    }
    contractPrices.push(contractPrice(contractPrices.length, item, cents, from, null, stamp()));
    if (!item.chargeable) continue;
    const revenueCode = item.implant ? '0278' : '0272';
    const seq = (cdmSeq[revenueCode] = (cdmSeq[revenueCode] ?? 0) + 1);
    chargemaster.push({
      id: `CM-${String(chargemaster.length + 1).padStart(5, '0')}`,
      itemId: item.id,
      chargeCode: `CDM${revenueCode.slice(1)}${String(seq).padStart(5, '0')}`,
      revenueCode,
      hcpcs: t.hcpcs,
      description: `HC ${item.description.toUpperCase()}`.slice(0, 60),
      price: formatCents(chargeCents(cents)),
      markup: null,
      status: item.status,
      updatedAt: stamp(),
    });
  }
  return { items, contractPrices, chargemaster, profile };
}

function contractPrice(
  index: number,
  item: Item,
  cents: number,
  effectiveFrom: string,
  effectiveTo: string | null,
  updatedAt: string,
): ContractPrice {
  return {
    id: `CP-${String(index + 1).padStart(6, '0')}`,
    itemId: item.id,
    supplierId: item.supplierId,
    price: formatCents(cents),
    currency: 'USD',
    uom: 'EA',
    effectiveFrom,
    effectiveTo,
    facilityId: null,
    purchasingGroup: null,
    updatedAt,
  };
}

/** Contract price in cents: implants on $5 steps, sterile on 5¢ steps, commodities to the cent. */
function priceCents(rng: Rng, t: Template): number {
  const [min, max] = t.price;
  const raw = (min + rng.next() * (max - min)) * 100;
  const step = t.category === 'implant' ? 500 : t.category === 'sterile' ? 5 : 1;
  return Math.max(1, Math.round(raw / step) * step);
}

/** Chargemaster price: cost × markup by price class, rounded up to whole dollars, with a $20 minimum. */
export function chargeCents(costCents: number): number {
  return Math.max(CHARGE_MINIMUM_CENTS, Math.ceil((costCents * markupFactor(costCents)) / 100) * 100);
}

export const CHARGE_MINIMUM_CENTS = 2_000;

/** The hospital's markup by price class: cheap supplies are marked up most, costly implants least. */
export function markupFactor(costCents: number): number {
  return costCents < 5_000 ? 4 : costCents < 50_000 ? 3 : costCents < 500_000 ? 2.5 : 2;
}

function dayBefore(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function makerCode(maker: string): string {
  return maker
    .split(/[\s.]+/)
    .filter((w) => /^[A-Z]/.test(w))
    .map((w) => w.charAt(0))
    .join('')
    .slice(0, 3);
}

/** GTIN-14s: indicator 0, a 7-digit company prefix per manufacturer, a 5-digit item reference, check digit. */
function gtinFactory(rng: Rng): (maker: string) => string {
  const prefixes = new Map<string, string>();
  const used = new Set<string>();
  const next = new Map<string, number>();
  return (maker) => {
    let prefix = prefixes.get(maker);
    if (prefix === undefined) {
      do prefix = `${rng.int(3, 8)}${rng.digits(6)}`;
      while (used.has(prefix));
      used.add(prefix);
      prefixes.set(maker, prefix);
      next.set(maker, rng.int(10, 400) * 100);
    }
    const ref = (next.get(maker) ?? 0) + rng.int(1, 9);
    next.set(maker, ref);
    return withCheckDigit(`0${prefix}${String(ref).padStart(5, '0')}`);
  };
}
