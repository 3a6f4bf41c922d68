// The EHR simulator, as far as Tendon feeds it: its copy of the item master, kept by MFN^M16 over MLLP (the
// item-master door it shares with the cabinets' server, sim/common/item-master.ts), with the usual HTTP control
// plane (/_sim/health, /_sim/faults, /_sim/ledger) and its item file at GET /items.
import type { FastifyInstance } from 'fastify';
import { createItemMasterSim, startItemMasterSim, type ItemMasterStartOptions } from '../common/item-master.ts';
import type { SimHandle } from '../common/runtime.ts';
import type { SimStore } from '../common/store.ts';
import { DEFAULT_SEED } from '../network/build.ts';

const EHR = { name: 'ehr', application: 'EHR' };

export function createEhr(options: { seed?: number; store?: SimStore } = {}): FastifyInstance {
  return createItemMasterSim({ ...EHR, seed: options.seed ?? DEFAULT_SEED, store: options.store }).app;
}

/** HTTP on `port`, the MFN^M16 door on `mllpPort` (0, the default: a free one; the handle's `mllpUrl`). */
export function startEhr(options: Partial<ItemMasterStartOptions> = {}): Promise<SimHandle> {
  return startItemMasterSim(EHR, { ...options, seed: options.seed ?? DEFAULT_SEED });
}
