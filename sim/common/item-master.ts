// The item file of a clinical system that keeps a copy of the item master, fed by MFN^M16 over MLLP: the EHR
// (sim/ehr) and the point-of-use cabinets' server (sim/cabinet) run this same code under their own names. Each
// MFE/ITM group updates one item (id → description, unit, GTIN, status, packaging levels) and is one `item` ledger
// entry; the answer is MFK^M16 with an MFA per MFE (see master-file.ts). Like every sim it has the HTTP control
// plane (/_sim/health, /_sim/faults, /_sim/ledger), whose faults drive the MLLP door too, and reads its file at
// GET /items and GET /items/:id. The file starts empty: it holds what the hub sent.
import type { FastifyInstance } from 'fastify';
import { NO_FAULTS, type FaultSwitch } from './faults.ts';
import type { Hl7Segment } from './hl7.ts';
import { createSimApp } from './http.ts';
import { masterFileRoute, type Locate, type MasterFileEntry, type MasterRecordSpec } from './master-file.ts';
import { Hl7Refusal, startMllpDoor, withMllpDoor, type MllpDoor } from './mllp-door.ts';
import { notFound } from './problem.ts';
import { DEFAULT_HOST, serve, type SimHandle, type SimStartOptions } from './runtime.ts';
import { SimStore } from './store.ts';

/** One packaging level above the base unit: its unit (PKG-2), how many base units it holds, its own GTIN (PKG-8). */
export type PackagingLevel = { uom: string; quantity: number; gtin: string | null };

export type ItemRecord = {
  id: string;
  description: string | null;
  /** The base unit: PKG-2 of the level that holds one. */
  uom: string | null;
  /** The base unit's GTIN (its PKG-8). */
  gtin: string | null;
  /** ITM-3 (table 0776: A, I, P); MFE-1 MDC / MAC set it too. */
  status: 'active' | 'inactive' | 'pending-inactive';
  /** The larger levels (box, case), shaped like the ERP's item packaging. */
  packaging: PackagingLevel[];
};

const ITEM_STATUS: Record<string, ItemRecord['status']> = { '': 'active', A: 'active', I: 'inactive', P: 'pending-inactive' };

/** A PKG level. Its count of base units is PKG-10 (quantity of each) when given, else PKG-4 (package quantity). */
function levelOf(pkg: Hl7Segment, locate: Locate): PackagingLevel {
  const uom = pkg.get(2);
  if (uom === '') throw new Hl7Refusal('AE', '101', 'Required field missing', 'PKG-2 packaging unit is empty', locate(pkg, 2));
  const field = pkg.get(10) !== '' ? 10 : 4;
  const raw = pkg.get(field);
  const quantity = Number(raw);
  if (raw === '' || !Number.isFinite(quantity) || quantity <= 0) {
    const [code, text] = raw === '' ? ['101', 'Required field missing'] : ['102', 'Data type error'];
    throw new Hl7Refusal('AE', code, text, `PKG-${field} quantity of ${uom} "${raw}" is not a positive number`, locate(pkg, field));
  }
  return { uom, quantity, gtin: pkg.get(8) || null };
}

/** The item of an MFE/ITM group: ITM-2 description, ITM-3 status; PKG levels give the base unit, its GTIN and the rest. */
function readItem(entry: MasterFileEntry, itm: Hl7Segment, locate: Locate): ItemRecord {
  const statusCode = itm.get(3).toUpperCase();
  const status = ITEM_STATUS[statusCode];
  if (status === undefined) {
    throw new Hl7Refusal('AE', '103', 'Table value not found', `ITM-3 item status "${statusCode}" is not A, I or P (table 0776)`, locate(itm, 3));
  }
  const levels = entry.segments.filter((s) => s.name === 'PKG').map((pkg) => levelOf(pkg, locate));
  const base = levels.find((l) => l.quantity === 1);
  return {
    id: entry.key,
    description: itm.get(2) || null,
    uom: base?.uom ?? null,
    gtin: base?.gtin ?? null,
    status,
    packaging: levels.filter((l) => l !== base),
  };
}

export const ITEM_MASTER: MasterRecordSpec<ItemRecord> = {
  event: 'M16',
  segment: 'ITM',
  noun: 'item',
  coll: 'items',
  kind: 'item',
  read: readItem,
};

export type ItemMasterOptions = {
  /** The sim's name (ledger, health, fault seed): ehr, cabinet. */
  name: string;
  /** MSH-3 of its answers: EHR, CABINET. */
  application: string;
  seed: number;
  store?: SimStore;
};

export type ItemMasterSim = { app: FastifyInstance; store: SimStore; door: MllpDoor };

export function createItemMasterSim(options: ItemMasterOptions): ItemMasterSim {
  const { seed } = options;
  const store = options.store ?? new SimStore();
  const faults: FaultSwitch = { state: NO_FAULTS };
  const app = createSimApp({ name: options.name, store, seed, faults });

  app.get('/items', async () => ({ data: store.all<ItemRecord>('items').sort((a, b) => (a.id < b.id ? -1 : 1)) }));
  app.get('/items/:id', async (req) => {
    const { id } = req.params as { id: string };
    const item = store.get<ItemRecord>('items', id);
    if (!item) throw notFound(`no item ${id} in the ${options.name} item file`);
    return item;
  });

  const door: MllpDoor = { name: options.name, application: options.application, store, seed, faults, routes: { MFN: masterFileRoute(store, ITEM_MASTER) } };
  return { app, store, door };
}

export type ItemMasterStartOptions = Omit<SimStartOptions, 'seed'> & {
  seed: number;
  /** Port of the MFN^M16 listener (MLLP); 0 (the default) a free one. */
  mllpPort?: number;
};

/** Starts the HTTP control plane and the MLLP door; the handle's `mllpUrl` says where the door is. */
export async function startItemMasterSim(
  sim: Pick<ItemMasterOptions, 'name' | 'application'>,
  options: ItemMasterStartOptions,
): Promise<SimHandle> {
  const store = new SimStore(options.stateFile);
  const { app, door } = createItemMasterSim({ ...sim, seed: options.seed, store });
  const handle = await serve(sim.name, app, store, options);
  return withMllpDoor(handle, () => startMllpDoor(door, { host: options.host ?? DEFAULT_HOST, port: options.mllpPort ?? 0 }));
}
