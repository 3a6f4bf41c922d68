import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { startNetwork } from '../main.ts';
import { buildNetwork } from '../network/build.ts';
import { CABINET_COLUMNS, createCabinetState, nextExport } from './export.ts';
import { startCabinetExports } from './writer.ts';

const network = buildNetwork(21);
const NOW = Date.parse('2026-11-21T14:00:00Z');

test('an export is a header and rows of the cabinet layout, from cabinet locations, the same for the same seed', () => {
  const make = (seed: number) => nextExport(createCabinetState({ network, seed, runTag: 'T' }), NOW, 50, 60_000);
  const file = make(21);
  assert.deepEqual(file, make(21));
  assert.notDeepEqual(file.rows, make(22).rows);
  assert.match(file.name, /^cabinet-dispense-20261121T140000-000001\.csv$/);
  const [header, ...rows] = parse(file.text) as string[][];
  assert.deepEqual(header, [...CABINET_COLUMNS]);
  assert.equal(rows.length, 50);
  const cabinetLocations = new Set(network.master.locations.filter((l) => l.managedBy === 'cabinet').map((l) => l.id));
  for (const row of file.rows) {
    assert.ok(cabinetLocations.has(row.CabinetLocation), row.CabinetLocation);
    assert.match(row.TransactionID, /^OCT\d{8}$/);
  }
  const times = file.rows.map((r) => Date.parse(r.TransactionDateTime)).filter(Number.isFinite);
  assert.ok(times.every((t) => t <= NOW && t > NOW - 60_000), 'the rows fall in the export window');
});

test('over many files: returns both flagged and negative, patients only on chargeable items, and a few bad rows on purpose', () => {
  const state = createCabinetState({ network, seed: 5, badRate: 0.05 });
  const rows = Array.from({ length: 40 }, (_, i) => nextExport(state, NOW + i * 60_000, 50, 60_000).rows).flat();
  const items = new Map(network.master.items.map((i) => [i.id, i]));
  assert.ok(rows.some((r) => r.ReturnFlag === 'Y') && rows.some((r) => r.Quantity.startsWith('-')));
  for (const r of rows.filter((x) => items.has(x.ItemID) && x.PatientMRN)) assert.ok(items.get(r.ItemID)!.chargeable, r.ItemID);
  assert.equal(new Set(rows.map((r) => r.TransactionID)).size, rows.length, 'every transaction id once');
  const { bad, returns, rows: counted } = state.stats;
  assert.equal(counted, 2000);
  assert.ok(returns > 40, `returns ${returns}`);
  assert.ok(bad['unknown-item'] > 10 && bad['missing-quantity'] > 10 && bad['bad-date'] > 10, JSON.stringify(bad));
  assert.equal(rows.filter((r) => r.Quantity === '').length, bad['missing-quantity']);
  assert.equal(rows.filter((r) => /^ITM-9/.test(r.ItemID)).length, bad['unknown-item']);
});

test('the writer: a renamed dotfile, or the file and then its .done marker; never a part of a file under its own name', async () => {
  for (const completion of ['rename', 'done-marker'] as const) {
    const folder = mkdtempSync(join(tmpdir(), 'tendon-cabinet-'));
    const exporter = await startCabinetExports({ network, seed: 3, folder, intervalMs: 3_600_000, rows: [3, 3], completion });
    const names = [await exporter.writeNext(), await exporter.writeNext()];
    await exporter.close();
    const listed = readdirSync(folder).sort();
    assert.deepEqual(listed, completion === 'rename' ? names : names.flatMap((n) => [n, `${n}.done`]).sort(), completion);
    for (const name of names) assert.equal((parse(readFileSync(join(folder, name))) as unknown[]).length, 4);
  }
});

test('startNetwork writes cabinet exports on an interval when given a folder, and stops with close()', async () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'tendon-cabinet-')), 'inbox');
  const net = await startNetwork({ seed: 8, only: ['erp'], cabinet: { folder, intervalMs: 40 } });
  try {
    while (readdirSync(folder).filter((f) => f.endsWith('.csv')).length < 2) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await net.close();
  }
  const after = readdirSync(folder).length;
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(readdirSync(folder).length, after, 'no file after close');
  assert.ok(existsSync(folder));
  assert.equal(net.cabinet?.stats.files, after);
});
