// The workflow engine against the real store (SQLite on a temporary file), with a small counting workflow in two
// versions: a running instance finishes on the version it started with while new ones start on the latest; a
// durable timer fires once, and a transaction that fails after taking it leaves it to fire again; a decision the
// instance cannot take is refused; every step is in the history with its input and effects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIORITIES, type StoredEvent } from '../core/types.ts';
import { TendonError } from '../core/errors.ts';
import { exceptionPolicies } from '../model/exceptions.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/store.ts';
import { DEFAULT_WORKFLOW_SETTINGS, type WorkflowDefinition } from '../workflows/types.ts';
import { createWorkflowEngine, type Committed } from './workflows.ts';

type Count = { version: number; ticks: number };

/** Counts its inputs; asks for a `tick` timer a minute after it starts. v2 counts the same, and says it is v2. */
const counter = (version: number): WorkflowDefinition<Count> => ({
  type: 'counter', version,
  initial: () => ({ version, ticks: 0 }),
  decisions: (s) => (s.ticks > 0 ? ['reset'] : []),
  reduce: (s, input) => {
    const next = { ...s, ticks: input.kind === 'decision' ? 0 : s.ticks + 1 };
    const effects = input.kind === 'event' ? [{ kind: 'timer' as const, name: 'tick', at: new Date(Date.parse(input.at) + 60_000).toISOString() }] : [];
    return { state: next, status: 'running', stage: `v${version}`, effects };
  },
});

const T0 = Date.parse('2026-11-21T10:00:00.000Z');

async function setup(latestVersion: () => number) {
  const store = openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'tendon-wf-')), 'tendon.db') });
  const versions = new Map([[1, counter(1)], [2, counter(2)]]);
  const engine = createWorkflowEngine({
    definitions: {
      definition: (_type, version) => versions.get(version)! as WorkflowDefinition<unknown>,
      latest: () => versions.get(latestVersion())! as WorkflowDefinition<unknown>,
    },
    settings: () => DEFAULT_WORKFLOW_SETTINGS, policies: exceptionPolicies(),
    route: async () => [], insert: async () => [], emit: async () => { throw new Error('the counter emits nothing'); },
  });
  const at = new Date(T0).toISOString();
  const origin = (id: string): StoredEvent => ({
    id, type: 'requisition.created', schemaVersion: 1, messageId: 'm1', sourceSystem: 'test', idempotencyKey: id, correlationId: id, causationId: null,
    partitionKey: 'p', priority: PRIORITIES.normal, facility: 'F1', occurredAt: at, recordedAt: at, revision: 1, revisionOf: null, status: 'accepted', payload: {},
  });
  await store.write(async (tx) => {
    await tx.insertMessage({ id: 'm1', channel: 'test', sourceSystem: 'test', sourceId: null, contentType: 'application/json', receivedAt: at, raw: new Uint8Array(1), error: null });
    for (const id of ['e1', 'e2']) await tx.insertEvent(origin(id));
  });
  const out = (): Committed => ({ deliveries: [], events: [] });
  const start = (key: string, event: string) => store.write((tx) => engine.signal(tx, origin(event), [{ workflow: 'counter', key, start: true, data: {} }], out()));
  return { store, engine, start, out };
}

const instance = (store: Store, key: string) => store.getWorkflow('counter', key);

test('a running instance finishes on the version it started with; a new one starts on the latest', async () => {
  let latest = 1;
  const { store, engine, start, out } = await setup(() => latest);
  await start('a', 'e1');
  latest = 2; // version 2 ships while `a` runs
  await store.write((tx) => engine.fireTimers(tx, T0 + 61_000, 100, out()));
  await start('b', 'e2');
  const a = (await instance(store, 'a'))!;
  assert.deepEqual([a.version, a.stage, (a.state as Count).version, (a.state as Count).ticks], [1, 'v1', 1, 2], 'a stayed on v1 for its timer step');
  assert.deepEqual((await store.workflowSteps('counter', 'a')).map((s) => [s.seq, s.version, (s.input as { kind: string }).kind]), [[1, 1, 'event'], [2, 1, 'timer']]);
  const b = (await instance(store, 'b'))!;
  assert.deepEqual([b.version, b.stage], [2, 'v2']);
  await store.close();
});

test('a durable timer fires once, at its time; a transaction that fails after taking it leaves it to fire again', async () => {
  const { store, engine, start, out } = await setup(() => 1);
  await start('a', 'e1');
  assert.equal(await store.nextTimerDue(), T0 + 60_000);
  assert.equal(await store.write((tx) => engine.fireTimers(tx, T0 + 59_999, 100, out())), 0, 'not before it is due');
  // A crash between taking the timer and committing: the job throws, its writes roll back.
  await assert.rejects(store.write(async (tx) => {
    await engine.fireTimers(tx, T0 + 60_000, 100, out());
    throw new Error('the process died here');
  }));
  assert.equal((await instance(store, 'a'))!.steps, 1, 'the failed step left nothing');
  assert.equal(await store.write((tx) => engine.fireTimers(tx, T0 + 60_500, 100, out())), 1, 'it fires after the failure');
  assert.equal(await store.write((tx) => engine.fireTimers(tx, T0 + 120_000, 100, out())), 0, 'and never again');
  assert.equal((await instance(store, 'a'))!.steps, 2);
  assert.equal(await store.nextTimerDue(), null);
  await store.close();
});

test('a decision the instance cannot take now is refused; one it can is a step in its history', async () => {
  const { store, engine, start, out } = await setup(() => 1);
  const decide = (decision: string) => store.write((tx) => engine.decide(tx, 'counter', 'a', { decision, actor: 'ann', reason: null, exceptionId: null }, new Date(T0).toISOString(), out()));
  await assert.rejects(decide('reset'), (e: TendonError) => e.status === 404, 'no such instance yet');
  await start('a', 'e1');
  await assert.rejects(decide('approve'), (e: TendonError) => e.status === 409 && /not a decision/.test(e.message));
  const after = await decide('reset');
  assert.equal((after.state as Count).ticks, 0);
  assert.deepEqual((await store.workflowSteps('counter', 'a')).map((s) => (s.input as { kind: string }).kind), ['event', 'decision']);
  await store.close();
});
