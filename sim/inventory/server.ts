// The inventory system simulator: owns stock on hand per (location, item). It starts every par-level row
// at its par, takes movements (decrement, increment, adjust, count) and reverses them exactly.
// Any item code is tracked, but it knows its locations; it keeps the copies of items, locations and suppliers the hub
// sends (catalog.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { effectCollection } from '../common/effects.ts';
import { createSimApp, idempotentWrite, parseBody, parseQuery } from '../common/http.ts';
import { badRequest, notFound, refuse } from '../common/problem.ts';
import { seedOnce, serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { nonEmpty } from '../common/schemas.ts';
import { SimStore } from '../common/store.ts';
import { buildNetwork, DEFAULT_SEED } from '../network/build.ts';
import type { Network } from '../network/types.ts';
import { itemUpdateSchema, locationUpdateSchema, supplierUpdateSchema } from './catalog.ts';
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

  // Master-data updates from the hub (items, locations, suppliers): 201 when the record is new, 200 when it
  // replaced one; one ledger entry each, kind item / location / supplier.
  const keepCopies = (noun: 'item' | 'location' | 'supplier', coll: string, schema: z.ZodType) => {
    idempotentWrite(app, store, 'PUT', `/${coll}/:id`, (req, idempotencyKey) => {
      const { id } = req.params as { id: string };
      parseBody(schema, req.body);
      // Kept as received (validated, not the parsed copy), like every other effect's body.
      const body = req.body as Record<string, { id: string }>;
      if (body[noun]!.id !== id) {
        const message = `${noun}.id "${body[noun]!.id}" is not the ${noun} of the path (${id})`;
        throw badRequest(message, { issues: [{ path: `${noun}.id`, message }] });
      }
      const created = store.get(coll, id) === undefined;
      const effectId = store.nextId(noun === 'item' ? 'IU' : noun === 'location' ? 'LU' : 'SU');
      store.append({ id: effectId, kind: noun, idempotencyKey, body });
      store.put(coll, id, body[noun]);
      return { status: created ? 201 : 200, body: { id: effectId, [`${noun}Id`]: id, created } };
    });
    app.get(`/${coll}`, async () => ({ data: store.all<{ id: string }>(coll).sort((a, b) => (a.id < b.id ? -1 : 1)) }));
    app.get(`/${coll}/:id`, async (req) => {
      const { id } = req.params as { id: string };
      const record = store.get(coll, id);
      if (!record) throw notFound(`no ${noun} ${id} in the inventory system`);
      return record;
    });
  };
  keepCopies('item', 'items', itemUpdateSchema);
  keepCopies('location', 'locations', locationUpdateSchema);
  keepCopies('supplier', 'suppliers', supplierUpdateSchema);

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
