// The search index on SQLite: migration 005 backfills a store that was written before it existed, by the same rules
// as the pure searchKeysOf / messageSearchKeys the pipeline uses; searchTrace answers each kind, newest first, whatever
// the case the operator typed, with the times, event types and facility of each trace.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message, StoredEvent } from '../../core/types.ts';
import { HL7_V2_CONTENT_TYPE, messageSearchKeys, type SearchKeyRow } from '../../model/search-keys.ts';
import { sampleEvent, sampleMessage } from '../conformance.ts';
import { openSqliteStore } from './store.ts';

const TOKEN = 'pt_Q2xlYXJseU5vdEFuTVJOMTIzNDU2';
const folders: string[] = [];
const newPath = () => {
  folders.push(mkdtempSync(join(tmpdir(), 'tendon-search-')));
  return join(folders.at(-1)!, 'tendon.db');
};
after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));
const time = (minute: number) => `2026-11-21T10:${String(minute).padStart(2, '0')}:00.${String(minute * 7).padStart(3, '0')}Z`;

/** Traffic of several channels as an older hub stored it: an HL7 case with two uses and a return, supplier documents, master data. */
function traffic(): { message: Message; events: StoredEvent[] }[] {
  const batch = (message: Partial<Message>, ...events: Partial<StoredEvent>[]) => {
    const m = sampleMessage(message);
    return { message: m, events: events.map((e) => sampleEvent(m.id, { idempotencyKey: `${m.id}:${e.type}:${JSON.stringify(e.payload)}`, ...e })) };
  };
  const use = (lot: string, serial: string) => ({
    item: { system: 'erp', code: 'ITM-00042' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-A-OR1', lot, serial, patient: { token: TOKEN },
    encounter: 'ENC-1', caseId: 'CASE-1',
  });
  return [
    batch({ contentType: HL7_V2_CONTENT_TYPE, sourceId: 'MSG-0001', receivedAt: time(1) },
      { type: 'supply.used', correlationId: 'CASE-1', recordedAt: time(1), payload: use('LOT-A', 'SN-1') },
      { type: 'supply.used', correlationId: 'CASE-1', recordedAt: time(1), payload: use('LOT-A', 'SN-2') }),
    batch({ contentType: 'application/edi-x12', sourceId: '000000123', receivedAt: time(2) },
      { type: 'shipment.noticed', correlationId: 'PO-1', recordedAt: time(2), facility: 'FAC-B', payload: {
        shipmentId: 'SH-1', poNumber: 'PO-1', supplierId: 'SUP-1',
        lines: [{ item: { system: 'SUP-1', code: 'VND-77' }, quantity: { value: 1, unit: 'EA' }, lot: 'LOT-S', serial: 'SN-9' },
          { item: { gtin: '00884521123456' }, quantity: { value: 1, unit: 'EA' } }] } },
      // What the purchase-order workflow derives from the ship notice: under the order's own correlation id.
      { type: 'stock.received', correlationId: 'ORDER-KEY-1', recordedAt: time(2), facility: 'FAC-B', payload: {
        item: { system: 'erp', code: 'ITM-00042' }, quantity: { value: 1, unit: 'EA' }, location: 'LOC-B-CS', lot: 'LOT-S', poNumber: 'PO-1' } }),
    batch({ contentType: 'application/json', sourceId: null, receivedAt: time(3) },
      { type: 'item.upserted', correlationId: 'ITM-00042', recordedAt: time(3), payload: {
        id: 'ITM-00042', description: 'Knee', uom: 'EA', gtin: '00884521123456', implant: true, chargeable: true, status: 'active' } },
      { type: 'price.updated', correlationId: 'ITM-00042', recordedAt: time(3), payload: {
        itemId: 'ITM-00042', price: { amount: '1.00', currency: 'USD' }, uom: 'EA', effectiveFrom: '2026-01-01' } }),
    batch({ contentType: 'application/json', sourceId: 'idem-77', receivedAt: time(4) },
      { type: 'invoice.received', correlationId: 'PO-1', recordedAt: time(4), facility: 'FAC-B', payload: {
        invoiceNumber: 'INV-1', invoiceDate: '2026-11-30', poNumber: 'PO-1', supplierId: 'SUP-1', kind: 'invoice', total: { amount: '1.00', currency: 'USD' },
        lines: [{ item: { system: 'SUP-1', code: 'VND-77' }, quantity: { value: 1, unit: 'EA' }, unitPrice: { amount: '1.00', currency: 'USD' }, serial: 'SN-9' }] } }),
    batch({ contentType: HL7_V2_CONTENT_TYPE, sourceId: 'MSG-0002', receivedAt: time(5) },
      { type: 'supply.returned', correlationId: 'CASE-1', recordedAt: time(5), payload: use('LOT-A', 'SN-2') }),
  ];
}

/** A store written before migration 005: the traffic stored, then the search index and its migration taken away. */
async function olderStore(): Promise<string> {
  const path = newPath();
  const store = openSqliteStore({ path });
  await store.write(async (tx) => {
    for (const { message, events } of traffic()) {
      await tx.insertMessage(message);
      for (const e of events) await tx.insertEvent(e);
    }
  });
  await store.close();
  const db = new DatabaseSync(path);
  db.exec(`DROP TABLE search_keys; DELETE FROM schema_migrations WHERE version = 5;`);
  db.close();
  return path;
}

const rowsOf = (path: string): SearchKeyRow[] => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(`SELECT * FROM search_keys ORDER BY kind, value, correlation_id`).all()
      .map((r) => ({ kind: r.kind, value: String(r.value), correlationId: String(r.correlation_id), at: Number(r.at) }) as SearchKeyRow);
  } finally {
    db.close();
  }
};

test('migration 005 backfills traffic stored before it, exactly as the pipeline would have written it', async () => {
  const path = await olderStore();
  const store = openSqliteStore({ path });
  await store.close();
  const backfilled = rowsOf(path);

  // The pure rules, merged as the index merges them: one row per (kind, value, trace), at its latest time.
  const expected = new Map<string, SearchKeyRow>();
  for (const { message, events } of traffic()) {
    for (const r of messageSearchKeys(message, events)) {
      const id = `${r.kind}|${r.value}|${r.correlationId}`;
      if ((expected.get(id)?.at ?? -1) < r.at) expected.set(id, r);
    }
  }
  const order = (rows: SearchKeyRow[]) => rows.map((r) => `${r.kind}|${r.value}|${r.correlationId}|${r.at}`).sort();
  assert.deepEqual(order(backfilled), order([...expected.values()]));
  assert.ok(backfilled.some((r) => r.kind === 'msh10' && r.value === 'MSG-0001'), 'HL7 messages by MSH-10');
  assert.ok(backfilled.some((r) => r.kind === 'source' && r.value === '000000123'), 'other channels by their source id');
  assert.equal(backfilled.find((r) => r.kind === 'serial' && r.value === 'SN-2')!.at, Date.parse(time(5)), 'the latest time a key was seen');
});

test('searchTrace finds each kind of key, newest first, whatever its case; a correlation id is found from the events', async () => {
  const path = await olderStore();
  const store = openSqliteStore({ path });
  try {
    const ids = async (...a: Parameters<typeof store.searchTrace>) => (await store.searchTrace(...a)).map((h) => h.correlationId);
    assert.deepEqual(await ids('msh10', 'MSG-0001', 10), ['CASE-1']);
    assert.deepEqual(await ids('source', 'MSG-0001', 10), [], 'an MSH-10 is not searched as another channel\'s source id');
    assert.deepEqual(await ids('source', '000000123', 10), ['PO-1', 'ORDER-KEY-1'], 'the trace with the latest event first');
    assert.deepEqual(await ids('po', 'po-1', 10), ['PO-1', 'ORDER-KEY-1'], 'newest first; any case');
    assert.deepEqual(await ids('po', 'PO-1', 1), ['PO-1'], 'limit');
    assert.deepEqual(await ids('lot', 'LOT-S', 10), ['PO-1', 'ORDER-KEY-1']);
    assert.deepEqual(await ids('serial', 'sn-9', 10), ['PO-1']);
    assert.deepEqual(await ids('item', '00884521123456', 10), ['PO-1', 'ITM-00042']);
    assert.deepEqual(await ids('patient', TOKEN, 10), ['CASE-1']);
    assert.deepEqual(await ids('lot', 'LOT-NOPE', 10), []);

    const [hit] = await store.searchTrace('serial', 'SN-2', 10);
    assert.deepEqual(hit, {
      correlationId: 'CASE-1', kind: 'serial', value: 'SN-2', firstAt: time(1), lastAt: time(5),
      eventTypes: ['supply.used', 'supply.returned'], facility: 'FAC-A',
    });
    const [byCorrelation] = await store.searchTrace('correlation', 'CASE-1', 10);
    assert.deepEqual({ ...byCorrelation, kind: 'serial', value: 'SN-2' }, hit, 'the same trace found by its correlation id');
    assert.equal(byCorrelation!.kind, 'correlation');

    const auto = await store.searchTrace('auto', 'PO-1', 10);
    assert.deepEqual(auto.map((h) => [h.correlationId, h.facility]), [['PO-1', 'FAC-B'], ['ORDER-KEY-1', 'FAC-B']], 'one hit per trace');
    assert.deepEqual((await store.searchTrace('auto', 'ITM-00042', 10)).map((h) => h.correlationId), ['CASE-1', 'ITM-00042', 'ORDER-KEY-1']);
  } finally {
    await store.close();
  }
});

test('a key written again for the same trace keeps its latest time', async () => {
  const path = newPath();
  const store = openSqliteStore({ path });
  try {
    const row = (at: number): SearchKeyRow => ({ kind: 'lot', value: 'LOT-1', correlationId: 'CASE-9', at });
    await store.write((tx) => tx.insertSearchKeys([row(2000)]));
    await store.write((tx) => tx.insertSearchKeys([row(1000), { ...row(3000), value: 'lot-1' }]));
    await store.write((tx) => tx.insertSearchKeys([row(1500)]));
    assert.deepEqual(rowsOf(path).map((r) => [r.value, r.at]), [['LOT-1', 3000]], 'one row whatever the case, at the latest time');
  } finally {
    await store.close();
  }
});
