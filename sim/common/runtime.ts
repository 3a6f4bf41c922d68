// Starting and stopping one simulator: open its store (memory or SQLite), seed it on first start, listen.
import type { FastifyInstance } from 'fastify';
import { listen } from './http.ts';
import { SimStore } from './store.ts';

export type SimStartOptions = {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  seed?: number;
  /** SQLite file to persist state in; in memory when absent. */
  stateFile?: string;
};

export type SimHandle = {
  name: string;
  url: string;
  app: FastifyInstance;
  store: SimStore;
  /** `mllp://host:port` of the sim's HL7 listener, when it has one (billing, with an MLLP port). */
  mllpUrl?: string;
  close(): Promise<void>;
};

export const DEFAULT_HOST = '127.0.0.1';

/**
 * Seeds a fresh store exactly once. With a state file the persisted data wins over the seed, so a
 * restarted sim keeps whatever tests changed; the seed it was built from is kept in `_meta`.
 */
export function seedOnce(store: SimStore, seed: number, fill: () => void): void {
  if (store.get('_meta', 'seed') !== undefined) return;
  store.transaction(() => {
    fill();
    store.put('_meta', 'seed', seed);
  });
}

export async function serve(
  name: string,
  app: FastifyInstance,
  store: SimStore,
  options: SimStartOptions,
): Promise<SimHandle> {
  try {
    const url = await listen(app, options.host ?? DEFAULT_HOST, options.port ?? 0);
    return {
      name,
      url,
      app,
      store,
      close: async () => {
        await app.close();
        store.close();
      },
    };
  } catch (err) {
    store.close();
    throw err;
  }
}
