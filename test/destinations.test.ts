// Every destination kind passes the one outbound conformance suite (test/support/destination-conformance.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fault, ledger, used } from './support/hub.ts';
import { destinationConformance } from './support/destination-conformance.ts';
import { natsPeer, tcpProxy, uniqueName } from './support/nats.ts';

destinationConformance('http-rest', (sims, p) => ({
  destination: 'inventory',
  tune: () => {},
  event: (key) => used(key, { item: p.implant.id, location: p.location.id, facility: p.facility }),
  received: async (d) => (await ledger(sims, 'inventory')).filter((e) => e.idempotencyKey === d.idempotencyKey).length,
  down: () => fault(sims, 'inventory', { errorRate: 1 }),
  up: () => fault(sims, 'inventory', { reset: true }),
}));

destinationConformance('hl7-mllp', (sims, p) => ({
  destination: 'billing',
  tune: (c, s) => Object.assign(c.destinations.find((d) => d.name === 'billing')!, { kind: 'mllp', url: s.urls.billingMllp, timeoutMs: 1000 }),
  event: (key) => used(key, { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: `ENC-${key}` }),
  received: async (d) => (await ledger(sims, 'billing')).filter((e) => e.idempotencyKey === d.idempotencyKey).length,
  down: () => fault(sims, 'billing', { errorRate: 1 }),
  up: () => fault(sims, 'billing', { reset: true }),
}));

// X12 850s to the supplier simulator over HTTP: a requisition for an item with a supplier becomes a purchase order.
// The supplier takes a PO number once (and an interchange, by sender and ISA13, once): its ledger holds one order.
destinationConformance('x12-850', (sims, p) => ({
  destination: 'medsupply',
  tune: (c, s) => c.destinations.push({
    name: 'medsupply', role: 'supplier', kind: 'x12', url: `${s.urls.supplier}/x12`, timeoutMs: 1000, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLY' },
  }),
  event: (key) => ({
    type: 'requisition.created', idempotencyKey: key, occurredAt: '2026-11-21T10:00:00-05:00', facility: p.facility, source: { system: 'conformance' },
    payload: { item: { system: 'erp', code: p.routine.id }, quantity: { value: 4, unit: 'EA' }, location: p.location.id, priority: 'routine', requisitionNumber: key },
  }),
  // The API's delivery carries its body: the purchase order whose number the supplier's ledger records.
  received: async (d) => {
    const poNumber = d.body.poNumber;
    return (await ledger(sims, 'supplier')).filter((e) => e.kind === 'order' && e.body.poNumber === poNumber).length;
  },
  down: () => fault(sims, 'supplier', { errorRate: 1 }),
  up: () => fault(sims, 'supplier', { reset: true }),
}));

// FHIR R4 ChargeItems to the billing simulator's FHIR door: a conditional create on the delivery's key books once.
destinationConformance('fhir-r4', (sims, p) => ({
  destination: 'billing',
  tune: (c, s) => Object.assign(c.destinations.find((d) => d.name === 'billing')!, { kind: 'fhir', url: `${s.urls.billing}/fhir`, timeoutMs: 1000 }),
  event: (key) => used(key, { item: p.implant.id, location: p.location.id, facility: p.facility, encounter: `ENC-${key}` }),
  received: async (d) => (await ledger(sims, 'billing')).filter((e) => e.idempotencyKey === d.idempotencyKey).length,
  down: () => fault(sims, 'billing', { errorRate: 1 }),
  up: () => fault(sims, 'billing', { reset: true }),
}));

// Signed webhooks to a receiver written here that does what the README asks of one: it checks the signature and
// keeps each Idempotency-Key once. Down, it answers 503.
destinationConformance('webhook', async (_sims, p) => {
  const secret = 'conformance-outbound-secret-0123456789abcdef';
  const kept = new Map<string, unknown>();
  let down = false;
  const receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c)).on('end', () => {
      if (down) return res.writeHead(503).end();
      const { t, v1 } = Object.fromEntries(String(req.headers['tendon-signature']).split(',').map((kv) => kv.split('=')));
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
      if (v1?.length !== expected.length || !timingSafeEqual(Buffer.from(v1), Buffer.from(expected))) return res.writeHead(401).end();
      const key = String(req.headers['idempotency-key']);
      if (!kept.has(key)) kept.set(key, JSON.parse(raw));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  return {
    destination: 'lake',
    tune: (c) => c.destinations.push({
      name: 'lake', role: 'analytics', kind: 'webhook', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`, timeoutMs: 1000, webhook: { secret },
    }),
    event: (key) => used(key, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null }),
    received: async (d) => (kept.has(d.idempotencyKey) ? 1 : 0),
    down: async () => void (down = true),
    up: async () => void (down = false),
    close: () => new Promise<void>((r) => receiver.close(() => r())),
  };
});

// CSV files for analytics in a folder: one file per event, written atomically. Down, the folder's path is taken
// by a plain file (a share that went away), so writes fail until the folder is back.
destinationConformance('csv-files', async (_sims, p) => {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-csv-out-'));
  return {
    destination: 'exports',
    tune: (c) => c.destinations.push({ name: 'exports', role: 'analytics', kind: 'csv', url: pathToFileURL(dir).href, timeoutMs: 1000 }),
    event: (key) => used(key, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null }),
    received: async (d) => (existsSync(join(dir, `${d.eventId}.csv`)) ? 1 : 0),
    down: async () => {
      renameSync(dir, `${dir}.away`);
      writeFileSync(dir, 'not a folder');
    },
    up: async () => {
      rmSync(dir);
      renameSync(`${dir}.away`, dir);
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

// NATS JetStream: a stream of this run's own on the real server, reached through a TCP proxy that "down" cuts. The
// effect is a message in the stream under the delivery's Nats-Msg-Id.
destinationConformance('nats-jetstream', async (_sims, p) => {
  const nats = await natsPeer();
  const proxy = tcpProxy(4222);
  await proxy.open();
  const stream = uniqueName('TENDON_DESTINATION');
  return {
    destination: 'event-stream',
    tune: (c) => c.destinations.push({
      name: 'event-stream', role: 'analytics', kind: 'nats', url: `nats://127.0.0.1:${proxy.port}`, timeoutMs: 1000,
      nats: { stream, subjectPrefix: stream.replace(/_/g, '-').toLowerCase() },
    }),
    event: (key) => used(key, { item: p.routine.id, location: p.location.id, facility: p.facility, lot: null, serial: null, encounter: null }),
    received: async (d) => (await nats.messages(stream)).filter((m) => m.header.get('Nats-Msg-Id') === d.idempotencyKey).length,
    down: () => proxy.cut(),
    up: () => proxy.restore(),
    close: async () => {
      await proxy.cut();
      await nats.jsm.streams.delete(stream).catch(() => {});
      await nats.close();
    },
  };
});
