// The procurement tool simulator: a hospital's e-procurement front end, where people enter requisitions. It numbers
// each one (PRQ-000001), submits it to the hub as requisition.created events (submitter.ts: kept until the hub
// takes them), and takes the hub's status updates back (approved, ordered, shipped, … paid), per line, keeping
// the history a buyer would look at. The rules live in requisitions.ts; this file is the HTTP around them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createSimApp, idempotentPost, parseBody, parseQuery } from '../common/http.ts';
import { badRequest, notFound } from '../common/problem.ts';
import { seedOnce, serve, type SimHandle, type SimStartOptions } from '../common/runtime.ts';
import { nonEmpty } from '../common/schemas.ts';
import { SimStore } from '../common/store.ts';
import { DEFAULT_SEED } from '../network/build.ts';
import {
  applyStatus, createRequisition, newRequisitionSchema, REQUISITION_STATUSES, statusUpdateSchema, type Requisition,
} from './requisitions.ts';
import { createSubmitter, REQUISITIONS, type RetryPolicy, type Submitter } from './submitter.ts';

export type ProcurementOptions = {
  seed?: number;
  store?: SimStore;
  /** The hub's base URL and bearer token, when known at start (else `connect` later). */
  hub?: { url: string; token: string };
  retry?: Partial<RetryPolicy>;
  log?: (line: string) => void;
};

export type ProcurementSim = {
  app: FastifyInstance;
  store: SimStore;
  submitter: Submitter;
  /** Starts (or redirects) submissions: `POST {hubUrl}/v1/events` with `Authorization: Bearer {token}`. */
  connect(hubUrl: string, token: string): void;
};

export function createProcurementSim(options: ProcurementOptions = {}): ProcurementSim {
  const seed = options.seed ?? DEFAULT_SEED;
  const store = options.store ?? new SimStore();
  // Nothing is seeded (requisitions are what people enter); the seed is recorded like every sim's.
  seedOnce(store, seed, () => {});
  const app = createSimApp({ name: 'procurement', store, seed });
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const submitter = createSubmitter({ store, retry: options.retry, log });
  if (options.hub) submitter.connect(options.hub.url, options.hub.token);
  const requisitionOf = (number: string): Requisition => {
    const r = store.get<Requisition>(REQUISITIONS, number);
    if (!r) throw notFound(`no requisition ${number} in the procurement tool`);
    return r;
  };

  idempotentPost(app, store, '/requisitions', (req) => {
    const input = parseBody(newRequisitionSchema, req.body);
    const r = createRequisition(input, store.nextId('PRQ'), new Date().toISOString());
    store.put(REQUISITIONS, r.requisitionNumber, r);
    submitter.add(r.requisitionNumber);
    return { body: r };
  });

  // The hub's status updates: one ledger entry (kind "status") each; the same Idempotency-Key again changes nothing.
  idempotentPost(app, store, '/requisitions/:number/status', (req, idempotencyKey) => {
    const { number } = req.params as { number: string };
    const update = parseBody(statusUpdateSchema, req.body);
    if (update.requisitionNumber !== number) {
      const message = `requisitionNumber "${update.requisitionNumber}" is not the requisition of the path (${number})`;
      throw badRequest(message, { issues: [{ path: 'requisitionNumber', message }] });
    }
    const next = applyStatus(requisitionOf(number), update, new Date().toISOString());
    const id = store.nextId('RS');
    store.put(REQUISITIONS, number, next);
    store.append({ id, kind: 'status', idempotencyKey, body: req.body });
    return {
      body: {
        id, requisitionNumber: number, status: next.status,
        lines: next.lines.map((l) => ({ line: l.line, status: l.status, poNumber: l.poNumber })),
      },
    };
  });

  app.get('/requisitions/:number', async (req) => requisitionOf((req.params as { number: string }).number));

  const listQuery = z.object({ status: z.enum(REQUISITION_STATUSES as [string, ...string[]]).optional() });
  app.get('/requisitions', async (req) => {
    const { status } = parseQuery(listQuery, req.query);
    const data = store
      .all<Requisition>(REQUISITIONS)
      .filter((r) => status === undefined || r.status === status)
      .sort((a, b) => a.requisitionNumber.length - b.requisitionNumber.length || (a.requisitionNumber < b.requisitionNumber ? -1 : 1));
    return { data };
  });

  // Control plane: point the tool at the hub from outside the process (a hub started after the simulators).
  const hubBody = z.object({ url: z.url(), token: nonEmpty });
  app.post('/_sim/hub', async (req) => {
    const { url, token } = parseBody(hubBody, req.body);
    submitter.connect(url, token);
    return { connected: true, url, waiting: submitter.waiting() };
  });
  app.get('/_sim/hub', async () => ({ connected: submitter.connected, waiting: submitter.waiting() }));

  return { app, store, submitter, connect: (url, token) => submitter.connect(url, token) };
}

export type ProcurementHandle = SimHandle & { connect(hubUrl: string, token: string): void };

export async function startProcurement(
  options: SimStartOptions & Omit<ProcurementOptions, 'store' | 'seed'> = {},
): Promise<ProcurementHandle> {
  const store = new SimStore(options.stateFile);
  const sim = createProcurementSim({ ...options, store });
  const handle = await serve('procurement', sim.app, store, options).catch(async (err: unknown) => {
    await sim.submitter.close();
    throw err;
  });
  return {
    ...handle,
    connect: sim.connect,
    close: async () => {
      await sim.submitter.close();
      await handle.close();
    },
  };
}
