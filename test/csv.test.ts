// CSV folders end to end, with the real hub, the simulated network and real folders under a temporary directory:
// files in (rows mode, all-or-nothing, done markers, files still being written, the same file twice, garbage),
// archive and error folders with their errors files, a restart with a committed file still in the inbox, a SIGKILL
// while files are being read, the cabinet simulator's exports, and analytics events out as CSV files written
// atomically.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { startCabinetExports } from '../sim/cabinet/writer.ts';
import type { HubConfigInput } from '../src/config/schema.ts';
import {
  api, metricValue, restartTestHub, spawnHub, startSims, startTestHub, testConfig, tokensFor, waitFor, writeConfig, type Sims, type TestHub,
} from './support/hub.ts';
import { picks } from './support/picks.ts';

const root = mkdtempSync(join(tmpdir(), 'tendon-csv-'));
const folders = { cabinets: join(root, 'cabinets'), strict: join(root, 'strict'), counts: join(root, 'counts'), analytics: join(root, 'analytics') };
const HEADER = 'TransactionID,TransactionDateTime,Facility,CabinetLocation,ItemID,Quantity,PatientMRN,EncounterID,CaseID';

function withCsvChannels(c: HubConfigInput): void {
  c.inbound = [
    ...(c.inbound ?? []),
    { kind: 'csv', name: 'cabinets', path: folders.cabinets, format: 'usage', stableMs: 300, pollMs: 25 },
    { kind: 'csv', name: 'strict', path: folders.strict, format: 'usage', mode: 'all-or-nothing', stableMs: 50, pollMs: 25 },
    { kind: 'csv', name: 'counts', path: folders.counts, format: 'counts', completeWhen: 'done-marker', pollMs: 25 },
  ];
  c.destinations.push({ name: 'analytics-files', role: 'analytics', kind: 'csv', url: pathToFileURL(folders.analytics).href });
}

let sims: Sims;
let hub: TestHub;
let p: ReturnType<typeof picks>;
// Every analytics file seen while the tests run, parsed as it was seen: a reader must never find a partial one.
const sampled = { files: 0, partial: [] as string[] };
let sampling: NodeJS.Timeout;
before(async () => {
  sims = await startSims();
  p = picks(sims);
  hub = await startTestHub(sims, withCsvChannels);
  sampling = setInterval(() => {
    if (!existsSync(folders.analytics)) return;
    for (const name of readdirSync(folders.analytics).filter((n) => !n.startsWith('.'))) {
      sampled.files++;
      const rows = parse(readFileSync(join(folders.analytics, name))) as string[][];
      if (rows.length !== 2 || rows[1]!.length !== 11) sampled.partial.push(name);
    }
  }, 5);
});
after(async () => {
  clearInterval(sampling);
  await hub?.stop();
  await sims?.close();
});

/** Drops a file the way a careful sender does: a dotfile, renamed into the inbox. */
function drop(folder: string, name: string, content: string | Buffer): void {
  writeFileSync(join(folder, `.${name}.part`), content);
  renameSync(join(folder, `.${name}.part`), join(folder, name));
}
const usage = (rows: (string | number)[][]) => [HEADER, ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
const row = (tx: string, caseId: string, quantity: number | string = 1, item = p.routine.id) =>
  [tx, '2026-11-21T09:14:00-05:00', p.facility, p.location.id, item, quantity, 'MRN00077001', 'ENC-5000001', caseId];
const gone = (folder: string, name: string) => waitFor(`${name} to leave the inbox`, async () => !existsSync(join(folder, name)), 20_000, 20);
const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
async function traceOf(caseId: string) {
  const res = await api<{ events: { id: string; type: string }[]; messages: { id: string; channel: string; contentType: string; sourceId: string }[]; deliveries: unknown[] }>(
    hub, hub.tokens.viewer, 'GET', `/v1/trace/${caseId}`);
  return res.status === 404 ? { events: [], messages: [], deliveries: [] } : res.body;
}
const refused = async (channel: string) =>
  (await api<{ data: { channel: string; error: string; id: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/messages/refused?limit=1000')).body.data
    .filter((m) => m.channel === channel);

test('a good file: its rows become events, it moves to the archive, and each event goes to analytics as its own CSV file', async () => {
  drop(folders.cabinets, 'good.csv', usage([row('G-1', 'GOOD-1'), row('G-2', 'GOOD-1', 2), row('G-3', 'GOOD-1', -1)]));
  await gone(folders.cabinets, 'good.csv');
  assert.deepEqual(ls(join(folders.cabinets, 'archive')), ['good.csv']);
  assert.deepEqual(ls(join(folders.cabinets, 'error')), []);
  const trace = await traceOf('GOOD-1');
  assert.deepEqual(trace.events.map((e) => e.type), ['supply.used', 'supply.used', 'supply.returned']);
  const [message] = trace.messages;
  assert.equal(message!.channel, 'csv:cabinets');
  assert.match(message!.sourceId, /^good\.csv;sha256=[0-9a-f]{64}$/);
  assert.match(message!.contentType, /^text\/csv; header=present/);
  const shown = (await api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${message!.id}`)).body.raw;
  assert.ok(shown.includes('G-1') && !shown.includes('MRN00077001') && !shown.includes('ENC-5000001'), shown);

  const files = trace.events.map((e) => join(folders.analytics, `${e.id}.csv`));
  await waitFor('the analytics files', async () => files.every((f) => existsSync(f)), 20_000, 20);
  const exported = files.map((f) => (parse(readFileSync(f), { columns: true }) as Record<string, string>[])[0]!);
  assert.deepEqual(exported.map((r) => [r.type, r.correlationId, r.idempotencyKey, r.retracted]), [
    ['supply.used', 'GOOD-1', 'G-1', 'false'], ['supply.used', 'GOOD-1', 'G-2', 'false'], ['supply.returned', 'GOOD-1', 'G-3:return', 'false'],
  ]);
  const payload = JSON.parse(exported[0]!.payload!);
  assert.match(payload.patient.token, /^pt_/, 'analytics gets the patient as a token, never the MRN');
});

test('rows mode: the good rows go in; the bad ones are in error/NAME.errors.csv with their line, reason and the row as it was', async () => {
  const bad = row('M-2', 'MIXED-1', 'two');
  const noItem = row('M-3', 'MIXED-1', 1, '');
  drop(folders.cabinets, 'mixed.csv', usage([row('M-1', 'MIXED-1'), bad, noItem, row('M-4', 'MIXED-1', 3)]));
  await gone(folders.cabinets, 'mixed.csv');
  assert.ok(ls(join(folders.cabinets, 'archive')).includes('mixed.csv'), 'the file itself is archived: it was read');
  const report = parse(readFileSync(join(folders.cabinets, 'error', 'mixed.csv.errors.csv'))) as string[][];
  assert.deepEqual(report, [
    ['row', 'reason', 'original'],
    ['3', 'Quantity: "two" is not a number', bad.join(',')],
    ['4', '/payload/item (ItemID): needs a code or a gtin', noItem.join(',')],
  ]);
  assert.equal((await traceOf('MIXED-1')).events.length, 2);
});

test('all-or-nothing: one bad row and nothing goes in; the whole file goes to error/ with its errors file, and is kept', async () => {
  drop(folders.strict, 'batch.csv', usage([row('S-1', 'STRICT-1'), row('S-2', 'STRICT-1', 'x'), row('S-3', 'STRICT-1')]));
  await gone(folders.strict, 'batch.csv');
  assert.deepEqual(ls(join(folders.strict, 'error')), ['batch.csv', 'batch.csv.errors.csv']);
  assert.deepEqual(ls(join(folders.strict, 'archive')), []);
  assert.equal((await traceOf('STRICT-1')).events.length, 0);
  const [kept] = await refused('csv:strict');
  assert.equal(kept!.error, 'row 3: Quantity: "x" is not a number');
});

test('the same file again, under its own name or another: archived, no new event, no new delivery, counted as a duplicate', async () => {
  const before = await traceOf('GOOD-1');
  const duplicates = await metricValue(hub, 'tendon_messages_received_total', { channel: 'cabinets', result: 'duplicate' });
  const again = readFileSync(join(folders.cabinets, 'archive', 'good.csv'));
  drop(folders.cabinets, 'good.csv', again);
  await gone(folders.cabinets, 'good.csv');
  drop(folders.cabinets, 'good-resent.csv', again);
  await gone(folders.cabinets, 'good-resent.csv');
  assert.deepEqual(ls(join(folders.cabinets, 'archive')).filter((n) => n.startsWith('good')), ['good-resent.csv', 'good.1.csv', 'good.csv']);
  const after = await traceOf('GOOD-1');
  assert.equal(after.events.length, before.events.length);
  assert.equal(after.deliveries.length, before.deliveries.length);
  assert.equal(await metricValue(hub, 'tendon_messages_received_total', { channel: 'cabinets', result: 'duplicate' }), duplicates + 2);
});

test('a file still being written is not taken until it has been stable for stableMs', async () => {
  const path = join(folders.cabinets, 'growing.csv');
  writeFileSync(path, `${HEADER}\r\n`);
  for (let i = 1; i <= 10; i++) {
    appendFileSync(path, `${row(`GR-${i}`, 'GROW-1').join(',')}\r\n`);
    await new Promise((r) => setTimeout(r, 80));
    assert.ok(existsSync(path), `still in the inbox after row ${i}`);
  }
  assert.equal((await traceOf('GROW-1')).events.length, 0, 'nothing read while it grew');
  await gone(folders.cabinets, 'growing.csv');
  assert.equal((await traceOf('GROW-1')).events.length, 10, 'every row, once complete');
});

test('done-marker mode: a count file waits for its .done marker; then the counts set on-hand', async () => {
  const counts = `Location,ItemID,CountedQuantity,UOM,CountedAt,Facility\r\n${p.parLocation.id},${p.par.itemId},37,EA,2026-11-21T06:00:00-05:00,${p.parLocation.facilityId}\r\n`;
  writeFileSync(join(folders.counts, 'count-0600.csv'), counts);
  await new Promise((r) => setTimeout(r, 400));
  assert.ok(existsSync(join(folders.counts, 'count-0600.csv')), 'no marker, not taken');
  writeFileSync(join(folders.counts, 'count-0600.csv.done'), '');
  await gone(folders.counts, 'count-0600.csv');
  await waitFor('the marker to go', async () => !existsSync(join(folders.counts, 'count-0600.csv.done')), 5000, 20);
  assert.deepEqual(ls(join(folders.counts, 'archive')), ['count-0600.csv']);
  const stock = await api<{ onHand: number }>(hub, hub.tokens.viewer, 'GET', `/v1/stock?location=${p.parLocation.id}&item=${p.par.itemId}`);
  assert.equal(stock.body.onHand, 37);
});

test('files that are not readable CSV are refused whole: error/ with the reason, and the raw file kept as a refused message', async () => {
  const before = (await refused('csv:cabinets')).length;
  drop(folders.cabinets, 'photo.csv', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]));
  drop(folders.cabinets, 'other-report.csv', 'Ward,Beds\r\n4B,28\r\n');
  await gone(folders.cabinets, 'photo.csv');
  await gone(folders.cabinets, 'other-report.csv');
  const reasons = (name: string) => (parse(readFileSync(join(folders.cabinets, 'error', `${name}.errors.csv`))) as string[][])[1]![1];
  assert.match(reasons('photo.csv')!, /binary/);
  assert.match(reasons('other-report.csv')!, /^the header names none of the mapped columns/);
  assert.ok(existsSync(join(folders.cabinets, 'error', 'photo.csv')) && existsSync(join(folders.cabinets, 'error', 'other-report.csv')));
  const kept = await refused('csv:cabinets');
  assert.equal(kept.length, before + 2);
  const shown = (await api<{ raw: string }>(hub, hub.tokens.viewer, 'GET', `/v1/messages/${kept.find((m) => /header/.test(m.error))!.id}`)).body.raw;
  assert.equal(shown, '***,***\n***,***\n', 'a refused file shows its shape only: its columns were never known');
});

test('a file reprocessed from the store gives a new revision of each event', async () => {
  const { messages } = await traceOf('MIXED-1');
  const res = await api<{ events: { revision: number }[] }>(hub, hub.tokens.operator, 'POST', `/v1/messages/${messages[0]!.id}/reprocess`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.events.map((e) => e.revision), [2, 2]);
});

test('restart: a committed file still in the inbox (a crash before its move) is read again without effect; a file dropped while down is read', async () => {
  const before = await traceOf('GOOD-1');
  hub = await restartTestHub({
    ...hub,
    stop: async () => {
      await hub.stop();
      // What a crash between the commit and the move leaves: the file committed, still in the inbox.
      copyFileSync(join(folders.cabinets, 'archive', 'good.csv'), join(folders.cabinets, 'good.csv'));
      drop(folders.cabinets, 'while-down.csv', usage([row('D-1', 'DOWN-1'), row('D-2', 'DOWN-1')]));
    },
  });
  await gone(folders.cabinets, 'good.csv');
  await gone(folders.cabinets, 'while-down.csv');
  const after = await traceOf('GOOD-1');
  assert.equal(after.events.length, before.events.length);
  assert.equal(after.deliveries.length, before.deliveries.length);
  assert.equal((await traceOf('DOWN-1')).events.length, 2);
  assert.ok(ls(join(folders.cabinets, 'archive')).includes('good.2.csv'), 'the re-read file is archived beside the first');
});

test('the cabinet simulator\'s exports go in: good rows as events, its bad rows in errors files, every file archived', async () => {
  const exporter = await startCabinetExports({
    network: sims.network, seed: 11, folder: folders.cabinets, intervalMs: 3_600_000, rows: [25, 25], badRate: 0.2, runTag: 'E2E',
  });
  const names = [await exporter.writeNext(), await exporter.writeNext(), await exporter.writeNext()];
  await exporter.close();
  for (const name of names) await gone(folders.cabinets, name);
  for (const name of names) assert.ok(existsSync(join(folders.cabinets, 'archive', name)), name);
  const { bad } = exporter.stats;
  const reported = names.flatMap((n) => {
    const file = join(folders.cabinets, 'error', `${n}.errors.csv`);
    return existsSync(file) ? (parse(readFileSync(file), { columns: true }) as { reason: string }[]) : [];
  });
  // An empty quantity and an impossible date are row errors; an unknown item is a valid row, held for the item master team.
  assert.equal(reported.length, bad['missing-quantity'] + bad['bad-date'], JSON.stringify(bad));
  assert.ok(reported.length > 0);
  const exceptions = await api<{ data: { category: string }[] }>(hub, hub.tokens.viewer, 'GET', '/v1/exceptions?status=open&category=unmapped_item');
  assert.ok(exceptions.body.data.length >= bad['unknown-item']);
});

test('analytics files were only ever seen whole', () => {
  assert.ok(sampled.files > 0);
  assert.deepEqual(sampled.partial, []);
  assert.deepEqual(readdirSync(folders.analytics).filter((n) => n.startsWith('.')), [], 'no temp file left behind');
});

test('SIGKILL while files are read: after the restart every file is archived and every row is in exactly once', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendon-csv-crash-'));
  const inbox = join(dataDir, 'inbox');
  mkdirSync(inbox);
  const port = 22_000 + Math.floor(Math.random() * 20_000);
  const config = testConfig(dataDir, sims, (c) => {
    c.http = { host: '127.0.0.1', port };
    c.inbound = [{ kind: 'csv', name: 'cabinets', path: inbox, format: 'usage', stableMs: 0, pollMs: 10 }];
  });
  const file = writeConfig(dataDir, config);
  const tokens = await tokensFor(dataDir);
  const crashHub = { url: `http://127.0.0.1:${port}`, tokens };
  let child: ChildProcess | undefined;
  const start = async () => {
    ({ child } = await spawnHub(file, crashHub.url));
  };
  const FILES = 40;
  const ROWS = 5;
  try {
    await start();
    for (let f = 0; f < FILES; f++) {
      drop(inbox, `kill-${f}.csv`, usage(Array.from({ length: ROWS }, (_, r) => row(`K-${f}-${r}`, `KILL-${f}`))));
    }
    await waitFor('some files read', async () => ls(join(inbox, 'archive')).length >= 8, 30_000, 5);
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    await start();
    await waitFor('the inbox to empty', async () => ls(inbox).every((n) => n === 'archive' || n === 'error'), 60_000, 50);
    const archived = ls(join(inbox, 'archive'));
    for (let f = 0; f < FILES; f++) {
      assert.ok(archived.includes(`kill-${f}.csv`), `kill-${f}.csv is archived`);
      const trace = await api<{ events: unknown[] }>(crashHub, tokens.viewer, 'GET', `/v1/trace/KILL-${f}`);
      assert.equal(trace.body.events.length, ROWS, `kill-${f}.csv: each row once`);
    }
    assert.deepEqual(ls(join(inbox, 'error')), []);
  } finally {
    child?.kill('SIGKILL');
  }
});
