// The supplier's price catalog (X12 832), pure: which items a catalog prices, for which facility, and at what
// price. Most prices are the contract price in force for that facility on the catalog's date, per each or per
// box; at `varianceRate` a price is a few percent off it (4–12% up or 4–8% down), as a distributor's prices drift
// from the contracts the hospitals negotiated. A catalog's draws come from a PRNG seeded with the seed and the
// catalog's id, so the same catalog always prices the same.
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import type { SegmentSpec } from '../common/x12.ts';
import { formatCents } from '../network/items.ts';
import { parseCents } from '../network/pricing.ts';
import type { ContractPrice, Facility, Item, Network } from '../network/types.ts';

export type CatalogSettings = {
  /** Prices per catalog. */
  items: number;
  /** Fraction of prices off the contract by more than a few percent. */
  varianceRate: number;
};
export const DEFAULT_CATALOG: CatalogSettings = { items: 20, varianceRate: 0.1 };

/** Share of lines priced per box, for items that come in one. */
const BOX_PRICED_SHARE = 0.3;

export type CatalogLine = {
  itemId: string;
  vendorPart: string;
  /** The GTIN of the level priced (the box's for a box price), when it has one. */
  gtin: string | null;
  description: string;
  /** CTP05: the unit the price is for. */
  unit: string;
  /** CTP03. */
  price: string;
  /** The contract's price for the same unit (for a box: the contract's each price times the box count). */
  contractPrice: string;
  /** True when `price` is off the contract on purpose. */
  offContract: boolean;
};

export type CatalogPlan = {
  /** BCT02, e.g. CAT-000001. */
  id: string;
  /** The ship-to the prices are for (N1*ST, qualifier 92: the facility code). */
  facility: { id: string; name: string };
  /** CCYYMMDD the prices take effect (DTM*007). */
  effectiveDate: string;
  lines: CatalogLine[];
};

/**
 * The contract price in force on `date` (YYYY-MM-DD) for a facility: its own tier first, then its purchasing
 * group's, then the network-wide price.
 */
export function contractPriceFor(prices: readonly ContractPrice[], date: string, facility: Facility): ContractPrice | undefined {
  const rank = (p: ContractPrice): number => {
    if (p.facilityId !== null) return p.facilityId === facility.id ? 3 : 0;
    if (p.purchasingGroup !== null) return p.purchasingGroup === facility.purchasingGroup ? 2 : 0;
    return 1;
  };
  let best: ContractPrice | undefined;
  for (const p of prices) {
    if (p.effectiveFrom > date || (p.effectiveTo !== null && p.effectiveTo < date)) continue;
    if (rank(p) > (best ? rank(best) : 0)) best = p;
  }
  return best;
}

/** The catalog `id`, made at `at` (epoch ms): the date it takes effect is that day (UTC). */
export function planCatalog(network: Network, options: CatalogSettings & { seed: number; id: string; at: number }): CatalogPlan {
  const rng = createRng(deriveSeed(options.seed, `supplier:catalog:${options.id}`));
  const { master } = network;
  const facility = rng.pick(master.facilities);
  const isoDate = new Date(options.at).toISOString().slice(0, 10);
  const pricesOf = new Map<string, ContractPrice[]>();
  for (const p of master['contract-prices']) pricesOf.set(p.itemId, [...(pricesOf.get(p.itemId) ?? []), p]);
  const priced = master.items.flatMap((item) => {
    const contract = item.status === 'active' ? contractPriceFor(pricesOf.get(item.id) ?? [], isoDate, facility) : undefined;
    return contract ? [{ item, contract }] : [];
  });
  const lines = rng.sample(priced, options.items)
    .sort((a, b) => a.item.id.localeCompare(b.item.id))
    .map(({ item, contract }) => catalogLine(rng, item, contract, options.varianceRate));
  return { id: options.id, facility: { id: facility.id, name: facility.name }, effectiveDate: isoDate.replaceAll('-', ''), lines };
}

function catalogLine(rng: Rng, item: Item, contract: ContractPrice, varianceRate: number): CatalogLine {
  const box = item.packaging.find((p) => p.uom === 'BX');
  const perBox = box !== undefined && contract.uom === item.uom && rng.chance(BOX_PRICED_SHARE);
  const contractCents = parseCents(contract.price) * (perBox ? box.quantity : 1);
  const offContract = rng.chance(varianceRate);
  return {
    itemId: item.id,
    vendorPart: item.catalogNumber,
    gtin: perBox ? box.gtin : item.gtin,
    description: item.description,
    unit: perBox ? 'BX' : contract.uom,
    price: formatCents(offContract ? driftedCents(rng, contractCents) : contractCents),
    contractPrice: formatCents(contractCents),
    offContract,
  };
}

/**
 * A price 4–12% over the contract's, or 4–8% under it. The change is rounded up to a whole cent, so even a price
 * of a few cents moves by at least the percentage drawn: always beyond a tolerance of a few percent.
 */
function driftedCents(rng: Rng, cents: number): number {
  const up = cents < 2 || rng.chance(0.7);
  const change = Math.ceil((cents * (up ? rng.int(4, 12) : rng.int(4, 8))) / 100);
  return up ? cents + change : cents - change;
}

/** The 832's segments between ST and SE. Each LIN names the item by the buyer's own number first (IN). */
export function catalogSegments(plan: CatalogPlan): SegmentSpec[] {
  return [
    ['BCT', 'PC', plan.id],
    ['CUR', 'SE', 'USD'],
    ['DTM', '007', plan.effectiveDate],
    ['N1', 'ST', plan.facility.name, '92', plan.facility.id],
    ...plan.lines.flatMap((line, i): SegmentSpec[] => [
      ['LIN', i + 1, 'IN', line.itemId, 'VC', line.vendorPart, ...(line.gtin ? ['UK', line.gtin] : [])],
      ['PID', 'F', null, null, null, line.description],
      ['CTP', null, 'CON', line.price, 1, line.unit],
    ]),
    ['CTT', plan.lines.length],
  ];
}

