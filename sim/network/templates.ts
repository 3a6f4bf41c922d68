// Building blocks of the item catalogue (catalog.ts): templates × size variants, grouped into implants
// (chargeable, GTIN, lot+serial+expiry, a device C-code), sterile supplies (lot+expiry; some chargeable
// under revenue code 0272) and routine supplies (never charged). Manufacturers are fictional on purpose.
import type { ItemCategory, ServiceLine } from './types.ts';

export type OrderUnit = { uom: string; quantity: number };

export type Template = {
  category: ItemCategory;
  family: string;
  serviceLine: ServiceLine | null;
  /** Description with {0}, {1}… replaced by each combination of `variants`. */
  text: string;
  variants: string[][];
  makers: string[];
  unspsc: string;
  hcpcs: string | null;
  /** Contract price range in USD. */
  price: [number, number];
  chargeable: boolean;
  /** Probability that an item of this template carries a GTIN (implants: always). */
  gtinRate: number;
  lot: boolean;
  serial: boolean;
  expiry: boolean;
  orderUnit: OrderUnit;
};

export const ORTHO = ['Meridian Orthopaedics', 'Talus Joint Systems'];
export const SPINE = ['Altura Spine', 'Meridian Orthopaedics'];
export const TRAUMA = ['Ironbridge Trauma', 'Talus Joint Systems'];
export const CARDIAC = ['Halcyon Cardiac', 'Veritas Rhythm Management'];
export const VASCULAR = ['Northgate Vascular', 'Cascade Interventional'];
export const SURGERY = ['Bellweather Surgical', 'Aurelia Biologics'];
export const STERILE = ['Sterilis Medical', 'Covington Surgical', 'Apex Suture Co.'];
export const ROUTINE = ['Harbor Medical Products', 'Greenfield Healthcare', 'Pioneer Disposables', 'Lakeshore Clinical'];

/** The manufacturers that sell implants direct; everything else comes through distributors. */
export const DIRECT_MAKERS = [...new Set([...ORTHO, ...SPINE, ...TRAUMA, ...CARDIAC, ...VASCULAR, ...SURGERY])];
export const STERILE_MAKERS = STERILE;
/**
 * Makers that label with HIBCC (as many orthopaedic and med-surg makers do) beside or instead of GS1; chosen so
 * that about a third of the catalogue carries a HIBCC code.
 */
export const HIBCC_LABELERS = [
  'Talus Joint Systems',
  'Altura Spine',
  'Ironbridge Trauma',
  'Halcyon Cardiac',
  'Covington Surgical',
  'Pioneer Disposables',
];
export const DISTRIBUTORS = [
  'Keystone Medical Distribution',
  'Atlantic Healthcare Supply',
  'Great Plains Medical Distributors',
  'Pacific Crest Surgical Supply',
  'Gulf Coast Medical Supply',
  'Heartland Med-Surg Distribution',
  'Riverbend Medical Supply',
  'Northwind Healthcare Distribution',
  'Blue Ridge Surgical Supply',
  'Granite State Medical Supply',
];

export const EA: OrderUnit = { uom: 'EA', quantity: 1 };
export const BX = (quantity: number): OrderUnit => ({ uom: 'BX', quantity });
export const CS = (quantity: number): OrderUnit => ({ uom: 'CS', quantity });

export function implant(
  family: string,
  serviceLine: ServiceLine,
  makers: string[],
  hcpcs: string,
  unspsc: string,
  price: [number, number],
  text: string,
  ...variants: string[][]
): Template {
  return {
    category: 'implant', family, serviceLine, text, variants, makers, unspsc, hcpcs, price,
    chargeable: true, gtinRate: 1, lot: true, serial: true, expiry: true, orderUnit: EA,
  };
}

export function sterile(
  family: string,
  serviceLine: ServiceLine | null,
  chargeable: boolean,
  unspsc: string,
  price: [number, number],
  orderUnit: OrderUnit,
  text: string,
  ...variants: string[][]
): Template {
  const makers = chargeable && serviceLine !== null ? (serviceLine === 'cardiology' ? CARDIAC : serviceLine === 'interventional radiology' ? VASCULAR : STERILE) : STERILE;
  return {
    category: 'sterile', family, serviceLine, text, variants, makers, unspsc, hcpcs: null, price,
    chargeable, gtinRate: 0.9, lot: true, serial: false, expiry: true, orderUnit,
  };
}

export function routine(unspsc: string, price: [number, number], orderUnit: OrderUnit, text: string, ...variants: string[][]): Template {
  return {
    category: 'routine', family: 'routine', serviceLine: null, text, variants, makers: ROUTINE, unspsc, hcpcs: null,
    price, chargeable: false, gtinRate: 0.8, lot: false, serial: false, expiry: false, orderUnit,
  };
}

/** Same as routine but tracked by lot and expiry (reagents, prep solutions, tubes). */
export function dated(t: Template): Template {
  return { ...t, lot: true, expiry: true };
}

/** Expands a template into its descriptions (the cartesian product of its variants). */
export function expand(template: Template): string[] {
  let combos: string[][] = [[]];
  for (const options of template.variants) {
    combos = combos.flatMap((combo) => options.map((o) => [...combo, o]));
  }
  return combos.map((combo) => template.text.replace(/\{(\d)\}/g, (_, i: string) => combo[Number(i)] ?? ''));
}
