import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { post } from '../common/test-client.ts';
import { startErp } from '../erp/server.ts';
import { buildNetwork } from '../network/build.ts';
import type { CanonicalEvent } from './events.ts';
import { runTraffic } from './poster.ts';

/** A stand-in for the hub's public API: first drops connections, then answers 503, then takes batches. */
async function fakeHub(failures: { resets: number; unavailable: number }) {
  const accepted = new Map<string, CanonicalEvent>();
  const refusedBatches: string[][] = [];
  const acceptedBatches: string[][] = [];
  let requests = 0;
  const app = Fastify({ logger: false });
  app.post('/v1/events', async (req, reply) => {
    requests++;
    assert.equal(req.headers.authorization, 'Bearer secret');
    const events = req.body as CanonicalEvent[];
    const keys = events.map((e) => e.idempotencyKey);
    if (failures.resets > 0) {
      failures.resets--;
      refusedBatches.push(keys);
      req.raw.socket.destroy();
      return reply;
    }
    if (failures.unavailable > 0) {
      failures.unavailable--;
      refusedBatches.push(keys);
      return reply.code(503).header('retry-after', '0').send({ status: 503 });
    }
    acceptedBatches.push(keys);
    const results = events.map((e, i) => {
      const duplicate = accepted.has(e.idempotencyKey);
      accepted.set(e.idempotencyKey, e);
      return { id: `evt-${requests}-${i}`, correlationId: e.correlationId ?? null, duplicate };
    });
    return reply.code(202).send({ results });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, accepted, refusedBatches, acceptedBatches, close: () => app.close() };
}

test('a hub outage delays batches but loses none: the same batch is re-sent with the same keys', async () => {
  const network = buildNetwork(4);
  const hub = await fakeHub({ resets: 2, unavailable: 2 });
  try {
    const stats = await runTraffic({
      hubUrl: hub.url, token: 'secret', seed: 4, network, rate: 400, count: 120, batchMax: 200, log: () => {},
    });
    const counts = network.master['par-levels'].length;
    assert.ok(stats.posted >= counts + 120, `posted ${stats.posted}`);
    assert.equal(hub.accepted.size, stats.posted);
    assert.equal(stats.retries, 4);
    // The first accepted batch is exactly the one that was refused four times.
    for (const refused of hub.refusedBatches) assert.deepEqual(refused, hub.acceptedBatches[0]);
    const countEvents = [...hub.accepted.values()].filter((e) => e.type === 'stock.counted');
    assert.equal(countEvents.length, counts);
  } finally {
    await hub.close();
  }
});

test('the warehouse turns open requisitions into stock.received and fulfils them', async () => {
  const network = buildNetwork(6);
  const hub = await fakeHub({ resets: 0, unavailable: 0 });
  const erp = await startErp({ seed: 6, network });
  try {
    const req = await post(
      erp.url,
      '/requisitions',
      { locationId: 'LOC-A-CATH1', itemId: 'ITM-00050', quantity: 3, uom: 'EA', priority: 'routine', reference: { eventId: 'e' } },
      'req-w',
    );
    assert.equal(req.status, 201);
    const stats = await runTraffic({
      hubUrl: hub.url, token: 'secret', erpUrl: erp.url, seed: 6, network, rate: 200, durationMs: 400, pollMs: 50,
      skipCounts: true, log: () => {},
    });
    assert.equal(stats.receipts, 1);
    const receipt = hub.accepted.get(`scanner:receipt:${req.body.requisitionNumber}`);
    assert.ok(receipt);
    assert.equal(receipt.type, 'stock.received');
    assert.deepEqual(receipt.payload.quantity, { value: 3, unit: 'EA' });
    const fulfilled = (await fetch(`${erp.url}/requisitions?status=fulfilled`).then((r) => r.json())) as { data: { id: string }[] };
    assert.equal(fulfilled.data[0]?.id, req.body.id);
  } finally {
    await erp.close();
    await hub.close();
  }
});
