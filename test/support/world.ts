// The usual test world: the simulated network and a hub on a fresh store, started before a file's tests and
// stopped after them.
import { after, before } from 'node:test';
import type { HubConfigInput } from '../../src/config/schema.ts';
import { startSims, startTestHub, type Sims, type TestHub } from './hub.ts';
import { picks } from './picks.ts';

export interface World {
  sims: Sims;
  hub: TestHub;
  p: ReturnType<typeof picks>;
}

export function withHub(ready: (world: World) => void, tune?: (config: HubConfigInput, sims: Sims) => void): void {
  let world: World | undefined;
  before(async () => {
    const sims = await startSims();
    world = { sims, hub: await startTestHub(sims, tune), p: picks(sims) };
    ready(world);
  });
  after(async () => {
    await world?.hub.stop();
    await world?.sims.close();
  });
}
