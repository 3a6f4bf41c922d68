// The X12 outbound on its own, with hand-made deliveries: an 850 over real HTTP (answers classified as REST's are,
// and a synchronous 997 read), into a real folder (atomic, one file per interchange however often it is retried),
// the cancelling 850 for a reversal, and control numbers taken in the store transaction that creates a delivery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { X12Parser, type X12Interchange } from 'node-x12';
import { EncodeError } from '../../codecs/rest/index.ts';
import type { PurchaseOrder } from '../../codecs/x12/index.ts';
import { DestinationConfig } from '../../config/schema.ts';
import type { Delivery } from '../../core/types.ts';
import { sampleDelivery, sampleEvent, sampleMessage } from '../../store/conformance.ts';
import { openSqliteStore } from '../../store/sqlite/store.ts';
import { createX12Outbound, PURCHASE_ORDER_ACTION, x12Controls } from './x12.ts';

const ORDER: PurchaseOrder = {
  poNumber: 'PO-2026-000555', orderDate: '2026-11-21', supplierId: 'SUP-0007', facility: 'FAC-A', shipTo: { facility: 'FAC-A', location: 'LOC-A-OR1' },
  priority: 'urgent', currency: 'USD',
  lines: [{ line: '1', itemId: 'ITM-00042', vendorItem: 'ZB-TIB-4', gtin: '00884521567897', description: 'Tibial tray size 4', quantity: 2, uom: 'EA', unitPrice: '1310.00' }],
};

const destination = (url: string) => DestinationConfig.parse({
  name: 'medsupply', role: 'supplier', kind: 'x12', url, timeoutMs: 500, x12: { senderId: 'TENDONHOSP', receiverId: 'MEDSUPPLYCO' },
});

function delivery(over: Partial<Delivery> = {}): Delivery {
  return {
    id: 'd-1', seq: 1, eventId: 'e-1', correlationId: ORDER.poNumber, destination: 'medsupply', action: PURCHASE_ORDER_ACTION, partitionKey: 'p',
    priority: 1, idempotencyKey: 'tdn-d-1', status: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: '2026-11-21T15:04:05.000Z',
    updatedAt: '2026-11-21T15:04:05.000Z', body: { ...ORDER, x12: { isa13: 42, gs06: 42, st02: 1 } }, reverses: null, remoteRef: null, lastError: null,
    ...over,
  };
}
const ctx = { revealed: new Map<string, string>() };

/** A supplier's HTTP endpoint: records what it gets and answers with the next scripted answer (or never). */
async function supplier(answers: ({ status: number; body?: string } | 'hang')[]) {
  const got: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('latin1')));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const answer = answers.shift() ?? { status: 200 };
      if (answer !== 'hang') res.writeHead(answer.status, { 'content-type': 'application/edi-x12' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/edi/inbound`, got, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const parse = (text: string) => new X12Parser(true).parse(text) as X12Interchange;

test('over HTTP: the 850 is POSTed as application/edi-x12 under the delivery\'s ISA13; a retry sends the same bytes', async () => {
  const s = await supplier([{ status: 503 }, { status: 200 }]);
  const outbound = createX12Outbound(destination(s.url));
  try {
    const first = await outbound.deliver(delivery(), ctx);
    assert.equal(first.outcome, 'retryable');
    const second = await outbound.deliver(delivery({ attempts: 1 }), ctx);
    assert.deepEqual([second.outcome, second.remoteRef, second.status], ['success', '000000042', 200]);
    assert.equal(s.got.length, 2);
    assert.equal(s.got[0]!.body, s.got[1]!.body, 'a retry is the same interchange, byte for byte');
    assert.equal(s.got[1]!.headers['content-type'], 'application/edi-x12');
    assert.equal(s.got[1]!.headers['idempotency-key'], 'tdn-d-1');
    const interchange = parse(s.got[1]!.body);
    assert.equal(interchange.header.valueOf(13), '42');
    assert.deepEqual([interchange.header.valueOf(6)?.trim(), interchange.header.valueOf(8)?.trim(), interchange.header.valueOf(9), interchange.header.valueOf(10)],
      ['TENDONHOSP', 'MEDSUPPLYCO', '261121', '1504'], 'the interchange time is the delivery\'s creation time');
    const beg = interchange.functionalGroups[0]!.transactions[0]!.segments[0]!;
    assert.deepEqual(beg.elements.map((e) => e.value), ['00', 'RO', 'PO-2026-000555', '', '20261121']);
  } finally {
    await outbound.close();
    await s.close();
  }
});

test('over HTTP: 422 is a rejection, a timeout a retry, and a 200 whose 997 rejects the 850 a rejection with its reasons', async () => {
  const rejecting997 = [
    'ISA*00*          *00*          *ZZ*MEDSUPPLYCO    *ZZ*TENDONHOSP     *261121*1505*U*00401*000000901*0*P*>',
    'GS*FA*MEDSUPPLYCO*TENDONHOSP*20261121*1505*901*X*004010', 'ST*997*0001', 'AK1*PO*42', 'AK2*850*0001', 'AK3*PO1*7**8', 'AK4*7**7*BP',
    'AK5*R*5', 'AK9*R*1*1*0', 'SE*8*0001', 'GE*1*901', 'IEA*1*000000901',
  ].join('~') + '~';
  const s = await supplier([{ status: 422, body: 'unknown ship-to' }, 'hang', { status: 200, body: rejecting997 }]);
  const outbound = createX12Outbound(destination(s.url));
  try {
    const refused = await outbound.deliver(delivery(), ctx);
    assert.deepEqual([refused.outcome, refused.reason], ['rejected', 'HTTP 422: unknown ship-to']);
    assert.equal((await outbound.deliver(delivery(), ctx)).outcome, 'retryable');
    const acked = await outbound.deliver(delivery(), ctx);
    assert.equal(acked.outcome, 'rejected');
    assert.match(acked.reason!, /997 rejected; segment PO1 at position 7: Segment has data element errors; element 7: Invalid code value \("BP"\)/);
  } finally {
    await outbound.close();
    await s.close();
  }
});

test('into a folder: <poNumber>-<ISA13>.edi written atomically; a retry replaces it, never a second file', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'tendon-x12-out-')), 'outbox');
  const outbound = createX12Outbound(destination(pathToFileURL(dir).href));
  const first = await outbound.deliver(delivery(), ctx);
  const again = await outbound.deliver(delivery({ attempts: 1 }), ctx);
  assert.deepEqual([first.outcome, first.remoteRef, again.outcome], ['success', '000000042', 'success']);
  assert.deepEqual(readdirSync(dir), ['PO-2026-000555-000000042.edi'], 'no temp file left, no second file');
  assert.equal(parse(readFileSync(join(dir, 'PO-2026-000555-000000042.edi'), 'latin1')).header.valueOf(13), '42');
});

test('a reversal of a purchase-order.send is the cancelling 850 (BEG01 01) under its own control numbers; anything else is an EncodeError', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-x12-out-'));
  const outbound = createX12Outbound(destination(pathToFileURL(dir).href));
  const original = delivery();
  const reversal = delivery({ id: 'd-2', action: 'reverse', reverses: 'd-1', body: { reverses: 'd-1', action: PURCHASE_ORDER_ACTION, x12: { isa13: 43, gs06: 43, st02: 1 } } });
  const sent = await outbound.deliver(reversal, { ...ctx, reversed: { action: PURCHASE_ORDER_ACTION, remoteRef: '000000042', body: original.body } });
  assert.equal(sent.outcome, 'success');
  const cancel = parse(readFileSync(join(dir, 'PO-2026-000555-000000043.edi'), 'latin1'));
  assert.deepEqual(cancel.functionalGroups[0]!.transactions[0]!.segments[0]!.elements.map((e) => e.value).slice(0, 3), ['01', 'RO', 'PO-2026-000555']);
  await assert.rejects(outbound.deliver({ ...reversal, body: { reverses: 'd-1' } }, { ...ctx, reversed: { action: PURCHASE_ORDER_ACTION, remoteRef: 'x', body: original.body } }),
    EncodeError, 'a reversal without control numbers of its own');
  await assert.rejects(outbound.deliver(delivery({ action: 'inventory.issue' }), ctx), EncodeError);
  await assert.rejects(outbound.deliver(delivery({ body: { ...ORDER } }), ctx), EncodeError, 'no body.x12');
});

test('x12Controls takes one number per delivery to an x12 destination, from that destination\'s sequence, in the transaction', async () => {
  const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'tendon-x12-seq-')), 'tendon.db') });
  try {
    const destinations = [destination('http://127.0.0.1:1/'), DestinationConfig.parse({ name: 'erp', role: 'erp', url: 'http://127.0.0.1:2/' })];
    const m = sampleMessage();
    const e = sampleEvent(m.id);
    const bodies = await store.write(async (tx) => {
      await tx.insertMessage(m);
      await tx.insertEvent(e);
      const planned = [sampleDelivery(e, 'medsupply'), sampleDelivery(e, 'erp'), sampleDelivery(e, 'medsupply')];
      return (await tx.insertDeliveries(await x12Controls(destinations)(tx, planned))).map((d) => d.body.x12 ?? null);
    });
    assert.deepEqual(bodies, [{ isa13: 1, gs06: 1, st02: 1 }, null, { isa13: 2, gs06: 2, st02: 1 }]);
    assert.deepEqual((await store.deliveriesOfEvent(e.id)).map((d) => d.body.x12 ?? null), bodies, 'stored with the delivery');
  } finally {
    await store.close();
  }
});
