// The ERP simulator: system of record for master data (served with incremental paging, editable so tests
// can fix bad data), the receiver of inventory transactions and requisitions (also as FHIR SupplyRequests), and
// procurement finance: PO numbers, budget commitments, AP postings and payments (purchasing-api.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { effectCollection, type EffectRecord, type EffectSpec } from '../common/effects.ts';
import { createSimApp, idempotentPost, parseBody, parseQuery } from '../common/http.ts';
import { notFound, refuse } from '../common/problem.ts';
import { seedOnce, serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { SimStore } from '../common/store.ts';
import { buildNetwork, DEFAULT_SEED } from '../network/build.ts';
import { ENTITY_NAMES, type EntityName, type Network } from '../network/types.ts';
import { erpFhirDoor } from './fhir.ts';
import { compareRecords, nextStamp, pageOf, pageQuery, type MasterRecord } from './master.ts';
import { DEFAULT_PAYMENT_DELAY_MS } from './purchasing.ts';
import { registerPurchasing } from './purchasing-api.ts';
import { checkInventoryTransaction, checkOpen, checkRequisition, type RequisitionStatus } from './rules.ts';
import {
  ENTITY_SCHEMAS,
  inventoryTransactionSchema,
  patchSchema,
  requisitionSchema,
  type InventoryTransaction,
  type Requisition,
} from './schemas.ts';

export type ErpOptions = {
  seed?: number;
  store?: SimStore;
  network?: Network;
  /** How long after its posting an AP invoice is paid (GET /api/payments); 30 s by default. */
  paymentDelayMs?: number;
};

type RequisitionExtra = { requisitionNumber: string; status: RequisitionStatus; fulfilledAt?: string; fulfilmentId?: string };

export function createErp(options: ErpOptions = {}): FastifyInstance {
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? new SimStore();
  seedOnce(store, seed, () => {
    const network = options.network ?? buildNetwork(seed);
    for (const entity of ENTITY_NAMES) {
      for (const record of network.master[entity]) store.put(entity, record.id, record);
    }
  });
  seedNewEntities(store, () => options.network ?? buildNetwork(seed));
  const app = createSimApp({ name: 'erp', store, seed });

  // Sorted views per entity, rebuilt lazily after a write: paging is then a binary search and a slice.
  const sorted = new Map<EntityName, MasterRecord[]>();
  const sortedOf = (entity: EntityName): MasterRecord[] => {
    let rows = sorted.get(entity);
    if (!rows) {
      rows = store.all<MasterRecord>(entity).sort(compareRecords);
      sorted.set(entity, rows);
    }
    return rows;
  };
  const write = (entity: EntityName, record: MasterRecord): void => {
    store.put(entity, record.id, record);
    sorted.delete(entity);
  };
  const entityOf = (name: string): EntityName => {
    if (!(ENTITY_NAMES as readonly string[]).includes(name)) {
      throw notFound(`unknown entity "${name}"; one of ${ENTITY_NAMES.join(', ')}`);
    }
    return name as EntityName;
  };
  const lookup = (entity: EntityName, id: string): unknown => store.get(entity, id);
  // Procurement changes budgets as an edit would: a new updatedAt, so the hub's incremental pull sees them.
  // One stamp per posting: its budgets change together, in one synchronous step no read can split.
  const saveBudgets = (budgets: MasterRecord[]): void => {
    if (budgets.length === 0) return;
    const updatedAt = nextStamp(sortedOf('budgets').at(-1)?.updatedAt);
    for (const budget of budgets) write('budgets', { ...budget, updatedAt });
  };

  // Before the generic /api/:entity routes (fastify prefers its static /api/payments anyway).
  registerPurchasing(app, store, { lookup, saveBudgets, paymentDelayMs: options.paymentDelayMs ?? DEFAULT_PAYMENT_DELAY_MS });

  app.get('/api/:entity', async (req) => {
    const entity = entityOf((req.params as { entity: string }).entity);
    return pageOf(sortedOf(entity), parseQuery(pageQuery, req.query));
  });

  app.get('/api/:entity/:id', async (req) => {
    const { entity: name, id } = req.params as { entity: string; id: string };
    const record = store.get<MasterRecord>(entityOf(name), id);
    if (!record) throw notFound(`no ${name} record ${id}`);
    return record;
  });

  idempotentPost(app, store, '/api/:entity', (req) => {
    const entity = entityOf((req.params as { entity: string }).entity);
    const fields = parseBody(ENTITY_SCHEMAS[entity], req.body) as { id: string };
    if (store.get(entity, fields.id)) throw refuse(`${entity} record ${fields.id} already exists`);
    const record: MasterRecord = { ...fields, updatedAt: nextStamp(sortedOf(entity).at(-1)?.updatedAt) };
    write(entity, record);
    return { body: record };
  });

  app.patch('/api/:entity/:id', async (req) => {
    const { entity: name, id } = req.params as { entity: string; id: string };
    const entity = entityOf(name);
    const current = store.get<MasterRecord>(entity, id);
    if (!current) throw notFound(`no ${entity} record ${id}`);
    const changes = parseBody(patchSchema(entity), req.body ?? {});
    const record: MasterRecord = { ...current, ...changes, id, updatedAt: nextStamp(sortedOf(entity).at(-1)?.updatedAt) };
    store.transaction(() => write(entity, record));
    await store.durable();
    return record;
  });

  effectCollection<InventoryTransaction>(app, store, {
    path: '/inventory-transactions',
    coll: 'inventory-transactions',
    noun: 'inventory transaction',
    prefix: 'IT',
    schema: inventoryTransactionSchema,
    kind: (tx) => tx.type,
    apply: (tx) => {
      checkInventoryTransaction(lookup, tx);
      return {};
    },
  });

  const requisitions: EffectSpec<Requisition> = {
    path: '/requisitions',
    coll: 'requisitions',
    noun: 'requisition',
    prefix: 'REQ',
    schema: requisitionSchema,
    kind: () => 'requisition',
    apply: (body) => {
      checkRequisition(lookup, body);
      const requisitionNumber = store.nextId('PR', 8);
      return { extra: { requisitionNumber, status: 'open' }, response: { requisitionNumber } };
    },
    reverse: (record) => {
      const extra = record.extra as RequisitionExtra;
      checkOpen(record.id, extra.status, 'cancel');
      record.extra = { ...extra, status: 'cancelled' };
      return { status: 'cancelled' };
    },
  };
  effectCollection(app, store, requisitions);
  erpFhirDoor(app, store, requisitions); // FHIR SupplyRequests at /fhir: the same checks and numbering

  const listQuery = z.object({ status: z.enum(['open', 'fulfilled', 'cancelled']).optional() });
  app.get('/requisitions', async (req) => {
    const { status } = parseQuery(listQuery, req.query);
    const data = store
      .all<EffectRecord<Requisition>>('requisitions')
      .filter((r) => status === undefined || (r.extra as RequisitionExtra).status === status)
      .map(requisitionView);
    return { data };
  });

  // The warehouse (played by the traffic generator) marks a requisition fulfilled once it has delivered.
  idempotentPost(app, store, '/requisitions/:id/fulfil', (req, idempotencyKey) => {
    const { id } = req.params as { id: string };
    const record = store.get<EffectRecord<Requisition>>('requisitions', id);
    if (!record) throw refuse(`unknown requisition ${id}`);
    const extra = record.extra as RequisitionExtra;
    checkOpen(id, extra.status, 'fulfil');
    const fulfilmentId = store.nextId('FUL');
    const entry = store.append({ id: fulfilmentId, kind: 'fulfilment', idempotencyKey, body: { requisitionId: id, ...(req.body as object) } });
    store.put('requisitions', id, { ...record, extra: { ...extra, status: 'fulfilled', fulfilledAt: entry.at, fulfilmentId } });
    return { body: { id: fulfilmentId, requisitionId: id, requisitionNumber: extra.requisitionNumber, status: 'fulfilled' } };
  });

  return app;
}

/**
 * A state file seeded before an entity existed (gl-accounts, budgets) has none of its records: seed that
 * entity alone, once. Entities that already have records keep their (possibly edited) data.
 */
function seedNewEntities(store: SimStore, network: () => Network): void {
  const empty = ENTITY_NAMES.filter((entity) => store.count(entity) === 0);
  if (empty.length === 0) return;
  const master = network().master;
  store.transaction(() => {
    for (const entity of empty) for (const record of master[entity]) store.put(entity, record.id, record);
  });
}

function requisitionView(r: EffectRecord<Requisition>): Record<string, unknown> {
  const extra = r.extra as RequisitionExtra;
  return {
    id: r.id,
    requisitionNumber: extra.requisitionNumber,
    status: extra.status,
    locationId: r.body.locationId,
    itemId: r.body.itemId,
    quantity: r.body.quantity,
    uom: r.body.uom,
    priority: r.body.priority,
    reference: r.body.reference,
    createdAt: r.at,
    fulfilledAt: extra.fulfilledAt ?? null,
  };
}

export async function startErp(options: SimStartOptions & { network?: Network; paymentDelayMs?: number } = {}): Promise<SimHandle> {
  const store = new SimStore(options.stateFile);
  const app = createErp({ seed: options.seed, store, network: options.network, paymentDelayMs: options.paymentDelayMs });
  return serve('erp', app, store, options);
}
