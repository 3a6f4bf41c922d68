// Reducers must be pure: a workflow's stored history of inputs, folded again from `initial`, has to give the same
// states and effects, or a replay (and every restart of an instance from its stored state) would quietly diverge.
// (a) A lint over the workflow sources for what would make them impure: the clock, randomness, ids, the
//     environment, timers, and the layers that do I/O. Time must come from the input (`new Date(Date.parse(at) + …)`
//     is fine: it has an argument).
// (b) Whole histories replayed from their stored (JSON) form give the same states and effects, step by step; one
//     state and input reduced twice give the same result, and the state given is left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { purchaseOrderWorkflow } from './purchase-order.ts';
import type { RequisitionLine } from '../flows/signals.ts';
import { requisitionWorkflow } from './requisition.ts';
import { DEFAULT_WORKFLOW_SETTINGS, type Effect, type WorkflowDefinition, type WorkflowInput, type WorkflowSettings } from './types.ts';

// ── (a) the lint ─────────────────────────────────────────────────────────────────────────────────────────────────

const FORBIDDEN: { pattern: RegExp; token: string }[] = [
  { pattern: /\bDate\.now\b/, token: 'Date.now' },
  { pattern: /\bnew\s+Date\s*\(\s*\)/, token: 'new Date()' },
  { pattern: /\bnew\s+Date\b(?!\s*\()/, token: 'new Date' },
  { pattern: /\bMath\.random\b/, token: 'Math.random' },
  { pattern: /\bperformance\.now\b/, token: 'performance.now' },
  { pattern: /\bcrypto\b/, token: 'crypto' },
  { pattern: /\brandomUUID\b/, token: 'randomUUID' },
  { pattern: /\bnewId\b/, token: 'newId' },
  { pattern: /\bprocess\.env\b/, token: 'process.env' },
  { pattern: /\bsetTimeout\b/, token: 'setTimeout' },
  { pattern: /\bsetInterval\b/, token: 'setInterval' },
  { pattern: /\bsetImmediate\b/, token: 'setImmediate' },
];

/** The layers that do I/O: a reducer importing them is not pure, even for a type it could take from below. */
const IO_LAYERS = /^\.\.\/(store|engine|channels|api)(\/|$)/;

/** Code without its comments; string and template literals are kept as they are (a `//` in a string stays). */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/g,
    (m) => (m.startsWith('/') ? ' ' : m));
}

/** What in one source file would make a reducer impure, as the tokens found. */
function offences(source: string): string[] {
  const code = stripComments(source);
  const found = FORBIDDEN.filter((f) => f.pattern.test(code)).map((f) => f.token);
  const imports = [...code.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);
  return [...found, ...imports.filter((i) => IO_LAYERS.test(i)).map((i) => `import ${i}`)];
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

test('the lint finds what makes code impure, and only in code', () => {
  const sample = [
    '// Date.now() and Math.random() in a comment are fine, as is /* new Date() */ here',
    "import { newId } from '../core/ids.ts';",
    "import type { Tx } from '../store/store.ts';",
    "import { timers } from '../engine/timers.ts';",
    "import { threeWayMatch } from './match.ts';",
    'const due = new Date(Date.parse(at) + 60_000).toISOString();',
    "const url = 'http://example.org/x';",
    'const now = Date.now();',
    'const today = new Date();',
    'const salt = crypto.getRandomValues(new Uint8Array(4));',
    'const env = process.env.TENDON_LIMIT;',
  ].join('\n');
  assert.deepEqual(offences(sample), ['Date.now', 'new Date()', 'crypto', 'newId', 'process.env', 'import ../store/store.ts', 'import ../engine/timers.ts']);
  assert.deepEqual(offences('const due = new Date(Date.parse(at) + minutes * 60_000).toISOString(); // not Date.now()'), []);
});

test('workflow reducers use no clock, randomness, ids, environment, timers or I/O layer', () => {
  const files = sources(import.meta.dirname);
  assert.ok(files.some((f) => f.endsWith('purchase-order.ts')) && files.some((f) => f.endsWith('requisition.ts')), 'the reducers are among the files read');
  const offenders = files.flatMap((f) => offences(readFileSync(f, 'utf8')).map((token) => `${relative(import.meta.dirname, f)}: ${token}`));
  assert.deepEqual(offenders, [], 'reducers must be pure: time from the input, ids from the key and step, master data from the flow');
});

// ── (b) replay ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Recorded {
  input: WorkflowInput;
  state: unknown;
  status: string;
  stage: string;
  effects: Effect[];
}

/** As the engine stores it: JSON. */
const stored = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Folds inputs from `initial`, recording each step as the engine's history would. */
function fold<S>(def: WorkflowDefinition<S>, key: string, settings: WorkflowSettings, inputs: WorkflowInput[], persisted = false): Recorded[] {
  let state = def.initial(key, settings);
  return inputs.map((input, i) => {
    const step = def.reduce(persisted ? stored(state) : state, persisted ? stored(input) : input, { type: def.type, key, seq: i + 1 });
    state = step.state;
    return stored({ input, state: step.state, status: step.status, stage: step.stage, effects: step.effects });
  });
}

/** The history replays to the same steps; each step reduced twice is the same and leaves its state untouched. */
function assertReplays<S>(def: WorkflowDefinition<S>, key: string, inputs: WorkflowInput[]): Recorded[] {
  const settings = { ...DEFAULT_WORKFLOW_SETTINGS, consolidationMinutes: 15 };
  const first = fold(def, key, settings, inputs);
  const again = fold(def, key, stored(settings), stored(first.map((r) => r.input)), true);
  first.forEach((r, i) => assert.deepEqual(again[i], r, `step ${i + 1} (${r.input.kind}) replays to the same state and effects`));

  let state = def.initial(key, settings);
  inputs.forEach((input, i) => {
    const before = structuredClone(state);
    const ctx = { type: def.type, key, seq: i + 1 };
    const once = def.reduce(state, input, ctx);
    assert.deepEqual(state, before, `step ${i + 1} leaves the state it was given as it was`);
    assert.deepEqual(stored(def.reduce(state, input, ctx)), stored(once), `step ${i + 1} reduced twice gives the same`);
    state = once.state;
  });
  return first;
}

// A purchase order's whole life: two lines gathered, numbered, the 855 late and beyond the price tolerance, the
// variance accepted, shipped, invoiced before the goods arrived, received, posted, paid in two payments.
const ORDER = 'T0195A1B2C3D45F6A7B8C9';
const PO = 'PO-000001';
const requisitionLine = (requisition: string, over: Partial<RequisitionLine>): Record<string, unknown> => ({
  requisition, facility: 'F1', itemId: 'ITM-X', description: '', supplierId: 'SUP-ACME', vendorItem: null, gtin: null, quantity: 1, uom: 'EA',
  unitPrice: '1.00', currency: 'USD', locationId: 'F1-OR-PAR1', costCenterId: 'CC-OR', budgetAvailable: null, period: '2025-03',
  priority: 'routine', requisitionNumber: null, line: '1', replyTo: 'procure', orderKey: ORDER, ...over,
});
const signal = (at: string, name: string, from: string, data: Record<string, unknown>): WorkflowInput =>
  ({ kind: 'signal', at, name, from: { type: 'requisition', key: from }, data });
const event = (at: string, type: string, id: string, payload: Record<string, unknown>, data: Record<string, unknown>): WorkflowInput =>
  ({ kind: 'event', at, data, event: { id, revision: 1, type, facility: 'F1', occurredAt: at, sourceSystem: 'acme-edi', correlationId: ORDER, payload: { poNumber: PO, ...payload } } });
const knee = (more: Record<string, unknown> = {}) => ({ line: '1', itemId: 'ITM-KNEE', quantity: 2, unitPrice: '1200.00', ...more });
const gauze = (more: Record<string, unknown> = {}) => ({ line: '2', itemId: 'ITM-GAUZE', quantity: 10, unitPrice: '3.50', ...more });

const PURCHASE_ORDER_LIFE: WorkflowInput[] = [
  signal('2025-03-03T09:00:00.000Z', 'line', 'procure:REQ-1:1', requisitionLine('procure:REQ-1:1', { itemId: 'ITM-KNEE', quantity: 2, unitPrice: '1200.00' })),
  signal('2025-03-03T09:05:00.000Z', 'line', 'procure:REQ-2:1', requisitionLine('procure:REQ-2:1', { itemId: 'ITM-GAUZE', quantity: 10, uom: 'BX', unitPrice: '3.50' })),
  { kind: 'timer', at: '2025-03-03T09:15:00.000Z', name: 'consolidate' },
  { kind: 'outcome', at: '2025-03-03T09:20:00.000Z', name: 'erp-po', status: 'delivered', remoteRef: PO, reason: null },
  { kind: 'timer', at: '2025-03-04T09:20:00.000Z', name: 'ack-due' },
  event('2025-03-04T11:00:00.000Z', 'po.acknowledged', 'evt-855', { status: 'accepted' }, { lines: [knee({ unitPrice: '1250.00' }), gauze()] }),
  { kind: 'decision', at: '2025-03-04T12:00:00.000Z', decision: 'accept-variance', actor: 'buyer.ann', reason: null, exceptionId: 'exc-1', data: {} },
  event('2025-03-05T10:00:00.000Z', 'shipment.noticed', 'evt-856', { shipmentId: 'SH-1' }, { lines: [knee(), gauze()] }),
  event('2025-03-05T16:00:00.000Z', 'invoice.received', 'evt-810', { invoiceNumber: 'INV-1', kind: 'invoice', invoiceDate: '2025-03-05' },
    { lines: [knee({ unitPrice: '1250.00' }), gauze()] }),
  event('2025-03-06T08:00:00.000Z', 'stock.received', 'evt-rcv-1', {}, { itemId: 'ITM-KNEE', quantity: 2 }),
  event('2025-03-06T08:00:00.000Z', 'stock.received', 'evt-rcv-2', {}, { itemId: 'ITM-GAUZE', quantity: 10 }),
  { kind: 'outcome', at: '2025-03-06T08:01:00.000Z', name: 'ap:INV-1', status: 'delivered', remoteRef: 'AP-77', reason: null },
  event('2025-04-02T12:00:00.000Z', 'payment.settled', 'evt-pay-1', {}, { paymentId: 'PAY-1', invoiceNumber: 'INV-1', amount: '2000.00' }),
  event('2025-04-03T12:00:00.000Z', 'payment.settled', 'evt-pay-2', {}, { paymentId: 'PAY-2', invoiceNumber: 'INV-1', amount: '535.00' }),
];

test('a purchase order\'s whole history replays to the same states and effects', () => {
  const history = assertReplays(purchaseOrderWorkflow, ORDER, PURCHASE_ORDER_LIFE);
  assert.deepEqual(history.map((r) => r.stage), [
    'gathering', 'gathering', 'numbering', 'awaiting-ack', 'awaiting-ack', 'acknowledged', 'acknowledged', 'shipped', 'shipped',
    'partially-received', 'invoiced', 'invoiced', 'invoiced', 'closed',
  ], 'the history walks the whole path');
  assert.equal(history.at(-1)!.status, 'completed');
  assert.ok(history.reduce((n, r) => n + r.effects.length, 0) > 20, 'with effects to compare at every stage');
});

test('a requisition\'s history replays to the same states and effects', () => {
  const line = requisitionLine('', { itemId: 'ITM-KNEE', quantity: 5, unitPrice: '1200.00', requisitionNumber: 'REQ-1' });
  const from = { type: 'purchase-order', key: ORDER };
  const history = assertReplays(requisitionWorkflow, 'procure:REQ-1:1', [
    event('2025-03-03T09:00:00.000Z', 'requisition.created', 'evt-req', {}, line),
    { kind: 'decision', at: '2025-03-03T10:00:00.000Z', decision: 'approve', actor: 'buyer.ann', reason: null, exceptionId: 'exc-1', data: {} },
    { kind: 'signal', at: '2025-03-03T10:05:00.000Z', name: 'status', from, data: { status: 'ordered', poNumber: PO, detail: null } },
    { kind: 'signal', at: '2025-03-03T11:00:00.000Z', name: 'reorder', from, data: {} },
    { kind: 'signal', at: '2025-04-02T12:00:00.000Z', name: 'status', from, data: { status: 'paid', poNumber: 'PO-000002', detail: null } },
  ]);
  assert.deepEqual(history.map((r) => r.stage), ['awaiting-approval', 'approved', 'ordered', 'approved', 'paid']);
});
