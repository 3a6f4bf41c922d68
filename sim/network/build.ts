// buildNetwork(seed): the whole simulated health system as plain data. Pure and deterministic: the same
// seed gives byte-identical JSON (a seeded mulberry32 and a private, seeded faker instance; no clock).
// Every simulator builds it from the same seed, so ERP, inventory and billing agree without talking.
// What was added later (packaging, HIBCC, tiers, markups, GL accounts, budgets) draws from streams of its own
// (deriveSeed(seed, label)), so each addition left the values seeded before it as they were.
import { base, en, Faker } from '@faker-js/faker';
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import { buildBudgets, buildGlAccounts } from './finance.ts';
import { buildItems, supplierNames } from './items.ts';
import { withCheckDigit } from './gs1.ts';
import { EXTRA_COST_CENTERS, FACILITY_PLANS, MANAGED_BY } from './organisation.ts';
import { hibccLabelers, hibccOf } from './packaging.ts';
import { withContractTiers, withMarkupLines, withoutOffContractItems, withoutSomeChargeLines } from './pricing.ts';
import type {
  CostCenter,
  Department,
  DepartmentKind,
  Facility,
  Item,
  Location,
  Network,
  NetworkProfile,
  ParLevel,
  Supplier,
  Surgeon,
} from './types.ts';

export const DEFAULT_SEED = 20261121;

/** Seeded records are stamped within 2025, safely before any live update the sims make. */
const STAMP_BASE = Date.UTC(2025, 0, 6);
const STAMP_SPAN_SECONDS = 300 * 86_400;

export function buildNetwork(seed: number = DEFAULT_SEED): Network {
  const rng = createRng(deriveSeed(seed, 'network'));
  const faker = new Faker({ locale: [en, base] });
  faker.seed(deriveSeed(seed, 'faker'));
  const stamp = stamper(rng);
  const stream = (label: string): Rng => createRng(deriveSeed(seed, label));

  const facilities: Facility[] = [];
  const departments: Department[] = [];
  const locations: Location[] = [];
  const costCenters: CostCenter[] = [];
  const deptProfile: NetworkProfile['departments'] = {};
  for (const plan of FACILITY_PLANS) {
    const facilityId = `FAC-${plan.letter}`;
    facilities.push({ id: facilityId, name: plan.name, timezone: plan.timezone, purchasingGroup: plan.purchasingGroup, updatedAt: stamp() });
    for (const d of plan.departments) {
      const departmentId = `DEP-${plan.letter}-${d.code}`;
      const costCenterId = `CC-${plan.letter}-${d.costCenter}`;
      const status = d.costCenterClosed ? 'inactive' : 'active';
      costCenters.push({ id: costCenterId, facilityId, name: d.name, glAccountId: d.glAccount, status, updatedAt: stamp() });
      departments.push({ id: departmentId, facilityId, name: d.name, costCenterId, updatedAt: stamp() });
      deptProfile[departmentId] = { kind: d.kind, serviceLine: d.serviceLine };
      for (const [code, name] of d.locations) {
        locations.push({
          id: `LOC-${plan.letter}-${code}`,
          facilityId,
          departmentId,
          name: `${plan.name.split(' ')[0]} ${name}`,
          managedBy: MANAGED_BY[d.kind],
          updatedAt: stamp(),
        });
      }
    }
  }
  for (const cc of EXTRA_COST_CENTERS) {
    costCenters.push({
      id: `CC-${cc.letter}-${cc.code}`,
      facilityId: `FAC-${cc.letter}`,
      name: cc.name,
      glAccountId: cc.glAccount,
      status: cc.active ? 'active' : 'inactive',
      updatedAt: stamp(),
    });
  }

  const suppliers: Supplier[] = supplierNames().map((s, i) => ({
    id: `SUP-${String(i + 1).padStart(4, '0')}`,
    name: s.name,
    duns: `${rng.int(1, 9)}${rng.digits(8)}`,
    gln: withCheckDigit(`0${rng.int(3, 8)}${rng.digits(10)}`),
    status: s.active ? 'active' : 'inactive',
    updatedAt: stamp(),
  }));

  const built = buildItems(rng, stream('packaging'), suppliers, stamp);
  const { items, profile: itemProfile } = built;
  const profile: NetworkProfile = { departments: deptProfile, items: itemProfile, surgeons: [] };
  const parLevels = buildParLevels(rng, locations, items, profile, stamp);
  profile.surgeons = buildSurgeons(rng, faker, departments, deptProfile);

  const lics = hibccLabelers(stream('hibcc'));
  for (const item of items) item.hibcc = hibccOf(item, lics);
  const pricingRng = stream('pricing');
  const pricingStamp = stamper(pricingRng);
  const onContract = withoutOffContractItems(pricingRng, items, built.contractPrices);
  const contractPrices = withContractTiers(pricingRng, onContract, facilities, pricingStamp, built.contractPrices.length);
  const serviceLineOf = (itemId: string) => itemProfile[itemId]?.serviceLine ?? null;
  const charged = withoutSomeChargeLines(pricingRng, items, built.chargemaster, serviceLineOf);
  const chargemaster = withMarkupLines(pricingRng, charged, contractPrices);

  const financeRng = stream('finance');
  const financeStamp = stamper(financeRng);
  const glAccounts = buildGlAccounts(financeStamp);
  // The surgery center closed in 2025 with no department left has no budget; a cost center closed under a
  // live department still has the budget it was given for the year.
  const budgeted = costCenters.filter((cc) => cc.status === 'active' || departments.some((d) => d.costCenterId === cc.id));
  const budgets = buildBudgets(financeRng, budgeted, financeStamp);

  return {
    seed,
    master: {
      facilities,
      departments,
      locations,
      'cost-centers': costCenters,
      'gl-accounts': glAccounts,
      budgets,
      suppliers,
      items,
      'contract-prices': contractPrices,
      chargemaster,
      'par-levels': parLevels,
    },
    profile,
  };
}

/** Seeded record stamps within 2025, drawn from `rng`. */
function stamper(rng: Rng): () => string {
  return () => new Date(STAMP_BASE + rng.int(0, STAMP_SPAN_SECONDS) * 1000 + rng.int(0, 999)).toISOString();
}

/** What each kind of location stocks: procedural areas their service line, cabinets the floor basics. */
function buildParLevels(
  rng: Rng,
  locations: Location[],
  items: Item[],
  profile: NetworkProfile,
  stamp: () => string,
): ParLevel[] {
  const active = items.filter((i) => i.status === 'active');
  const of = (pred: (p: NetworkProfile['items'][string], item: Item) => boolean): Item[] =>
    active.filter((i) => {
      const p = profile.items[i.id];
      return p !== undefined && pred(p, i);
    });
  const routine = of((p) => p.category === 'routine');
  const generalSterile = of((p, i) => p.category === 'sterile' && p.serviceLine === null && !i.chargeable && p.family !== 'tray');
  const chargeableFloor = of((p, i) => p.category === 'sterile' && p.serviceLine === null && i.chargeable);
  const edSterile = of((p) => p.category === 'sterile' && (p.family === 'tray' || p.family === 'suture'));

  const rows: ParLevel[] = [];
  for (const loc of locations) {
    const dept = profile.departments[loc.departmentId] as { kind: DepartmentKind; serviceLine: string | null };
    let stocked: Item[];
    if (dept.serviceLine !== null) {
      const line = dept.serviceLine;
      stocked = [
        ...rng.sample(of((p) => p.category === 'implant' && p.serviceLine === line), 18),
        ...of((p) => p.category === 'sterile' && p.serviceLine === line),
        ...rng.sample(generalSterile, 8),
        ...rng.sample(routine, 8),
      ];
    } else if (dept.kind === 'ed') {
      stocked = [...rng.sample(routine, 25), ...rng.sample(edSterile, 6), ...rng.sample(chargeableFloor, 2)];
    } else {
      stocked = [...rng.sample(routine, 30), ...rng.sample(chargeableFloor, 4), ...rng.sample(generalSterile, 3)];
    }
    for (const item of stocked) rows.push(parRow(rng, rows.length, loc, item, profile, stamp()));
  }
  return rows;
}

function parRow(
  rng: Rng,
  index: number,
  loc: Location,
  item: Item,
  profile: NetworkProfile,
  updatedAt: string,
): ParLevel {
  const id = `PAR-${String(index + 1).padStart(5, '0')}`;
  // Cabinets reorder for themselves; Tendon reorders everywhere else (the field is left unset there).
  const managedBy = loc.managedBy === 'cabinet' ? { managedBy: 'cabinet' as const } : {};
  if (item.implant) {
    const par = rng.int(2, 4);
    return { id, locationId: loc.id, itemId: item.id, par, reorderPoint: 1, orderUnit: { uom: 'EA', quantity: 1 }, critical: true, ...managedBy, updatedAt };
  }
  // Floor replenishment comes from the storeroom by the item's own box, never by the supplier's full case;
  // an item with no box level is sent by the each, its par a multiple of the drawn size. (The size is drawn for
  // every item so the seeded stream stays as it was before items had packaging.)
  const drawn = rng.pick([5, 10, 10, 12, 20, 25, 50]);
  const box = item.packaging.find((p) => p.uom === 'BX');
  const orderUnit = box ? { uom: 'BX', quantity: box.quantity } : { uom: 'EA', quantity: 1 };
  const par = (box?.quantity ?? drawn) * rng.int(2, 5);
  const reorderPoint = Math.min(par - 1, Math.max(1, Math.floor(par * (0.3 + rng.next() * 0.2))));
  const critical = item.chargeable || profile.items[item.id]?.family === 'tray';
  return { id, locationId: loc.id, itemId: item.id, par, reorderPoint, orderUnit, critical, ...managedBy, updatedAt };
}

function buildSurgeons(
  rng: Rng,
  faker: Faker,
  departments: Department[],
  deptProfile: NetworkProfile['departments'],
): Surgeon[] {
  const surgeons: Surgeon[] = [];
  for (const d of departments) {
    const line = deptProfile[d.id]?.serviceLine;
    if (!line) continue;
    for (let i = 0; i < 3; i++) {
      surgeons.push({
        id: `NPI${rng.int(1, 2)}${rng.digits(9)}`,
        name: `Dr ${faker.person.firstName()} ${faker.person.lastName()}`,
        facilityId: d.facilityId,
        serviceLine: line,
      });
    }
  }
  return surgeons;
}
