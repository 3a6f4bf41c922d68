// buildNetwork(seed): the whole simulated health system as plain data. Pure and deterministic: the same
// seed gives byte-identical JSON (a seeded mulberry32 and a private, seeded faker instance; no clock).
// Every simulator builds it from the same seed, so ERP, inventory and billing agree without talking.
import { base, en, Faker } from '@faker-js/faker';
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import { buildItems, supplierNames } from './items.ts';
import { withCheckDigit } from './gs1.ts';
import { EXTRA_COST_CENTERS, FACILITY_PLANS, MANAGED_BY } from './organisation.ts';
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
  const stamp = (): string =>
    new Date(STAMP_BASE + rng.int(0, STAMP_SPAN_SECONDS) * 1000 + rng.int(0, 999)).toISOString();

  const facilities: Facility[] = [];
  const departments: Department[] = [];
  const locations: Location[] = [];
  const costCenters: CostCenter[] = [];
  const deptProfile: NetworkProfile['departments'] = {};
  for (const plan of FACILITY_PLANS) {
    const facilityId = `FAC-${plan.letter}`;
    facilities.push({ id: facilityId, name: plan.name, timezone: plan.timezone, updatedAt: stamp() });
    for (const d of plan.departments) {
      const departmentId = `DEP-${plan.letter}-${d.code}`;
      const costCenterId = `CC-${plan.letter}-${d.costCenter}`;
      costCenters.push({ id: costCenterId, facilityId, name: d.name, status: 'active', updatedAt: stamp() });
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

  const { items, contractPrices, chargemaster, profile: itemProfile } = buildItems(rng, suppliers, stamp);
  const profile: NetworkProfile = { departments: deptProfile, items: itemProfile, surgeons: [] };
  const parLevels = buildParLevels(rng, locations, items, profile, stamp);
  profile.surgeons = buildSurgeons(rng, faker, departments, deptProfile);

  return {
    seed,
    master: {
      facilities,
      departments,
      locations,
      'cost-centers': costCenters,
      suppliers,
      items,
      'contract-prices': contractPrices,
      chargemaster,
      'par-levels': parLevels,
    },
    profile,
  };
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
  if (item.implant) {
    const par = rng.int(2, 4);
    return { id, locationId: loc.id, itemId: item.id, par, reorderPoint: 1, orderUnit: { uom: 'EA', quantity: 1 }, critical: true, updatedAt };
  }
  // Floor replenishment comes from the storeroom by the box, never by the supplier's full case.
  const quantity = rng.pick([5, 10, 10, 12, 20, 25, 50]);
  const orderUnit = { uom: 'BX', quantity };
  const par = quantity * rng.int(2, 5);
  const reorderPoint = Math.min(par - 1, Math.max(1, Math.floor(par * (0.3 + rng.next() * 0.2))));
  const critical = item.chargeable || profile.items[item.id]?.family === 'tray';
  return { id, locationId: loc.id, itemId: item.id, par, reorderPoint, orderUnit, critical, updatedAt };
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
