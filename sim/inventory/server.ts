// The inventory system simulator: owns stock on hand per (location, item). It starts every par-level row
// at its par, takes movements (decrement, increment, adjust, count) and reverses them exactly.
// It has no item master of its own (any item code is tracked), but it knows its locations.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { effectCollection } from '../common/effects.ts';
import { createSimApp, parseBody, parseQuery } from '../common/http.ts';
import { refuse } from '../common/problem.ts';
import { seedOnce, serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { nonEmpty } from '../common/schemas.ts';
import { SimStore } from '../common/store.ts';
import { buildNetwork, DEFAULT_SEED } from '../network/build.ts';
import type { Network } from '../network/types.ts';
import { addQuantity, movementDelta, movementSchema, stockKey, type Movement, type StockRow } from './stock.ts';

export type InventoryOptions = { seed?: number; store?: SimStore; network?: Network };

export function createInventory(options: InventoryOptions = {}): FastifyInstance {
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? new SimStore();
  seedOnce(store, seed, () => {
    const network = options.network ?? buildNetwork(seed);
    for (const loc of network.master.locations) store.put('locations', loc.id, { id: loc.id, facilityId: loc.facilityId });
    for (const p of network.master['par-levels']) {
      store.put('stock', stockKey(p.locationId, p.itemId), { locationId: p.locationId, itemId: p.itemId, onHand: p.par });
    }
  });
  const app = createSimApp({ name: 'inventory', store, seed });

  const onHandOf = (locationId: string, itemId: string): number =>
    store.get<StockRow>('stock', stockKey(locationId, itemId))?.onHand ?? 0;
  const change = (locationId: string, itemId: string, delta: number): number => {
    const onHand = addQuantity(onHandOf(locationId, itemId), delta);
    store.put('stock', stockKey(locationId, itemId), { locationId, itemId, onHand });
    return onHand;
  };

  effectCollection<Movement>(app, store, {
    path: '/movements',
    coll: 'movements',
    noun: 'movement',
    prefix: 'MV',
    schema: movementSchema,
    kind: (m) => m.type,
    apply: (m) => {
      if (!store.get('locations', m.locationId)) throw refuse(`unknown location ${m.locationId}`);
      const delta = movementDelta(m.type, m.quantity, onHandOf(m.locationId, m.itemId));
      const onHand = change(m.locationId, m.itemId, delta);
      return { extra: { delta }, response: { onHand } };
    },
    reverse: (record) => {
      const delta = (record.extra as { delta: number }).delta;
      return { onHand: change(record.body.locationId, record.body.itemId, -delta) };
    },
  });

  const stockQuery = z.object({ locationId: nonEmpty.optional(), itemId: nonEmpty.optional() });
  app.get('/stock', async (req) => {
    const { locationId, itemId } = parseQuery(stockQuery, req.query);
    if (locationId !== undefined && itemId !== undefined) {
      return { data: [{ locationId, itemId, onHand: onHandOf(locationId, itemId) }] };
    }
    const data = store
      .all<StockRow>('stock')
      .filter((r) => (locationId === undefined || r.locationId === locationId) && (itemId === undefined || r.itemId === itemId));
    return { data };
  });

  // Test hook: teach the sim a location created in the ERP after it started.
  const locationBody = z.object({ id: nonEmpty, facilityId: nonEmpty.optional() });
  app.post('/_sim/locations', async (req, reply) => {
    const loc = parseBody(locationBody, req.body);
    store.transaction(() => store.put('locations', loc.id, loc));
    await store.durable();
    return reply.code(201).send(loc);
  });

  return app;
}

export async function startInventory(options: SimStartOptions & { network?: Network } = {}): Promise<SimHandle> {
  const store = new SimStore(options.stateFile);
  const app = createInventory({ seed: options.seed, store, network: options.network });
  return serve('inventory', app, store, options);
}
