// The CSV analytics destination with hand-made deliveries: one file per event, named by the event, written
// atomically; a retry rewrites the same file; a reversal writes the retracted event beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { DestinationConfig } from '../../config/schema.ts';
import type { Delivery } from '../../core/types.ts';
import { EncodeError } from '../../codecs/rest/index.ts';
import { createCsvOutbound } from './csv.ts';

const event = {
  id: '0193a0d2-7c1e-7000-8000-000000000001', type: 'supply.used', schemaVersion: 1, idempotencyKey: 'OC-1', facility: 'FAC-A',
  occurredAt: '2026-11-21T09:14:03-05:00', recordedAt: '2026-11-21T14:14:04.000Z', sourceSystem: 'cabinets', correlationId: 'ENC-1',
  causationId: null, revision: 1, payload: { item: { code: 'ITM-1' }, quantity: { value: 1, unit: 'EA' }, patient: { token: 'pt_abcdefghijklmnopqr' } },
};
const delivery = (over: Partial<Delivery> = {}): Delivery => ({
  id: 'd1', seq: 1, eventId: event.id, correlationId: 'ENC-1', destination: 'analytics-files', action: 'event.publish', partitionKey: 'p',
  priority: 2 as Delivery['priority'], idempotencyKey: 'tdn-d1', status: 'in_flight', attempts: 0, nextAttemptAt: 0, createdAt: '', updatedAt: '',
  body: { event }, reverses: null, remoteRef: null, lastError: null, ...over,
});
const NO_PHI = { revealed: new Map<string, string>() };

function destination(dir: string) {
  return createCsvOutbound(DestinationConfig.parse({ name: 'analytics-files', role: 'analytics', kind: 'csv', url: pathToFileURL(dir).href }));
}

test('an event becomes <event id>.csv: a header and its row; a retry rewrites the same file, never a second one', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'tendon-csv-out-')), 'exports'); // created on first use
  const out = destination(dir);
  const first = await out.deliver(delivery(), NO_PHI);
  assert.deepEqual([first.outcome, first.remoteRef], ['success', `${event.id}.csv`]);
  assert.equal((await out.deliver(delivery({ attempts: 1 }), NO_PHI)).outcome, 'success');
  assert.deepEqual(readdirSync(dir), [`${event.id}.csv`], 'no temp file left, no second file');
  const rows = parse(readFileSync(join(dir, `${event.id}.csv`))) as string[][];
  assert.deepEqual(rows, [
    ['id', 'type', 'facility', 'occurredAt', 'recordedAt', 'sourceSystem', 'correlationId', 'idempotencyKey', 'revision', 'retracted', 'payload'],
    [event.id, 'supply.used', 'FAC-A', event.occurredAt, event.recordedAt, 'cabinets', 'ENC-1', 'OC-1', '1', 'false', JSON.stringify(event.payload)],
  ]);
});

test('a reversal writes the retracted event beside the original', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-csv-out-'));
  const out = destination(dir);
  await out.deliver(delivery(), NO_PHI);
  const reversal = delivery({ id: 'd2', action: 'reverse', body: {}, reverses: 'd1' });
  const sent = await out.deliver(reversal, { ...NO_PHI, reversed: { action: 'event.publish', remoteRef: `${event.id}.csv`, body: { event } } });
  assert.equal(sent.remoteRef, `${event.id}.retracted.csv`);
  assert.deepEqual(readdirSync(dir).sort(), [`${event.id}.csv`, `${event.id}.retracted.csv`]);
  const [, row] = parse(readFileSync(join(dir, `${event.id}.retracted.csv`))) as string[][];
  assert.equal(row![9], 'true');
});

test('what cannot be a CSV export is an encode error; a folder that cannot be written is a retry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tendon-csv-out-'));
  const out = destination(dir);
  await assert.rejects(out.deliver(delivery({ action: 'charge.post', body: { account: 'A' } }), NO_PHI), EncodeError);
  await assert.rejects(out.deliver(delivery({ body: { event: { ...event, id: '../escape' } } }), NO_PHI), EncodeError);
  writeFileSync(join(dir, 'not-a-folder'), ''); // a mount that is gone, a path that is a file: the same to a writer
  const sent = await destination(join(dir, 'not-a-folder', 'exports')).deliver(delivery(), NO_PHI);
  assert.equal(sent.outcome, 'retryable');
  assert.match(sent.reason ?? '', /^ENOTDIR/);
});
