// The commercial side of the item master beyond one price per item: GPO and facility tiers under the
// network-wide contract price, items bought off contract (no price at all), chargemaster lines priced by a
// markup rule instead of a fixed price, and chargeable items nobody has built a chargemaster line for. Each
// step works on what buildItems made and draws from its own seeded stream; removed records leave gaps in the
// id sequence rather than renumbering what is left, so existing ids keep naming the same records.
import type { Rng } from '../common/prng.ts';
import { CHARGE_MINIMUM_CENTS, formatCents, markupFactor } from './items.ts';
import type { ChargemasterLine, ContractPrice, Facility, Item } from './types.ts';

/** How many items are bought off contract, and how many chargeable items have no chargemaster line. */
export const OFF_CONTRACT_ITEMS = 5;
export const ITEMS_WITHOUT_CHARGE_LINE = 3;
/** Share of items with a tier for one purchasing group or one facility, and of lines priced by markup. */
const TIERED_SHARE = 0.08;
const MARKUP_SHARE = 0.3;

export const parseCents = (price: string): number => {
  const [whole = '0', fraction = ''] = price.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};

/**
 * Spot buys: a few active commodity items without a GTIN (bought locally, never put on contract) lose every
 * contract price, so a use of one cannot be valued. Never chargeable, so no charge depends on their cost.
 */
export function withoutOffContractItems(rng: Rng, items: Item[], prices: ContractPrice[]): ContractPrice[] {
  const candidates = items.filter((i) => i.status === 'active' && !i.implant && !i.chargeable && i.gtin === null);
  const offContract = new Set(rng.sample(candidates, OFF_CONTRACT_ITEMS).map((i) => i.id));
  return prices.filter((p) => !offContract.has(p.itemId));
}

/**
 * Tiers: for some items a purchasing group or a single facility negotiated 3–10% under the network-wide
 * price. A tier repeats every network-wide row of the item with the same effective dates, so its history is
 * as effective-dated as the price it undercuts. New rows take the next ids.
 */
export function withContractTiers(
  rng: Rng,
  prices: ContractPrice[],
  facilities: Facility[],
  stamp: () => string,
  nextIndex: number,
): ContractPrice[] {
  const groups = [...new Set(facilities.map((f) => f.purchasingGroup).filter((g) => g !== null))];
  const scopes: Pick<ContractPrice, 'facilityId' | 'purchasingGroup'>[] = [
    ...groups.map((purchasingGroup) => ({ facilityId: null, purchasingGroup })),
    ...facilities.map((f) => ({ facilityId: f.id, purchasingGroup: null })),
  ];
  const byItem = new Map<string, ContractPrice[]>();
  for (const p of prices) byItem.set(p.itemId, [...(byItem.get(p.itemId) ?? []), p]);

  const tiers: ContractPrice[] = [];
  for (const rows of byItem.values()) {
    if (!rng.chance(TIERED_SHARE)) continue;
    const scope = rng.pick(scopes);
    const discount = 0.03 + rng.next() * 0.07;
    for (const row of rows) {
      const cents = tierCents(parseCents(row.price), discount);
      if (cents === null) continue;
      tiers.push({
        ...row,
        id: `CP-${String(nextIndex + tiers.length + 1).padStart(6, '0')}`,
        price: formatCents(cents),
        ...scope,
        updatedAt: stamp(),
      });
    }
  }
  return [...prices, ...tiers];
}

/** A tier's price: below the base, implants on $5 steps like their base prices; null if there is no room under it. */
function tierCents(baseCents: number, discount: number): number | null {
  const step = baseCents >= 100_000 && baseCents % 500 === 0 ? 500 : 1;
  const cents = Math.min(baseCents - step, Math.floor((baseCents * (1 - discount)) / step) * step);
  return cents >= 1 ? cents : null;
}

/**
 * A few chargeable items nobody has built a chargemaster line for yet; sterile ones with a service line, which
 * every procedural area of that line stocks, so the traffic uses them now and then.
 */
export function withoutSomeChargeLines(rng: Rng, items: Item[], lines: ChargemasterLine[], serviceLineOf: (itemId: string) => string | null): ChargemasterLine[] {
  const candidates = items.filter((i) => i.status === 'active' && i.chargeable && !i.implant && serviceLineOf(i.id) !== null);
  const missing = new Set(rng.sample(candidates, ITEMS_WITHOUT_CHARGE_LINE).map((i) => i.id));
  return lines.filter((l) => !missing.has(l.itemId));
}

/**
 * Cost-plus pricing: some lines carry the hospital's markup rule instead of a fixed price. The rule is the one
 * the fixed prices were made with (percent by the cost's price class, whole dollars, a $20 minimum), so
 * billing gets the same price from either form at the network-wide cost, and a lower one under a tier.
 */
export function withMarkupLines(rng: Rng, lines: ChargemasterLine[], prices: ContractPrice[]): ChargemasterLine[] {
  const current = new Map<string, number>();
  for (const p of prices) {
    if (p.effectiveTo === null && p.facilityId === null && p.purchasingGroup === null) current.set(p.itemId, parseCents(p.price));
  }
  return lines.map((line) => {
    const cost = current.get(line.itemId);
    if (cost === undefined || !rng.chance(MARKUP_SHARE)) return line;
    const percent = Math.round((markupFactor(cost) - 1) * 100);
    return { ...line, price: null, markup: { percent, roundTo: '1.00', minimum: formatCents(CHARGE_MINIMUM_CENTS) } };
  });
}
