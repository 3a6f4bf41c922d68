// How items are packed and labelled beyond the each: box and case levels with their own GTIN-14s, and the
// HIBCC codes some makers print instead of (or beside) GS1. Drawn from their own seeded stream, so adding them
// left every other seeded value of the network as it was.
import type { Rng } from '../common/prng.ts';
import { packagingGtin } from './gs1.ts';
import { HIBCC_LABELERS, type OrderUnit } from './templates.ts';
import type { Item, Packaging } from './types.ts';

/** Box sizes a case of a catalogue's `CS(n)` can be split into, largest first. */
const BOX_SIZES = [250, 200, 100, 50, 25, 24, 20, 12, 10, 6, 5];

/**
 * The box and case of an item bought in `orderUnit` (the catalogue's supplier unit). `BX(n)`: a box of n, a
 * case of 4–10 boxes. `CS(n)`: a case of n, split into boxes when n is 2–10 boxes of a usual size. Items sold
 * by the each (implants) have no packaging. Each level gets the item's GTIN under its own indicator digit.
 */
export function packagingFor(rng: Rng, orderUnit: OrderUnit, gtin: string | null): Packaging[] {
  const boxIndicator = rng.int(1, 4);
  const caseIndicator = rng.int(5, 8);
  const level = (uom: 'BX' | 'CS', quantity: number, indicator: number): Packaging => ({
    uom,
    quantity,
    gtin: gtin === null ? null : packagingGtin(gtin, indicator),
  });
  if (orderUnit.uom === 'BX') {
    const perCase = rng.int(4, 10);
    // A "box of 1" is the each in its own carton: no separate box level, a case of 4–10 of them.
    if (orderUnit.quantity < 2) return [level('CS', perCase, caseIndicator)];
    return [level('BX', orderUnit.quantity, boxIndicator), level('CS', orderUnit.quantity * perCase, caseIndicator)];
  }
  if (orderUnit.uom === 'CS') {
    const box = BOX_SIZES.find((size) => orderUnit.quantity % size === 0 && orderUnit.quantity / size >= 2 && orderUnit.quantity / size <= 10);
    const packCase = level('CS', orderUnit.quantity, caseIndicator);
    return box === undefined ? [packCase] : [level('BX', box, boxIndicator), packCase];
  }
  return [];
}

/** One HIBCC Labeler Identification Code per HIBCC-labelling maker: a letter and three letters or digits. */
export function hibccLabelers(rng: Rng): Map<string, string> {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const alphanumerics = `${letters}0123456789`;
  const used = new Set<string>();
  const lics = new Map<string, string>();
  for (const maker of HIBCC_LABELERS) {
    let lic: string;
    do lic = rng.pick([...letters]) + [0, 1, 2].map(() => rng.pick([...alphanumerics])).join('');
    while (used.has(lic));
    used.add(lic);
    lics.set(maker, lic);
  }
  return lics;
}

/** HIBCC primary data without its unit-of-measure digit and check character: LIC + product number (≤ 18). */
export function hibccOf(item: Pick<Item, 'manufacturer' | 'catalogNumber'>, lics: Map<string, string>): string | null {
  const lic = lics.get(item.manufacturer);
  if (lic === undefined) return null;
  const productNumber = item.catalogNumber.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 18);
  return productNumber === '' ? null : lic + productNumber;
}
