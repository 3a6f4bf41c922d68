// The point-of-use cabinets' server as Tendon feeds it: its item file, kept by MFN^M16 over MLLP with the same
// item-master door as the EHR's (sim/common/item-master.ts), under its own name and ports. (Its dispense exports,
// which go the other way, are export.ts and writer.ts.)
import type { FastifyInstance } from 'fastify';
import { createItemMasterSim, startItemMasterSim, type ItemMasterStartOptions } from '../common/item-master.ts';
import type { SimHandle } from '../common/runtime.ts';
import type { SimStore } from '../common/store.ts';
import { DEFAULT_SEED } from '../network/build.ts';

const CABINET = { name: 'cabinet', application: 'CABINET' };

export function createCabinet(options: { seed?: number; store?: SimStore } = {}): FastifyInstance {
  return createItemMasterSim({ ...CABINET, seed: options.seed ?? DEFAULT_SEED, store: options.store }).app;
}

/** HTTP on `port`, the MFN^M16 door on `mllpPort` (0, the default: a free one; the handle's `mllpUrl`). */
export function startCabinet(options: Partial<ItemMasterStartOptions> = {}): Promise<SimHandle> {
  return startItemMasterSim(CABINET, { ...options, seed: options.seed ?? DEFAULT_SEED });
}
