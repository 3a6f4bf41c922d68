// The Store conformance suite: every Store implementation must pass it unchanged. Each implementation's test
// file calls `storeConformance` with a factory that opens a fresh, empty store (and can reopen the same data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../core/ids.ts';
import type { BusinessException, Message, StoredEvent } from '../core/types.ts';
import type { NewDelivery, Store } from './store.ts';

export interface StoreFactory {
  /** A fresh empty store; `reopen` opens the same data again after `close` (a restart). */
  open(): Promise<{ store: Store; reopen: () => Promise<Store> }>;
}

const at = '2026-11-21T10:00:00.000Z';
export const sampleMessage = (over: Partial<Message> = {}): Message => ({
  id: newId(), channel: 'http:/v1/events', sourceSystem: 'ehr', sourceId: null, contentType: 'application/json',
  receivedAt: at, raw: new Uint8Array([1, 2, 3]), error: null, ...over,
});
export const sampleEvent = (messageId: string, over: Partial<StoredEvent> = {}): StoredEvent => ({
  id: newId(), type: 'supply.used', schemaVersion: 1, messageId, sourceSystem: 'ehr', idempotencyKey: newId(),
  correlationId: 'CASE-1', causationId: null, partitionKey: 'FAC-A|ITM-1', priority: 1, facility: 'FAC-A',
  occurredAt: at, recordedAt: at, revision: 1, revisionOf: null, status: 'accepted', payload: { n: 1 }, ...over,
});
export const sampleDelivery = (e: StoredEvent, destination: string, over: Partial<NewDelivery> = {}): NewDelivery => {
  const id = newId();
  return {
    id, eventId: e.id, correlationId: e.correlationId, destination, action: 'inventory.issue', partitionKey: e.partitionKey,
    priority: e.priority, idempotencyKey: `tdn-${id}`, status: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: at,
    updatedAt: at, body: { q: 1 }, reverses: null, remoteRef: null, lastError: null, ...over,
  };
};
const sampleException = (e: StoredEvent): BusinessException => ({
  id: newId(), category: 'unmapped_item', status: 'open', ownerRole: 'item-master', facility: e.facility, eventId: e.id,
  deliveryId: null, correlationId: e.correlationId, detail: { code: 'X' }, createdAt: at, resolvedAt: null,
  resolvedBy: null, resolution: null,
});

export function storeConformance(name: string, factory: StoreFactory): void {
  const withStore = (title: string, body: (store: Store, reopen: () => Promise<Store>) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const { store, reopen } = await factory.open();
      try {
        await body(store, reopen);
      } finally {
        await store.close().catch(() => {});
      }
    });

  withStore('migrations are applied once and are safe to run again', async (store) => {
    const before = await store.migrationsApplied();
    assert.ok(before.includes(1));
    assert.deepEqual(await store.migrate(), []);
    assert.deepEqual(await store.migrationsApplied(), before);
  });

  withStore('a message, its events, deliveries and exceptions commit together', async (store) => {
    const m = sampleMessage();
    const e = sampleEvent(m.id);
    const held = sampleEvent(m.id, { status: 'held' });
    const x = sampleException(held);
    await store.write(async (tx) => {
      await tx.insertMessage(m);
      assert.equal(await tx.insertEvent(e), true);
      assert.equal(await tx.insertEvent(held), true);
      await tx.insertDeliveries([sampleDelivery(e, 'erp'), sampleDelivery(e, 'billing')]);
      await tx.insertException(x);
    });
    assert.deepEqual((await store.getMessage(m.id))?.raw, m.raw);
    assert.equal((await store.eventsOfMessage(m.id)).length, 2);
    assert.deepEqual((await store.deliveriesOfEvent(e.id)).map((d) => d.destination), ['erp', 'billing']);
    assert.equal((await store.listExceptions({ status: 'open', category: 'unmapped_item' }))[0]?.eventId, held.id);
  });

  withStore('a job that throws leaves nothing behind, and jobs beside it in the same commit still land', async (store) => {
    const good = sampleMessage();
    const bad = sampleMessage();
    const results = await Promise.allSettled([
      store.write(async (tx) => tx.insertMessage(good)),
      store.write(async (tx) => {
        await tx.insertMessage(bad);
        throw new Error('mapping failed');
      }),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.ok(await store.getMessage(good.id));
    assert.equal(await store.getMessage(bad.id), null);
  });

  withStore('a refused message is kept with its error and listed', async (store) => {
    const refused = sampleMessage({ error: 'AR 200: unsupported message type ADT^A01' });
    await store.write(async (tx) => {
      await tx.insertMessage(sampleMessage());
      await tx.insertMessage(refused);
    });
    assert.deepEqual((await store.refusedMessages(10)).map((m) => [m.id, m.error]), [[refused.id, refused.error]]);
    assert.deepEqual((await store.getMessage(refused.id))?.raw, refused.raw, 'the raw input is kept for inspection');
  });

  withStore('a duplicate idempotency key is recognised and the first event is kept', async (store) => {
    const m = sampleMessage();
    const first = sampleEvent(m.id, { idempotencyKey: 'ehr:CASE-1:1' });
    const again = sampleEvent(m.id, { idempotencyKey: 'ehr:CASE-1:1' });
    const otherSource = sampleEvent(m.id, { idempotencyKey: 'ehr:CASE-1:1', sourceSystem: 'cabinet' });
    await store.write(async (tx) => {
      await tx.insertMessage(m);
      assert.equal(await tx.insertEvent(first), true);
      assert.equal(await tx.insertEvent(again), false);
      assert.equal(await tx.insertEvent(otherSource), true);
      assert.equal((await tx.findEventByKey('ehr', 'ehr:CASE-1:1'))?.id, first.id);
    });
    assert.equal(await store.getEvent(again.id), null);
  });

  withStore('group commit: hundreds of concurrent writes all land, each atomically', async (store) => {
    const ms = Array.from({ length: 300 }, () => sampleMessage());
    await Promise.all(ms.map((m) => store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(sampleEvent(m.id));
    })));
    for (const m of ms) assert.equal((await store.eventsOfMessage(m.id)).length, 1);
  });

  withStore('unfinished deliveries are read a page at a time: one destination, after a sequence number, at most a limit', async (store) => {
    const m = sampleMessage();
    const e = sampleEvent(m.id);
    const made = await store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(e);
      return tx.insertDeliveries(['erp', 'billing', 'erp', 'erp', 'billing', 'erp'].map((d) => sampleDelivery(e, d)));
    });
    const erp = made.filter((d) => d.destination === 'erp');
    const first = await store.unfinishedDeliveries('erp', 0, 2);
    assert.deepEqual(first.map((d) => d.id), erp.slice(0, 2).map((d) => d.id));
    const rest = await store.unfinishedDeliveries('erp', first.at(-1)!.seq, 2);
    assert.deepEqual(rest.map((d) => d.id), erp.slice(2).map((d) => d.id));
    assert.deepEqual(await store.unfinishedDeliveries('erp', rest.at(-1)!.seq, 2), []);
  });

  withStore('an interchange\'s control number finds the delivery that sent it, per destination; a reused number finds the newer one', async (store) => {
    const m = sampleMessage();
    const e = sampleEvent(m.id);
    const [a, b, c] = await store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(e);
      const made = await tx.insertDeliveries([sampleDelivery(e, 'supplier-a'), sampleDelivery(e, 'supplier-b'), sampleDelivery(e, 'supplier-a')]);
      await tx.linkInterchange('supplier-a', 7, made[0]!.id);
      await tx.linkInterchange('supplier-b', 7, made[1]!.id);
      return made;
    });
    assert.equal((await store.deliveryByInterchange('supplier-a', 7))?.id, a!.id);
    assert.equal((await store.deliveryByInterchange('supplier-b', 7))?.id, b!.id);
    assert.equal(await store.deliveryByInterchange('supplier-a', 8), null);
    assert.equal(await store.deliveryByInterchange('erp', 7), null);
    await store.write((tx) => tx.linkInterchange('supplier-a', 7, c!.id)); // the counter went round
    assert.equal((await store.deliveryByInterchange('supplier-a', 7))?.id, c!.id);
  });

  withStore('delivery outcomes and attempts are recorded; unfinished deliveries come back in commit order', async (store) => {
    const m = sampleMessage();
    const e = sampleEvent(m.id);
    const [a, b, c] = await store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(e);
      return tx.insertDeliveries([sampleDelivery(e, 'erp'), sampleDelivery(e, 'inventory'), sampleDelivery(e, 'billing')]);
    });
    assert.ok(a && b && c && a.seq < b.seq && b.seq < c.seq);
    await store.write(async (tx) => tx.recordOutcomes([
      { deliveryId: a.id, status: 'delivered', attempts: 1, nextAttemptAt: 0, remoteRef: 'IT-1', lastError: null,
        attempt: { deliveryId: a.id, at, outcome: 'success', statusCode: 201, latencyMs: 3.5, error: null } },
      { deliveryId: c.id, status: 'retrying', attempts: 1, nextAttemptAt: 1234, lastError: 'HTTP 503',
        attempt: { deliveryId: c.id, at, outcome: 'retryable', statusCode: 503, latencyMs: 1, error: 'HTTP 503' } },
    ]));
    assert.deepEqual((await store.unfinishedDeliveries('inventory', 0, 10)).map((d) => d.id), [b.id]);
    assert.deepEqual((await store.unfinishedDeliveries('billing', 0, 10)).map((d) => d.id), [c.id]);
    assert.deepEqual(await store.unfinishedDeliveries('erp', 0, 10), [], 'a delivered one is final');
    const got = await store.getDelivery(a.id);
    assert.equal(got?.status, 'delivered');
    assert.equal(got?.remoteRef, 'IT-1');
    assert.equal((await store.getDelivery(c.id))?.nextAttemptAt, 1234);
    assert.deepEqual((await store.attemptsOf(c.id)).map((x) => [x.outcome, x.statusCode]), [['retryable', 503]]);
    assert.deepEqual((await store.listDeliveries({ status: ['delivered'] })).map((d) => d.id), [a.id]);
    assert.deepEqual((await store.listDeliveries({ destination: 'billing', eventType: 'supply.used' })).map((d) => d.id), [c.id]);
    assert.deepEqual((await store.listDeliveries({ eventType: 'stock.counted' })), []);
  });

  withStore('trace returns the lineage of a correlation id', async (store) => {
    const m = sampleMessage();
    const e = sampleEvent(m.id, { correlationId: 'CASE-42' });
    const [d] = await store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(e);
      await tx.insertException(sampleException(e));
      return tx.insertDeliveries([sampleDelivery(e, 'erp')]);
    });
    await store.write(async (tx) => tx.recordOutcomes([{ deliveryId: d!.id, status: 'delivered', attempts: 1, nextAttemptAt: 0,
      lastError: null, attempt: { deliveryId: d!.id, at, outcome: 'success', statusCode: 201, latencyMs: 2, error: null } }]));
    const t = await store.trace('CASE-42');
    assert.equal(t.messages[0]?.id, m.id);
    assert.ok(!('raw' in (t.messages[0] ?? {})), 'a trace never carries the raw (possibly PHI) bytes');
    assert.equal(t.events[0]?.id, e.id);
    assert.equal(t.deliveries[0]?.attemptLog.length, 1);
    assert.equal(t.exceptions.length, 1);
  });

  withStore('stock is tracked from the first count; movements before it are not guessed', async (store) => {
    await store.write(async (tx) => {
      assert.equal(await tx.applyStock({ eventId: 'e0', location: 'L', itemId: 'I', delta: -1, at }), null);
      assert.equal(await tx.applyStock({ eventId: 'e1', location: 'L', itemId: 'I', set: 10, at }), 10);
      assert.equal(await tx.applyStock({ eventId: 'e2', location: 'L', itemId: 'I', delta: -3, at }), 7);
      assert.deepEqual(await tx.stockMovesOf('e2'), [{ eventId: 'e2', location: 'L', itemId: 'I', delta: -3, at }]);
    });
    assert.equal(await store.stockOf('L', 'I'), 7);
    assert.equal(await store.stockOf('L', 'other'), null);
  });

  withStore('one open requisition per location and item', async (store) => {
    await store.write(async (tx) => {
      assert.equal(await tx.openRequisition({ location: 'L', itemId: 'I', eventId: 'e1', openedAt: at }), true);
      assert.equal(await tx.openRequisition({ location: 'L', itemId: 'I', eventId: 'e2', openedAt: at }), false);
    });
    assert.equal((await store.openRequisitionOf('L', 'I'))?.eventId, 'e1');
    await store.write(async (tx) => assert.equal(await tx.closeRequisition('L', 'I'), true));
    assert.equal(await store.openRequisitionOf('L', 'I'), null);
  });

  withStore('PHI originals are sealed once per token', async (store) => {
    await store.write(async (tx) => {
      await tx.sealPhi('pt_x', new Uint8Array([9]));
      await tx.sealPhi('pt_x', new Uint8Array([8]));
    });
    assert.deepEqual([...(await store.unsealPhi('pt_x'))!], [9]);
    assert.equal(await store.unsealPhi('pt_missing'), null);
  });

  withStore('actors, tokens, master data, cross-references, paused destinations and audit', async (store) => {
    await store.write(async (tx) => {
      await tx.createActor({ id: 'a1', name: 'ops', role: 'operator' }, 'hash1', at);
      await tx.upsertMasterRecords('items', [{ id: 'ITM-1', updatedAt: at, data: { id: 'ITM-1', v: 1 } }]);
      await tx.upsertMasterRecords('items', [{ id: 'ITM-1', updatedAt: at, data: { id: 'ITM-1', v: 2 } }]);
      await tx.setSyncCursor('items', at);
      await tx.putXref('ehr', 'SUP-9', 'ITM-1', 'ops', at);
      await tx.putXref('ehr', 'SUP-9', 'ITM-2', 'ops', at);
      await tx.setDestinationPaused('erp', true);
      await tx.audit({ actor: 'ops', action: 'xref.put', target: 'ehr/SUP-9', detail: { itemId: 'ITM-2' } }, at);
    });
    assert.deepEqual(await store.actorByTokenHash('hash1'), { id: 'a1', name: 'ops', role: 'operator' });
    assert.equal(await store.actorByTokenHash('nope'), null);
    assert.deepEqual(await store.masterRecords('items'), [{ id: 'ITM-1', v: 2 }]);
    assert.equal(await store.syncCursor('items'), at);
    assert.deepEqual(await store.xrefs(), [{ system: 'ehr', code: 'SUP-9', itemId: 'ITM-2' }]);
    assert.deepEqual(await store.pausedDestinations(), ['erp']);
    assert.equal((await store.auditLog(10))[0]?.action, 'xref.put');
  });

  withStore('named sequences count from 1 each, never give a committed number twice, and go on after a restart', async (store, reopen) => {
    const take = (name: string) => store.write((tx) => tx.nextSequence(name));
    assert.deepEqual([await take('x12:isa:acme'), await take('x12:isa:acme'), await take('x12:isa:other'), await take('x12:isa:acme')], [1, 2, 1, 3]);
    // A job that fails gives its number back: nothing that carried it was committed.
    await assert.rejects(store.write(async (tx) => {
      await tx.nextSequence('x12:isa:acme');
      throw new Error('the delivery could not be planned');
    }));
    // Jobs that share one commit each get their own number.
    const shared = await Promise.all(Array.from({ length: 50 }, () => take('x12:isa:acme')));
    assert.deepEqual(shared.toSorted((a, b) => a - b), Array.from({ length: 50 }, (_, i) => 4 + i));
    await store.close();
    const again = await reopen();
    try {
      assert.equal(await again.write((tx) => tx.nextSequence('x12:isa:acme')), 54);
    } finally {
      await again.close();
    }
  });

  withStore('what was committed survives a restart', async (store, reopen) => {
    const m = sampleMessage();
    const e = sampleEvent(m.id);
    await store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(e);
      await tx.insertDeliveries([sampleDelivery(e, 'erp')]);
    });
    await store.close();
    const again = await reopen();
    try {
      assert.equal((await again.getEvent(e.id))?.idempotencyKey, e.idempotencyKey);
      assert.equal((await again.unfinishedDeliveries('erp', 0, 10)).length, 1);
    } finally {
      await again.close();
    }
  });

  withStore('actors: API tokens do not expire, sessions do and end on sign-out; users are found by name', async (store) => {
    const now = Date.parse(at);
    await store.write(async (tx) => {
      await tx.createActor({ id: 'ana', name: 'ana', role: 'operator' }, 'hash-api', at);
      await tx.setUser('ana', 'ana', 'scrypt$stored', at);
      await tx.createSession('hash-session', 'ana', now + 60_000);
      await tx.createSession('hash-stale', 'ana', now - 1);
    });
    const ana = { id: 'ana', name: 'ana', role: 'operator' };
    assert.deepEqual(await store.actorByTokenHash('hash-api', now + 1e12), ana);
    assert.deepEqual(await store.actorByTokenHash('hash-session', now), ana);
    assert.equal(await store.actorByTokenHash('hash-session', now + 60_000), null, 'expired');
    assert.equal(await store.actorByTokenHash('hash-stale', now), null);
    assert.deepEqual(await store.userByName('ana'), { actor: ana, passwordHash: 'scrypt$stored' });
    assert.equal(await store.userByName('bob'), null);
    await assert.rejects(store.write((tx) => tx.createActor({ id: 'ana', name: 'ana', role: 'admin' }, 'hash-2', at)), /exists with role operator/);
    await store.write((tx) => tx.endSession('hash-session', now));
    assert.equal(await store.actorByTokenHash('hash-session', now), null, 'signed out');
    assert.deepEqual(await store.actorByTokenHash('hash-api', now), ana, 'sign-out never ends an API token');
  });

  withStore('stock at or below a level, smallest first, and the open requisitions', async (store) => {
    await store.write(async (tx) => {
      for (const [location, set] of [['L1', 0], ['L2', 5], ['L3', 50]] as const) await tx.applyStock({ eventId: newId(), location, itemId: 'ITM-1', set, at });
      await tx.openRequisition({ location: 'L1', itemId: 'ITM-1', eventId: newId(), openedAt: at });
    });
    assert.deepEqual((await store.lowStock(10, 10)).map((s) => [s.location, s.onHand]), [['L1', 0], ['L2', 5]]);
    assert.deepEqual((await store.lowStock(10, 1)).map((s) => s.location), ['L1']);
    assert.deepEqual((await store.openRequisitions()).map((r) => r.location), ['L1']);
  });
}
