// The procurement tool simulator over real HTTP. The hub's public API (POST /v1/events) is played by a small
// node:http server in the test that records what it receives and answers as told (503 first, a 400 problem…):
// that is the contract the tool is written against, not a stand-in for anything running in this process.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, post } from '../common/test-client.ts';
import { overallStatus, type Requisition, type RequisitionLine } from './requisitions.ts';
import { startProcurement, type ProcurementHandle } from './server.ts';

const TOKEN = 'hub-token-7';
const QUICK_RETRY = { baseMs: 20, capMs: 100, timeoutMs: 2000 };
const quiet = () => {};

type Received = { headers: IncomingHttpHeaders; body: any };
type Answer = { status: number; body?: unknown };

/** The hub's POST /v1/events: records every request; answers the queued answers first, then 202. */
async function startHub(answers: Answer[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/events') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(text);
      received.push({ headers: req.headers, body });
      const answer = answers.shift() ?? { status: 202, body: { results: body.map((e: { idempotencyKey: string }) => ({ key: e.idempotencyKey, duplicate: false })) } };
      const type = answer.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type }).end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const requisition = (lines = 2) => ({
  facility: 'FAC-A',
  requester: 'Dana Whitfield',
  priority: 'urgent',
  lines: [
    { itemId: 'ITM-00017', quantity: 4, uom: 'EA', locationId: 'LOC-A-OR1', costCenterId: 'CC-A-7010' },
    { itemId: 'ITM-00003', quantity: 2, uom: 'BX', locationId: 'LOC-A-OR1' },
    { itemId: 'ITM-00042', quantity: 1, uom: 'CS', locationId: 'LOC-A-ICU' },
  ].slice(0, lines),
});

const read = async (sim: ProcurementHandle, number: string): Promise<Requisition> => (await get(sim.url, `/requisitions/${number}`)).body;
const sent = (sim: ProcurementHandle, number: string) =>
  until(`${number} sent`, async () => {
    const r = await read(sim, number);
    return r.submission.state === 'waiting' ? undefined : r;
  });

test('a requisition waits for the hub, then goes as one requisition.created per line, retried through a 503', async () => {
  const hub = await startHub([{ status: 503, body: { title: 'unavailable' } }]);
  const sim = await startProcurement({ seed: 7, retry: QUICK_RETRY, log: quiet });
  try {
    const created = await post(sim.url, '/requisitions', requisition(), 'ui-1');
    assert.equal(created.status, 201);
    assert.equal(created.body.requisitionNumber, 'PRQ-000001');
    assert.equal(created.body.status, 'submitted');
    assert.equal(created.body.submission.state, 'waiting');
    assert.deepEqual(created.body.lines.map((l: RequisitionLine) => [l.line, l.status, l.costCenterId]), [['1', 'submitted', 'CC-A-7010'], ['2', 'submitted', null]]);

    await sleep(100);
    assert.equal(hub.received.length, 0, 'nothing is sent before the tool knows where the hub is');
    sim.connect(hub.url, TOKEN);
    const r = await sent(sim, 'PRQ-000001');
    assert.equal(r.submission.state, 'sent');
    assert.equal(r.submission.attempts, 2);
    assert.equal(hub.received.length, 2, 'the 503 was retried once');
    assert.deepEqual(hub.received[1]!.body, hub.received[0]!.body, 'a retry sends the very same events');
    assert.equal(hub.received[0]!.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(hub.received[1]!.body, [
      {
        type: 'requisition.created', idempotencyKey: 'PRQ-000001:1', occurredAt: created.body.createdAt, facility: 'FAC-A',
        source: { system: 'procurement' },
        payload: {
          item: { system: 'erp', code: 'ITM-00017' }, quantity: { value: 4, unit: 'EA' }, location: 'LOC-A-OR1', priority: 'urgent',
          requisitionNumber: 'PRQ-000001', line: '1', costCenterId: 'CC-A-7010', requester: 'Dana Whitfield',
        },
      },
      {
        type: 'requisition.created', idempotencyKey: 'PRQ-000001:2', occurredAt: created.body.createdAt, facility: 'FAC-A',
        source: { system: 'procurement' },
        payload: {
          item: { system: 'erp', code: 'ITM-00003' }, quantity: { value: 2, unit: 'BX' }, location: 'LOC-A-OR1', priority: 'urgent',
          requisitionNumber: 'PRQ-000001', line: '2', costCenterId: null, requester: 'Dana Whitfield',
        },
      },
    ]);

    // The same Idempotency-Key from the tool's UI (a double click) is the same requisition, submitted once.
    const again = await post(sim.url, '/requisitions', requisition(), 'ui-1');
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.requisitionNumber, 'PRQ-000001');
    await sleep(50);
    assert.equal(hub.received.length, 2);
    assert.equal((await get(sim.url, '/requisitions')).body.data.length, 1);
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('a requisition the hub refuses (400 problem) is marked refused with its detail and not sent again', async () => {
  const problem = {
    type: 'https://tendon.dev/problems/invalid', title: 'invalid', status: 400, detail: '1 invalid field(s); nothing was stored',
    errors: [{ path: '/0/payload/quantity/value', message: 'Too big' }],
  };
  const hub = await startHub([{ status: 400, body: problem }]);
  const sim = await startProcurement({ retry: QUICK_RETRY, log: quiet, hub: { url: hub.url, token: TOKEN } });
  try {
    const created = await post(sim.url, '/requisitions', requisition(1), 'ui-refused');
    const r = await sent(sim, created.body.requisitionNumber);
    assert.equal(r.status, 'refused');
    assert.equal(r.submission.state, 'refused');
    assert.deepEqual(r.submission.refusal, { status: 400, detail: '1 invalid field(s); nothing was stored; /0/payload/quantity/value: Too big' });
    assert.equal(r.history.at(-1)!.status, 'refused');
    await sleep(100);
    assert.equal(hub.received.length, 1);
    assert.deepEqual((await get(sim.url, '/requisitions?status=refused')).body.data.map((x: Requisition) => x.requisitionNumber), [r.requisitionNumber]);
  } finally {
    await sim.close();
    await hub.close();
  }
});

test('status updates: per line and whole requisition, idempotent, never backwards; overall = least advanced line', async () => {
  const sim = await startProcurement({ log: quiet });
  try {
    const { body: created } = await post(sim.url, '/requisitions', requisition(2), 'ui-2');
    const n = created.requisitionNumber as string;
    const status = (body: Record<string, unknown>, key: string) => post(sim.url, `/requisitions/${n}/status`, { requisitionNumber: n, ...body }, key);

    const first = await status({ line: null, status: 'approved', at: '2026-11-21T10:00:00-05:00', detail: 'budget ok' }, 'h-1');
    assert.equal(first.status, 201);
    assert.equal(first.body.status, 'approved');
    const ordered = await status({ line: '1', status: 'ordered', poNumber: 'PO-4500012345', at: '2026-11-21T10:05:00-05:00' }, 'h-2');
    assert.equal(ordered.body.status, 'approved', 'line 2 is still only approved');
    const replay = await status({ line: '1', status: 'ordered', poNumber: 'PO-4500012345', at: '2026-11-21T10:05:00-05:00' }, 'h-2');
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, ordered.body);
    await status({ line: '2', status: 'shipped', poNumber: 'PO-4500012345', at: '2026-11-21T12:00:00-05:00' }, 'h-3');
    await status({ line: '1', status: 'received', at: '2026-11-22T09:00:00-05:00' }, 'h-4');
    // A late, less advanced update is history, not a step back.
    await status({ line: '2', status: 'acknowledged', at: '2026-11-21T11:00:00-05:00' }, 'h-5');

    const r = await read(sim, n);
    assert.deepEqual(r.lines.map((l) => [l.line, l.status, l.poNumber, l.statusAt]), [
      ['1', 'received', 'PO-4500012345', '2026-11-22T09:00:00-05:00'],
      ['2', 'shipped', 'PO-4500012345', '2026-11-21T12:00:00-05:00'],
    ]);
    assert.equal(r.status, 'shipped');
    assert.deepEqual(r.history.map((h) => [h.by, h.line, h.status]), [
      ['tool', null, 'submitted'], ['hub', null, 'approved'], ['hub', '1', 'ordered'], ['hub', '2', 'shipped'], ['hub', '1', 'received'], ['hub', '2', 'acknowledged'],
    ], 'the replayed key added no entry');
    assert.equal(r.history[1]!.detail, 'budget ok');
    const { entries } = (await get(sim.url, '/_sim/ledger?kind=status')).body;
    assert.equal(entries.length, 5);

    assert.deepEqual((await get(sim.url, '/requisitions?status=shipped')).body.data.map((x: Requisition) => x.requisitionNumber), [n]);
    assert.deepEqual((await get(sim.url, '/requisitions?status=approved')).body.data, []);
    assert.equal((await get(sim.url, '/requisitions?status=lost')).status, 400);

    assert.equal((await post(sim.url, '/requisitions/PRQ-999999/status', { requisitionNumber: 'PRQ-999999', status: 'paid', at: '2026-11-21T10:00:00Z' }, 'h-6')).status, 404);
    assert.equal((await status({ line: '3', status: 'paid', at: '2026-11-21T10:00:00Z' }, 'h-7')).status, 404);
    assert.equal((await status({ status: 'lost', at: '2026-11-21T10:00:00Z' }, 'h-8')).status, 400);
    assert.equal((await status({ status: 'paid', at: 'yesterday' }, 'h-9')).status, 400);
    assert.equal((await post(sim.url, `/requisitions/${n}/status`, { requisitionNumber: 'PRQ-000777', status: 'paid', at: '2026-11-21T10:00:00Z' }, 'h-10')).status, 400);
    assert.equal((await post(sim.url, `/requisitions/${n}/status`, { requisitionNumber: n, status: 'paid', at: '2026-11-21T10:00:00Z' })).status, 400, 'no Idempotency-Key');
    assert.equal((await get(sim.url, '/requisitions/PRQ-999999')).status, 404);
    assert.equal((await read(sim, n)).history.length, 6, 'refused updates leave no trace');
  } finally {
    await sim.close();
  }
});

test('a malformed requisition is a 400', async () => {
  const sim = await startProcurement({ log: quiet });
  try {
    assert.equal((await post(sim.url, '/requisitions', { ...requisition(), lines: [] }, 'k-1')).status, 400);
    assert.equal((await post(sim.url, '/requisitions', { ...requisition(), priority: 'whenever' }, 'k-2')).status, 400);
    assert.equal((await post(sim.url, '/requisitions', requisition())).status, 400, 'no Idempotency-Key');
    assert.deepEqual((await get(sim.url, '/requisitions')).body.data, []);
  } finally {
    await sim.close();
  }
});

test('overall status: closed lines never hold a requisition back; all closed is rejected or cancelled', () => {
  const of = (...statuses: RequisitionLine['status'][]) =>
    overallStatus({ submission: { state: 'sent', attempts: 1, lastError: null, sentAt: null, refusal: null }, lines: statuses.map((status) => ({ status }) as RequisitionLine) });
  assert.equal(of('paid', 'cancelled'), 'paid');
  assert.equal(of('rejected', 'approved'), 'approved');
  assert.equal(of('backordered', 'shipped', 'invoiced'), 'backordered');
  assert.equal(of('rejected', 'cancelled'), 'rejected');
  assert.equal(of('cancelled', 'cancelled'), 'cancelled');
  assert.equal(of('submitted', 'paid'), 'submitted');
});

test('a restarted tool keeps its unsent requisitions and its numbering, and sends them once connected', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'procurement-')), 'procurement.sqlite');
  const first = await startProcurement({ stateFile, log: quiet });
  await post(first.url, '/requisitions', requisition(1), 'r-1');
  await post(first.url, '/requisitions', requisition(3), 'r-2');
  await first.close();

  const hub = await startHub();
  const second = await startProcurement({ stateFile, retry: QUICK_RETRY, log: quiet });
  try {
    assert.equal((await read(second, 'PRQ-000002')).submission.state, 'waiting');
    const third = await post(second.url, '/requisitions', requisition(1), 'r-3');
    assert.equal(third.body.requisitionNumber, 'PRQ-000003');
    second.connect(hub.url, TOKEN);
    await sent(second, 'PRQ-000003');
    assert.deepEqual(hub.received.map((r) => r.body.map((e: { idempotencyKey: string }) => e.idempotencyKey)), [
      ['PRQ-000001:1'], ['PRQ-000002:1', 'PRQ-000002:2', 'PRQ-000002:3'], ['PRQ-000003:1'],
    ], 'oldest first, each once');
    assert.equal((await read(second, 'PRQ-000001')).submission.state, 'sent');
  } finally {
    await second.close();
    await hub.close();
  }
});
