// The point-of-use cabinets' dispense export, pure: given a seeded state and the time, the next export file's
// rows, as a cabinet server (Omnicell / Pyxis style) writes them for a hub to pick up from a folder. Withdrawals
// from the network's cabinet-managed locations, of the items stocked there; chargeable ones against a patient;
// returns of earlier withdrawals, flagged or as a negative quantity; and, at `badRate`, rows damaged the way real
// exports are (an item the ERP does not know, an empty quantity, a day-first date).
//
// The columns are the hub's built-in `usage` layout, written down here independently (sim/ never imports src/).
import { stringify } from 'csv-stringify/sync';
import { createRng, deriveSeed, type Rng } from '../common/prng.ts';
import type { Item, Location, Network } from '../network/types.ts';
import { expiryDate, lotNumber, patientContext, serialNumber } from '../traffic/clinical.ts';
import { isoWithOffset } from '../traffic/events.ts';

export const CABINET_COLUMNS = [
  'TransactionID', 'TransactionDateTime', 'Facility', 'Cabinet', 'CabinetLocation', 'ItemID', 'Quantity', 'UOM', 'ReturnFlag',
  'PatientMRN', 'EncounterID', 'CaseID', 'LotNumber', 'SerialNumber', 'ExpirationDate', 'UserID',
] as const;
type Column = (typeof CABINET_COLUMNS)[number];
type Row = Record<Column, string>;

export type BadRow = 'unknown-item' | 'missing-quantity' | 'bad-date';

export type CabinetOptions = {
  network: Network;
  seed?: number;
  /** Fraction of rows damaged on purpose (default 0.03). */
  badRate?: number;
  /** Prefix of transaction ids, so a second run with the same seed makes new transactions. */
  runTag?: string;
};

export type CabinetStats = { files: number; rows: number; returns: number; bad: Record<BadRow, number> };

export type CabinetState = {
  rng: Rng;
  badRate: number;
  tag: string;
  seq: number;
  files: number;
  cabinets: { location: Location; items: Item[]; timezone: string }[];
  /** Recent good withdrawals, candidates for a return. */
  recent: Row[];
  stats: CabinetStats;
};

const RETURN_SHARE = 0.05;
const RECENT_MAX = 100;

export function createCabinetState(options: CabinetOptions): CabinetState {
  const { master } = options.network;
  const items = new Map(master.items.map((i) => [i.id, i]));
  const timezones = new Map(master.facilities.map((f) => [f.id, f.timezone]));
  const stocked = new Map<string, Item[]>();
  for (const p of master['par-levels']) {
    const item = items.get(p.itemId);
    if (item?.status === 'active') stocked.set(p.locationId, [...(stocked.get(p.locationId) ?? []), item]);
  }
  const cabinets = master.locations
    .filter((l) => l.managedBy === 'cabinet' && stocked.has(l.id))
    .map((location) => ({ location, items: stocked.get(location.id)!, timezone: timezones.get(location.facilityId) ?? 'UTC' }));
  if (cabinets.length === 0) throw new Error('the network has no stocked cabinet location');
  return {
    rng: createRng(deriveSeed(options.seed ?? options.network.seed, 'cabinet')),
    badRate: options.badRate ?? 0.03,
    tag: options.runTag ?? '',
    seq: 0,
    files: 0,
    cabinets,
    recent: [],
    stats: { files: 0, rows: 0, returns: 0, bad: { 'unknown-item': 0, 'missing-quantity': 0, 'bad-date': 0 } },
  };
}

export type CabinetExport = { name: string; text: string; rows: Row[] };

/** The next export: `count` rows of the last `windowMs` before `now`, oldest first, as CSV with a header. */
export function nextExport(state: CabinetState, now: number, count: number, windowMs: number): CabinetExport {
  const times = Array.from({ length: count }, () => now - state.rng.int(0, Math.max(0, windowMs - 1))).sort((a, b) => a - b);
  const rows = times.map((at) => {
    const candidates = state.recent.filter((r) => r.ReturnFlag === 'N');
    const row = state.rng.chance(RETURN_SHARE) && candidates.length > 0 ? returnOf(state, state.rng.pick(candidates), at) : withdrawal(state, at);
    return damaged(state, row);
  });
  state.files++;
  state.stats.files++;
  state.stats.rows += rows.length;
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  const name = `cabinet-dispense-${stamp}-${String(state.files).padStart(6, '0')}.csv`;
  const text = stringify([[...CABINET_COLUMNS], ...rows.map((r) => CABINET_COLUMNS.map((c) => r[c]))], { record_delimiter: 'windows' });
  return { name, text, rows };
}

function withdrawal(state: CabinetState, at: number): Row {
  const { rng } = state;
  const cabinet = rng.pick(state.cabinets);
  const item = rng.pick(cabinet.items);
  const patient = item.chargeable ? patientContext(rng, false) : null;
  return {
    TransactionID: `OC${state.tag}${String(++state.seq).padStart(8, '0')}`,
    TransactionDateTime: isoWithOffset(at, cabinet.timezone).replace(/\.\d{3}/, ''),
    Facility: cabinet.location.facilityId,
    Cabinet: `${cabinet.location.name} (Omnicell XT)`,
    CabinetLocation: cabinet.location.id,
    ItemID: item.id,
    Quantity: String(item.chargeable ? 1 : rng.int(1, 4)),
    UOM: item.uom,
    ReturnFlag: 'N',
    PatientMRN: patient?.mrn ?? '',
    EncounterID: patient?.encounter ?? '',
    CaseID: '',
    LotNumber: item.lotControlled ? lotNumber(rng) : '',
    SerialNumber: item.serialControlled ? serialNumber(rng) : '',
    ExpirationDate: item.expiryControlled ? expiryDate(rng, at) : '',
    UserID: `RN${rng.digits(4)}`,
  };
}

/** A return is its own transaction; cabinets write it either with the return flag or as a negative quantity. */
function returnOf(state: CabinetState, used: Row, at: number): Row {
  state.recent.splice(state.recent.indexOf(used), 1);
  state.stats.returns++;
  const cabinet = state.cabinets.find((c) => c.location.id === used.CabinetLocation)!;
  const flagged = state.rng.chance(0.5);
  return {
    ...used,
    TransactionID: `OC${state.tag}${String(++state.seq).padStart(8, '0')}`,
    TransactionDateTime: isoWithOffset(at, cabinet.timezone).replace(/\.\d{3}/, ''),
    Quantity: flagged ? used.Quantity : `-${used.Quantity}`,
    ReturnFlag: flagged ? 'Y' : 'N',
    UserID: `RN${state.rng.digits(4)}`,
  };
}

function damaged(state: CabinetState, row: Row): Row {
  const { rng } = state;
  if (!rng.chance(state.badRate)) {
    if (row.ReturnFlag === 'N' && !row.Quantity.startsWith('-')) {
      state.recent.push(row);
      if (state.recent.length > RECENT_MAX) state.recent.shift();
    }
    return row;
  }
  const kind = rng.pick<BadRow>(['unknown-item', 'missing-quantity', 'bad-date']);
  state.stats.bad[kind]++;
  // ITM-9xxxx never exists in the network: a well-formed row the hub holds as an unmapped item.
  if (kind === 'unknown-item') return { ...row, ItemID: `ITM-9${rng.digits(4)}` };
  if (kind === 'missing-quantity') return { ...row, Quantity: '' };
  const d = new Date(Date.parse(row.TransactionDateTime));
  return { ...row, TransactionDateTime: `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} 25:61` };
}
