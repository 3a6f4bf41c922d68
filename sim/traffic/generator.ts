// The traffic generator's pure core: given a state (seeded PRNG, the network, counters), produce the next
// realistic batch of canonical events. No I/O and no hidden randomness: with a fixed `now` the same seed
// yields the same events, which is what the tests and the benchmark rely on. Posting lives in poster.ts;
// the stock events (initial counts, receipts) in stock-events.ts.
//
// Bad data comes in two sorts. Damaged messages, at `badRate` of uses (see BadKind): the hub holds each for the
// data problem it carries. And problems of the master data that realistic traffic simply runs into: a location whose
// cost center was closed, chargeable items nobody built a chargemaster line for, items bought off contract that a
// cabinet reorders (offContractRate of its requisitions).
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import { buildNetwork, DEFAULT_SEED } from '../network/build.ts';
import { withCheckDigit } from '../network/gs1.ts';
import type { Item, Location, Network, ParLevel, ServiceLine, Surgeon } from '../network/types.ts';
import { expiryDate, lotNumber, patientContext, PROCEDURES, RETURN_REASONS, serialNumber, type PatientContext } from './clinical.ts';
import { isoWithOffset, type CanonicalEvent, type SourceSystem } from './events.ts';

/**
 * How a use is damaged, and what the hub holds it as: an item code nobody knows (unmapped_item), an inactive item
 * (inactive_item), an implant without lot and serial (missing_lot_serial), an unknown par location
 * (unknown_location), a lot past its expiry date (expired_item_used), a unit the item has no packaging for
 * (uom_unconvertible), the serial number of an implant already used in an earlier case (duplicate_serial_use).
 */
export type BadKind =
  | 'unknown-item'
  | 'implant-without-lot'
  | 'unknown-location'
  | 'inactive-item'
  | 'expired'
  | 'unconvertible-unit'
  | 'duplicate-serial';
export const BAD_KINDS: readonly BadKind[] = [
  'unknown-item', 'implant-without-lot', 'unknown-location', 'inactive-item', 'expired', 'unconvertible-unit', 'duplicate-serial',
];

export type TrafficOptions = {
  seed?: number;
  network?: Network;
  /** Fraction of supply.used events carrying bad data (default 0.02). */
  badRate?: number;
  /** Fraction of cases whose encounter is a closed account, "…-C" (default 0.01). */
  closedAccountRate?: number;
  /** Fraction of cabinet requisitions naming an item bought off contract, which has no contract price (default 0.1). */
  offContractRate?: number;
  /** Prefix for case and transaction numbers, so a second run with the same seed makes new facts. */
  runTag?: string;
  now?: () => number;
};

export type TrafficStats = {
  events: number;
  cases: number;
  withdrawals: number;
  returns: number;
  closedAccountCases: number;
  /** Cabinet reorders (requisition.created), and those naming an item without a contract price. */
  requisitions: number;
  offContractRequisitions: number;
  /** Good cabinet withdrawals counted in boxes, which the hub converts to the item's base unit. */
  boxed: number;
  bad: Record<BadKind, number>;
};

/** A good use; `serialReused` once a later case reuses its serial (it is then never returned, which would free it). */
type Used = { event: CanonicalEvent; returned: boolean; serialReused?: boolean };
/** An implant's serial number used in a case, which a later case may (wrongly) use again. */
type SerialUse = { used: Used; item: Item; caseId: string };

export type TrafficState = {
  network: Network;
  rng: Rng;
  badRate: number;
  closedAccountRate: number;
  offContractRate: number;
  tag: string;
  now: () => number;
  seq: { case: number; withdrawal: number; requisition: number };
  /** Recent good uses, candidates for a return. */
  recent: Used[];
  /** Recent serials used in cases, candidates for a duplicate. */
  serials: SerialUse[];
  stats: TrafficStats;
  items: Map<string, Item>;
  stocked: Map<string, Item[]>;
  /** Par rows of active items per location: what a cabinet reorders, and how much. */
  pars: Map<string, ParLevel[]>;
  inactiveItems: Item[];
  /** Active items without any contract price (spot buys). */
  offContract: Item[];
  /** Locations whose cost center is inactive or missing: the hub holds every use there. */
  inactiveCostCenterLocations: Set<string>;
  procedural: { location: Location; serviceLine: ServiceLine }[];
  cabinets: { location: Location; serviceLine: string }[];
  timezones: Map<string, string>;
  surgeons: Map<string, Surgeon[]>;
};

/** Share of scenarios that are a case (several events) or a return; the rest are cabinet withdrawals. */
const CASE_SHARE = 0.25;
const RETURN_SHARE = 0.045; // ≈ 2% of use events, since a case yields several of them
/** Share of scenarios that are a cabinet's reorder (requisition.created). */
const REQUISITION_SHARE = 0.01;
/** Share of floor-stock withdrawals taken by the box, for items that have a box. */
const BOXED_SHARE = 0.1;
const RECENT_MAX = 200;
const SERIALS_MAX = 500;
/** Weight of each bad kind among those that fit the event; a reused serial is the rare one. */
const BAD_WEIGHTS: Record<BadKind, number> = {
  'unknown-item': 1, 'implant-without-lot': 1, 'unknown-location': 1, 'inactive-item': 1, expired: 1, 'unconvertible-unit': 1,
  'duplicate-serial': 0.3,
};
/** Units no item is packed in: "PK" and "DZ" nobody set up, "CA" the X12 code for the case the ERP calls "CS". */
const UNCONVERTIBLE_UNITS = ['PK', 'CA', 'DZ'];

export function createTrafficState(options: TrafficOptions = {}): TrafficState {
  const seed = options.seed ?? DEFAULT_SEED;
  const network = options.network ?? buildNetwork(seed);
  const { master, profile } = network;
  const items = new Map(master.items.map((i) => [i.id, i]));
  const stocked = new Map<string, Item[]>();
  const pars = new Map<string, ParLevel[]>();
  for (const p of master['par-levels']) {
    const item = items.get(p.itemId);
    if (item?.status !== 'active') continue;
    stocked.set(p.locationId, [...(stocked.get(p.locationId) ?? []), item]);
    pars.set(p.locationId, [...(pars.get(p.locationId) ?? []), p]);
  }
  const priced = new Set(master['contract-prices'].map((p) => p.itemId));
  const costCenterOf = new Map(master.departments.map((d) => [d.id, d.costCenterId]));
  const activeCostCenters = new Set(master['cost-centers'].filter((c) => c.status === 'active').map((c) => c.id));
  const inactiveCostCenterLocations = new Set(
    master.locations.filter((l) => !activeCostCenters.has(costCenterOf.get(l.departmentId) ?? '')).map((l) => l.id),
  );
  const procedural: TrafficState['procedural'] = [];
  const cabinets: TrafficState['cabinets'] = [];
  for (const location of master.locations) {
    const dept = profile.departments[location.departmentId];
    if (!dept || !stocked.has(location.id)) continue;
    if (dept.serviceLine !== null) procedural.push({ location, serviceLine: dept.serviceLine });
    else if (location.managedBy === 'cabinet') {
      cabinets.push({ location, serviceLine: dept.kind === 'ed' ? 'emergency medicine' : 'hospital medicine' });
    }
  }
  const surgeons = new Map<string, Surgeon[]>();
  for (const s of profile.surgeons) {
    const key = `${s.facilityId}|${s.serviceLine}`;
    surgeons.set(key, [...(surgeons.get(key) ?? []), s]);
  }
  return {
    network,
    rng: createRng(deriveSeed(seed, 'traffic')),
    badRate: options.badRate ?? 0.02,
    closedAccountRate: options.closedAccountRate ?? 0.01,
    offContractRate: options.offContractRate ?? 0.1,
    tag: options.runTag ? `${options.runTag}-` : '',
    now: options.now ?? Date.now,
    seq: { case: 0, withdrawal: 0, requisition: 0 },
    recent: [],
    serials: [],
    stats: {
      events: 0, cases: 0, withdrawals: 0, returns: 0, closedAccountCases: 0, requisitions: 0, offContractRequisitions: 0, boxed: 0,
      bad: Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>,
    },
    items,
    stocked,
    pars,
    inactiveItems: master.items.filter((i) => i.status !== 'active'),
    offContract: master.items.filter((i) => i.status === 'active' && !priced.has(i.id)),
    inactiveCostCenterLocations,
    procedural,
    cabinets,
    timezones: new Map(master.facilities.map((f) => [f.id, f.timezone])),
    surgeons,
  };
}

/** The next scenario's events: a surgical case, a cabinet withdrawal or reorder, or the return of a recent use. */
export function nextBatch(state: TrafficState): CanonicalEvent[] {
  const r = state.rng.next();
  const candidates = state.recent.filter((u) => !u.returned && !u.serialReused);
  const events =
    r < RETURN_SHARE && candidates.length > 0
      ? [returnOf(state, state.rng.pick(candidates))]
      : r < RETURN_SHARE + CASE_SHARE
        ? surgicalCase(state)
        : r < RETURN_SHARE + CASE_SHARE + REQUISITION_SHARE
          ? [cabinetRequisition(state)]
          : [withdrawal(state)];
  state.stats.events += events.length;
  return events;
}

function surgicalCase(state: TrafficState): CanonicalEvent[] {
  const { rng } = state;
  const { location, serviceLine } = rng.pick(state.procedural);
  const stock = state.stocked.get(location.id) ?? [];
  const procedure = rng.pick(PROCEDURES[serviceLine]);
  const profile = state.network.profile.items;
  const implants = stock.filter((i) => i.implant && procedure.families.includes(profile[i.id]?.family ?? ''));
  const fallback = stock.filter((i) => i.implant);
  const chosen = [
    ...rng.sample(implants.length > 0 ? implants : fallback, rng.int(1, 3)),
    ...rng.sample(stock.filter((i) => profile[i.id]?.category === 'sterile'), rng.int(2, 4)),
    ...rng.sample(stock.filter((i) => profile[i.id]?.category === 'routine'), rng.int(0, 2)),
  ];
  const closed = rng.chance(state.closedAccountRate);
  const patient = patientContext(rng, closed);
  const caseId = `CASE-${state.tag}${String(++state.seq.case).padStart(6, '0')}`;
  const surgeon = rng.pick(state.surgeons.get(`${location.facilityId}|${serviceLine}`) ?? state.network.profile.surgeons);
  state.stats.cases++;
  if (closed) state.stats.closedAccountCases++;

  const now = state.now();
  let at = now - rng.int(45, 180) * 60_000;
  return chosen.map((item, index) => {
    at = Math.min(now - 1000, at + rng.int(2, 6) * 60_000);
    // A third of implants are scanned at the point of use (GS1 barcode) rather than documented in OpTime.
    const scanned = item.implant && item.gtin !== null && rng.chance(1 / 3);
    const source: SourceSystem = scanned ? 'scanner' : 'ehr-optime';
    const event = useEvent(state, {
      key: `${source}:${caseId}:${index + 1}`,
      source,
      location,
      item,
      quantity: item.implant ? 1 : rng.int(1, 2),
      at,
      correlationId: caseId,
      clinical: {
        patient,
        caseId,
        procedureCode: procedure.code,
        surgeon: { id: surgeon.id, name: surgeon.name },
        serviceLine,
      },
    });
    return maybeCorrupt(state, event, item);
  });
}

function withdrawal(state: TrafficState): CanonicalEvent {
  const { rng } = state;
  const { location, serviceLine } = rng.pick(state.cabinets);
  const item = rng.pick(state.stocked.get(location.id) ?? []);
  state.stats.withdrawals++;
  // Floor stock (gloves, gauze) is sometimes taken by the box: the hub must count it in the ERP's base unit.
  const boxed = !item.chargeable && item.packaging.some((p) => p.uom === 'BX') && rng.chance(BOXED_SHARE);
  const event = useEvent(state, {
    key: `cabinet-omnicell:${location.id}:TX${state.tag}${String(++state.seq.withdrawal).padStart(7, '0')}`,
    source: 'cabinet-omnicell',
    location,
    item,
    quantity: boxed ? 1 : item.chargeable ? 1 : rng.int(1, 4),
    unit: boxed ? 'BX' : undefined,
    at: state.now() - rng.int(0, 60) * 1000,
    // Only chargeable withdrawals are made against a patient; floor stock is just taken.
    clinical: item.chargeable ? { patient: patientContext(rng, false), serviceLine } : undefined,
  });
  const sent = maybeCorrupt(state, event, item);
  if (boxed && sent === event) state.stats.boxed++;
  return sent;
}

/**
 * A cabinet reorders for itself (its locations are not Tendon's to replenish): a requisition.created for an item it
 * stocks, enough eaches to go from the reorder point back to par in whole order units. At `offContractRate` it asks
 * for an item bought off contract instead, one it stocks if any, else one the unit wants but nobody put on par.
 */
function cabinetRequisition(state: TrafficState): CanonicalEvent {
  const { rng } = state;
  const { location } = rng.pick(state.cabinets);
  const pars = state.pars.get(location.id) ?? [];
  const stockedOffContract = state.offContract.filter((i) => pars.some((p) => p.itemId === i.id));
  const offContract = state.offContract.length > 0 && rng.chance(state.offContractRate);
  const item = offContract
    ? rng.pick(stockedOffContract.length > 0 ? stockedOffContract : state.offContract)
    : (state.items.get(rng.pick(pars).itemId) as Item);
  const par = pars.find((p) => p.itemId === item.id);
  const quantity = par
    ? Math.max(1, Math.ceil((par.par - par.reorderPoint) / par.orderUnit.quantity)) * par.orderUnit.quantity
    : (item.packaging[0]?.quantity ?? 1) * rng.int(1, 3);
  state.stats.requisitions++;
  if (state.offContract.includes(item)) state.stats.offContractRequisitions++;
  const number = `CR${state.tag}${String(++state.seq.requisition).padStart(7, '0')}`;
  return {
    type: 'requisition.created',
    idempotencyKey: `cabinet-omnicell:requisition:${number}`,
    occurredAt: localTime(state, location.facilityId, state.now() - rng.int(0, 60) * 1000),
    facility: location.facilityId,
    source: { system: 'cabinet-omnicell' },
    payload: {
      item: { system: 'erp', code: item.id },
      quantity: { value: quantity, unit: item.uom },
      location: location.id,
      priority: rng.chance(0.1) ? 'urgent' : 'routine',
      reason: par ? `cabinet below its reorder point of ${par.reorderPoint}` : 'requested by the unit; not on par',
      // The hub may make it the purchase order number, X12 BEG03 (22 characters at most); a long run tag leaves it
      // out and the hub numbers the order itself.
      ...(number.length <= 22 ? { requisitionNumber: number } : {}),
    },
  };
}

function returnOf(state: TrafficState, used: Used): CanonicalEvent {
  used.returned = true;
  state.stats.returns++;
  const original = used.event;
  return {
    ...original,
    type: 'supply.returned',
    idempotencyKey: `${original.idempotencyKey}:return`,
    occurredAt: localTime(state, original.facility, state.now()),
    payload: { ...original.payload, reason: state.rng.pick(RETURN_REASONS) },
  };
}

type Clinical = {
  patient: PatientContext;
  serviceLine: string;
  caseId?: string;
  procedureCode?: string;
  surgeon?: { id: string; name: string };
};

type UseSpec = {
  key: string;
  source: SourceSystem;
  location: Location;
  item: Item;
  quantity: number;
  /** The unit counted in, when not the item's base unit (a box). */
  unit?: string;
  at: number;
  correlationId?: string;
  clinical: Clinical | undefined;
};

function useEvent(state: TrafficState, u: UseSpec): CanonicalEvent {
  const { rng } = state;
  const payload: Record<string, unknown> = {
    item: u.source === 'scanner' && u.item.gtin !== null ? { gtin: u.item.gtin } : { system: 'erp', code: u.item.id },
    quantity: { value: u.quantity, unit: u.unit ?? u.item.uom },
    location: u.location.id,
  };
  if (u.item.lotControlled) payload.lot = lotNumber(rng);
  if (u.item.serialControlled) payload.serial = serialNumber(rng);
  if (u.item.expiryControlled) payload.expiry = expiryDate(rng, u.at);
  const c = u.clinical;
  if (c) {
    payload.patient = { identifier: c.patient.mrn };
    payload.encounter = c.patient.encounter;
    if (c.caseId !== undefined) payload.caseId = c.caseId;
    if (c.procedureCode !== undefined) payload.procedureCode = c.procedureCode;
    if (c.surgeon !== undefined) payload.surgeon = c.surgeon;
    payload.serviceLine = c.serviceLine;
    payload.payerClass = c.patient.payerClass;
    payload.project = null;
    payload.grant = null;
  }
  const event: CanonicalEvent = {
    type: 'supply.used',
    idempotencyKey: u.key,
    occurredAt: localTime(state, u.location.facilityId, u.at),
    facility: u.location.facilityId,
    source: { system: u.source },
    payload,
  };
  if (u.correlationId !== undefined) event.correlationId = u.correlationId;
  return event;
}

/** With probability badRate, damages the event the way real feeds do; good events become return candidates. */
function maybeCorrupt(state: TrafficState, event: CanonicalEvent, item: Item): CanonicalEvent {
  const { rng } = state;
  if (!rng.chance(state.badRate)) {
    remember(state, event, item);
    return event;
  }
  const kinds = BAD_KINDS.filter((kind) => fits(state, kind, event, item));
  const kind = pickWeighted(rng, kinds, BAD_WEIGHTS);
  state.stats.bad[kind]++;
  return { ...event, payload: DAMAGE[kind](state, event, item) };
}

/** A good use: a candidate for a return, and, for an implant in a case, a serial a later case may reuse. */
function remember(state: TrafficState, event: CanonicalEvent, item: Item): void {
  const used: Used = { event, returned: false };
  state.recent.push(used);
  if (state.recent.length > RECENT_MAX) state.recent.shift();
  // Not from a location the hub holds every use of: a held use claims no serial, so reusing it would be no duplicate.
  if (item.serialControlled && event.correlationId !== undefined && typeof event.payload.serial === 'string'
    && !state.inactiveCostCenterLocations.has(String(event.payload.location))) {
    state.serials.push({ used, item, caseId: event.correlationId });
    if (state.serials.length > SERIALS_MAX) state.serials.shift();
  }
}

/** Which kinds of damage make sense for this event. */
function fits(state: TrafficState, kind: BadKind, event: CanonicalEvent, item: Item): boolean {
  switch (kind) {
    case 'implant-without-lot':
      return item.implant;
    case 'inactive-item':
      return state.inactiveItems.length > 0;
    case 'expired':
      return item.expiryControlled;
    case 'unconvertible-unit':
      // OpTime's DFT counts eaches (FT1-10 has no unit), so only the JSON senders can name a wrong unit.
      return event.source.system !== 'ehr-optime';
    case 'duplicate-serial':
      // On a case: a surgeon's team scanning or documenting the label of an implant that went into an earlier patient.
      return item.serialControlled && event.correlationId !== undefined && serialDonors(state, event).length > 0;
    default:
      return true;
  }
}

/** Serials used in earlier cases of this run and not returned since: the same implant cannot be used again. */
function serialDonors(state: TrafficState, event: CanonicalEvent): SerialUse[] {
  return state.serials.filter((s) => s.caseId !== event.correlationId && !s.used.returned);
}

function pickWeighted<T extends string>(rng: Rng, options: readonly T[], weights: Record<T, number>): T {
  const total = options.reduce((sum, o) => sum + weights[o], 0);
  let r = rng.next() * total;
  for (const o of options) {
    r -= weights[o];
    if (r < 0) return o;
  }
  return options[options.length - 1] as T;
}

type Payload = Record<string, unknown>;

/** The item reference a sender would use for `item`: a scanner reads the GTIN when there is one. */
function refFor(event: CanonicalEvent, item: Item): Payload['item'] {
  return 'gtin' in (event.payload.item as object) && item.gtin !== null ? { gtin: item.gtin } : { system: 'erp', code: item.id };
}

/** YYYY-MM-DD `days` before the local date of an ISO time with offset. */
function daysBefore(isoWithOffset: string, days: number): string {
  const [y, m, d] = isoWithOffset.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

const DAMAGE: Record<BadKind, (state: TrafficState, event: CanonicalEvent, item: Item) => Payload> = {
  'unknown-item': ({ rng }, { payload }) => ({
    ...payload,
    // Codes outside the catalogue: ITM-9xxxx never exists; GS1 company prefixes starting with 9 aren't issued here.
    item: 'gtin' in (payload.item as object) ? { gtin: withCheckDigit(`09${rng.digits(11)}`) } : { system: 'erp', code: `ITM-9${rng.digits(4)}` },
  }),
  'implant-without-lot': (_state, { payload }) => {
    const { lot: _lot, serial: _serial, ...rest } = payload;
    return rest;
  },
  'unknown-location': ({ rng }, { payload }) => ({
    ...payload,
    location: `${String(payload.location).replace(/-[^-]+$/, '')}-ZZ${rng.digits(2)}`,
  }),
  // An item the ERP retired, still on a shelf and used: its own lot, serial and expiry where it is tracked.
  'inactive-item': ({ rng, inactiveItems }, event) => {
    const other = rng.pick(inactiveItems);
    const { lot: _lot, serial: _serial, expiry: _expiry, ...rest } = event.payload;
    const quantity = event.payload.quantity as { value: number };
    const at = Date.parse(event.occurredAt);
    return {
      ...rest,
      item: refFor(event, other),
      quantity: { value: quantity.value, unit: other.uom },
      ...(other.lotControlled ? { lot: lotNumber(rng) } : {}),
      ...(other.serialControlled ? { serial: serialNumber(rng) } : {}),
      ...(other.expiryControlled ? { expiry: expiryDate(rng, at) } : {}),
    };
  },
  // A lot that expired one day to four months before it was used.
  expired: ({ rng }, { payload, occurredAt }) => ({ ...payload, expiry: daysBefore(occurredAt, rng.int(1, 120)) }),
  'unconvertible-unit': ({ rng }, { payload }, item) => {
    const units = UNCONVERTIBLE_UNITS.filter((u) => u !== item.uom && !item.packaging.some((p) => p.uom === u));
    return { ...payload, quantity: { ...(payload.quantity as object), unit: rng.pick(units) } };
  },
  // The label of an implant used in an earlier case scanned or documented again on this one: same item, same serial.
  'duplicate-serial': (state, event, item) => {
    const donors = serialDonors(state, event);
    const sameItem = donors.filter((d) => d.item.id === item.id);
    const donor = state.rng.pick(sameItem.length > 0 ? sameItem : donors);
    donor.used.serialReused = true;
    const original = donor.used.event.payload;
    return {
      ...event.payload,
      item: refFor(event, donor.item),
      quantity: { value: 1, unit: donor.item.uom },
      lot: original.lot,
      serial: original.serial,
      ...(original.expiry !== undefined ? { expiry: original.expiry } : {}),
    };
  },
};

export function localTime(state: TrafficState, facilityId: string, ms: number): string {
  return isoWithOffset(ms, state.timezones.get(facilityId) ?? 'UTC');
}
