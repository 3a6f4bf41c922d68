// Seeded fuzzing: whatever lands in a watched folder, decodeCsv answers with a value (events and row errors, or the
// file refused with a reason), every event it lets through is a valid canonical event, every row is accounted for,
// and it finishes quickly. A failing case prints its seed and index to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InboundEvent } from '../../model/events.ts';
import { prng } from '../fuzzing.ts';
import { BUILT_IN_MAPPINGS, decodeCsv, errorsReport, maskCsv, type CsvMapping, type CsvOptions } from './index.ts';

const SEED = 0xc5f00d;
const CASES = 10_000;

const PYXIS: CsvMapping = {
  eventType: 'supply.used',
  columns: {
    transactionId: 'Trans ID', occurredAt: 'Dispense Date', 'payload.location': 'Station', 'payload.item.code': 'Item No',
    'payload.quantity.value': 'Qty', return: 'Txn Type', 'payload.patient.identifier': 'MRN', 'payload.encounter': 'Account',
  },
  defaults: { 'payload.item.system': 'erp', 'payload.quantity.unit': 'EA' },
};
const BASE_OPTIONS: CsvOptions = {
  mapping: BUILT_IN_MAPPINGS.usage, sourceSystem: 'fuzz', facility: 'FAC-A', delimiter: ',', header: true, encoding: 'utf-8',
  dateFormat: 'iso', defaultOffset: '-05:00', receivedAt: '2026-11-21T12:00:00.000Z',
};
const optionsFor = (name: string): CsvOptions =>
  name.startsWith('items') ? { ...BASE_OPTIONS, mapping: BUILT_IN_MAPPINGS.items, encoding: 'windows-1252' }
    : name.startsWith('counts') ? { ...BASE_OPTIONS, mapping: BUILT_IN_MAPPINGS.counts }
      : name.includes('pyxis') ? { ...BASE_OPTIONS, mapping: PYXIS, delimiter: ';', dateFormat: 'MM/DD/YYYY hh:mm A' }
        : BASE_OPTIONS;

const dir = new URL('./fixtures/', import.meta.url);
const BASES = readdirSync(dir).filter((f) => f.endsWith('.csv')).map((name) => ({ name, text: readFileSync(new URL(name, dir), 'latin1') }));
const POOL = [',', ';', '"', '""', '\r', '\n', '\r\n', '\t', ' ', '\uFEFF', '\u0000', 'é', '™', '\uD800', '\uFFFF', '-', '+', '.', '0', '9',
  '-1', '1e309', 'NaN', '٣', '2026-02-30', '12:00 PM', '00885556123454', 'Y', 'Return', '=cmd|"/c calc"!A1', '\\', '\x1a'];

function mutate(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const at = int(text.length + 1);
  const lines = text.split(/(?<=\n)/);
  switch (int(12)) {
    case 0: return text.slice(0, at) + pick(POOL) + text.slice(at + 1); // replace a character
    case 1: return text.slice(0, at); // truncate (a file still being written)
    case 2: return text.slice(0, at) + pick(['"', ',', ';', '\n', '""', ',,,,', '"\n"']) + text.slice(at); // insert delimiters and quotes
    case 3: { const i = int(lines.length); lines.splice(i, 0, lines[i] ?? ''); return lines.join(''); } // duplicate a row
    case 4: lines.splice(int(lines.length), 1); return lines.join(''); // drop a row (or the header)
    case 5: { const i = int(lines.length); const j = int(lines.length); [lines[i], lines[j]] = [lines[j]!, lines[i]!]; return lines.join(''); }
    case 6: { // binary garbage, alone or behind a plausible header
      const garbage = Array.from({ length: int(600) }, () => String.fromCharCode(int(rnd() < 0.8 ? 256 : 65536))).join('');
      return rnd() < 0.5 ? garbage : (lines[0] ?? '') + garbage;
    }
    case 7: { // a huge field
      const comma = text.indexOf(',', at);
      const size = rnd() < 0.005 ? 1_200_000 : 1_000 + int(8_000);
      return comma < 0 ? text + 'X'.repeat(size) : text.slice(0, comma + 1) + pick(['X', '9', '"', ';']).repeat(size) + text.slice(comma + 1);
    }
    case 8: return text.replaceAll(pick([',', ';']), pick([',', ';', '\t', '|'])); // another delimiter
    case 9: { // one cell replaced by something plausible but wrong
      const i = 1 + int(Math.max(1, lines.length - 1));
      const cells = (lines[i] ?? '').split(',');
      cells[int(cells.length + 2)] = pick(POOL) + pick(POOL);
      lines[i] = Array.from(cells, (c) => c ?? '').join(',');
      return lines.join('');
    }
    case 10: return text.replace(/\r?\n/g, pick(['\r', '\n', '\r\n', '\n\n', '\r\r\n'])); // other line ends
    default: return pick(BASES).text + text.slice(at); // two files glued together
  }
}

test(`${CASES} seeded mutations: decodeCsv never throws, never hangs, and accounts for every row`, { timeout: 60_000 }, () => {
  const rnd = prng(SEED);
  const counts = { refused: 0, clean: 0, mixed: 0, events: 0, rowErrors: 0 };
  for (let i = 0; i < CASES; i++) {
    const base = BASES[Math.floor(rnd() * BASES.length)]!;
    let text = base.text;
    const rounds = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < rounds; k++) text = mutate(text, rnd);
    const where = `seed ${SEED} case ${i} (${base.name})`;
    const bytes = Buffer.from(text, rnd() < 0.5 ? 'latin1' : 'utf8');
    const options = optionsFor(base.name);
    const r = decodeCsv(bytes, options);
    if (!r.ok) {
      counts.refused++;
      assert.ok(r.error.reason.length > 0 && r.error.row >= 0, where);
      assert.match(r.sha256, /^[0-9a-f]{64}$/, where);
      continue;
    }
    assert.equal(r.events.length + r.errors.length, r.rows, `${where}: every row is an event or an error`);
    for (const e of r.events) assert.ok(InboundEvent.safeParse(e).success, where);
    for (const e of r.errors) assert.ok(e.row >= 1 && e.reason.length > 0, where);
    const keys = r.events.map((e) => e.idempotencyKey);
    const lines = r.errors.map((e) => e.row);
    assert.equal(new Set(lines).size, lines.length, `${where}: one error per row`);
    if (!options.mapping.columns.transactionId) assert.equal(new Set(keys).size, keys.length, `${where}: keys by line are unique`);
    counts[r.errors.length > 0 ? 'mixed' : 'clean']++;
    counts.events += r.events.length;
    counts.rowErrors += r.errors.length;
    if (i % 10 === 0) {
      assert.equal(typeof maskCsv(bytes.toString('utf8'), r.contentType), 'string', where);
      const report = parse(errorsReport(r.errors)) as string[][];
      assert.equal(report.length, r.errors.length + 1, `${where}: the errors file reads back`);
    }
  }
  assert.ok(counts.refused > 500 && counts.clean > 500 && counts.mixed > 500 && counts.events > 5000, `the mutations reach every outcome: ${JSON.stringify(counts)}`);
});
