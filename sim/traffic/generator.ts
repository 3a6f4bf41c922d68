// The traffic generator's pure core: given a state (seeded PRNG, the network, counters), produce the next
// realistic batch of canonical events. No I/O and no hidden randomness: with a fixed `now` the same seed
// yields the same events, which is what the tests and the benchmark rely on. Posting lives in poster.ts;
// the stock events (initial counts, receipts) in stock-events.ts.
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import { buildNetwork, DEFAULT_SEED } from '../network/build.ts';
import { withCheckDigit } from '../network/gs1.ts';
import type { Item, Location, Network, ServiceLine, Surgeon } from '../network/types.ts';
import { expiryDate, lotNumber, patientContext, PROCEDURES, RETURN_REASONS, serialNumber, type PatientContext } from './clinical.ts';
import { isoWithOffset, type CanonicalEvent, type SourceSystem } from './events.ts';

export type BadKind = 'unknown-item' | 'implant-without-lot' | 'unknown-location';

export type TrafficOptions = {
  seed?: number;
  network?: Network;
  /** Fraction of supply.used events carrying bad data (default 0.02). */
  badRate?: number;
  /** Fraction of cases whose encounter is a closed account, "…-C" (default 0.01). */
  closedAccountRate?: number;
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
  bad: Record<BadKind, number>;
};

type Used = { event: CanonicalEvent; returned: boolean };

export type TrafficState = {
  network: Network;
  rng: Rng;
  badRate: number;
  closedAccountRate: number;
  tag: string;
  now: () => number;
  seq: { case: number; withdrawal: number };
  /** Recent good uses, candidates for a return. */
  recent: Used[];
  stats: TrafficStats;
  items: Map<string, Item>;
  stocked: Map<string, Item[]>;
  procedural: { location: Location; serviceLine: ServiceLine }[];
  cabinets: { location: Location; serviceLine: string }[];
  timezones: Map<string, string>;
  surgeons: Map<string, Surgeon[]>;
};

/** Share of scenarios that are a case (several events) or a return; the rest are cabinet withdrawals. */
const CASE_SHARE = 0.25;
const RETURN_SHARE = 0.045; // ≈ 2% of use events, since a case yields several of them
const RECENT_MAX = 200;

export function createTrafficState(options: TrafficOptions = {}): TrafficState {
  const seed = options.seed ?? DEFAULT_SEED;
  const network = options.network ?? buildNetwork(seed);
  const { master, profile } = network;
  const items = new Map(master.items.map((i) => [i.id, i]));
  const stocked = new Map<string, Item[]>();
  for (const p of master['par-levels']) {
    const item = items.get(p.itemId);
    if (item?.status !== 'active') continue;
    stocked.set(p.locationId, [...(stocked.get(p.locationId) ?? []), item]);
  }
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
    tag: options.runTag ? `${options.runTag}-` : '',
    now: options.now ?? Date.now,
    seq: { case: 0, withdrawal: 0 },
    recent: [],
    stats: { events: 0, cases: 0, withdrawals: 0, returns: 0, closedAccountCases: 0, bad: { 'unknown-item': 0, 'implant-without-lot': 0, 'unknown-location': 0 } },
    items,
    stocked,
    procedural,
    cabinets,
    timezones: new Map(master.facilities.map((f) => [f.id, f.timezone])),
    surgeons,
  };
}

/** The next scenario's events: a surgical case, a cabinet withdrawal, or the return of a recent use. */
export function nextBatch(state: TrafficState): CanonicalEvent[] {
  const r = state.rng.next();
  const candidates = state.recent.filter((u) => !u.returned);
  const events =
    r < RETURN_SHARE && candidates.length > 0
      ? [returnOf(state, state.rng.pick(candidates))]
      : r < RETURN_SHARE + CASE_SHARE
        ? surgicalCase(state)
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
  const event = useEvent(state, {
    key: `cabinet-omnicell:${location.id}:TX${state.tag}${String(++state.seq.withdrawal).padStart(7, '0')}`,
    source: 'cabinet-omnicell',
    location,
    item,
    quantity: item.chargeable ? 1 : rng.int(1, 4),
    at: state.now() - rng.int(0, 60) * 1000,
    // Only chargeable withdrawals are made against a patient; floor stock is just taken.
    clinical: item.chargeable ? { patient: patientContext(rng, false), serviceLine } : undefined,
  });
  return maybeCorrupt(state, event, item);
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
  at: number;
  correlationId?: string;
  clinical: Clinical | undefined;
};

function useEvent(state: TrafficState, u: UseSpec): CanonicalEvent {
  const { rng } = state;
  const payload: Record<string, unknown> = {
    item: u.source === 'scanner' && u.item.gtin !== null ? { gtin: u.item.gtin } : { system: 'erp', code: u.item.id },
    quantity: { value: u.quantity, unit: u.item.uom },
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
    state.recent.push({ event, returned: false });
    if (state.recent.length > RECENT_MAX) state.recent.shift();
    return event;
  }
  const kinds: BadKind[] = item.implant ? ['unknown-item', 'implant-without-lot', 'unknown-location'] : ['unknown-item', 'unknown-location'];
  const kind = rng.pick(kinds);
  state.stats.bad[kind]++;
  const payload = { ...event.payload };
  if (kind === 'unknown-item') {
    // Codes outside the catalogue: ITM-9xxxx never exists; GS1 company prefixes starting with 9 aren't issued here.
    payload.item = 'gtin' in (payload.item as object) ? { gtin: withCheckDigit(`09${rng.digits(11)}`) } : { system: 'erp', code: `ITM-9${rng.digits(4)}` };
  } else if (kind === 'implant-without-lot') {
    delete payload.lot;
    delete payload.serial;
  } else {
    payload.location = `${String(payload.location).replace(/-[^-]+$/, '')}-ZZ${rng.digits(2)}`;
  }
  return { ...event, payload };
}

export function localTime(state: TrafficState, facilityId: string, ms: number): string {
  return isoWithOffset(ms, state.timezones.get(facilityId) ?? 'UTC');
}
