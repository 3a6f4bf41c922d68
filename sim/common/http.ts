// The HTTP shell shared by the three simulators: a lean fastify instance behind a raw fault gate, uniform
// problem+json errors, the /_sim control plane (health, faults, ledger), and `idempotentPost`, the one place
// that implements "same Idempotency-Key → same stored answer, one effect".
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { applyFaultPatch, decideFault, faultPatchSchema, NO_FAULTS, type FaultSwitch } from './faults.ts';
import { badRequest, problem, PROBLEM_CONTENT_TYPE, SimError, type Problem } from './problem.ts';
import { createRng, deriveSeed } from './prng.ts';
import type { SimStore } from './store.ts';

export type SimAppOptions = {
  name: string;
  store: SimStore;
  seed: number;
  /** Shared with the sim's other listeners (billing's MLLP), so one POST /_sim/faults drives them all. */
  faults?: FaultSwitch;
};

/** What a write handler produces: the status (201 unless said otherwise) and the JSON answer. */
export type WriteResult = { status?: number; body: Record<string, unknown> };

export function createSimApp({ name, store, seed, faults = { state: NO_FAULTS } }: SimAppOptions): FastifyInstance {
  const rng = createRng(deriveSeed(seed, `${name}:faults`));

  // The gate runs before fastify so that "down" can drop the socket before any parsing, and so that a
  // healthy sim pays one function call per request, not a hook chain.
  const gate = (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
    createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      const decision = decideFault(faults.state, req.url ?? '/', faults.state.errorRate > 0 ? rng.next() : 1);
      if (decision.action === 'reset') {
        req.socket.destroy();
        return;
      }
      const run =
        decision.action === 'pass' ? () => handler(req, res) : () => sendRawProblem(res, decision.status, decision.retryAfterSeconds);
      if (decision.delayMs > 0) setTimeout(run, decision.delayMs);
      else run();
    });

  const app = Fastify({ logger: false, serverFactory: gate, return503OnClosing: false, forceCloseConnections: true });

  // Our own JSON parser: accepts an empty body (a bare reversal POST) and skips secure-json-parse's extra
  // pass; the sims only ever talk to trusted test clients.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    if (text === '' || text === undefined) return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(new SimError(400, 'request body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof SimError) return sendProblem(reply, err.toProblem());
    const status = (err as { statusCode?: number }).statusCode;
    const message = err instanceof Error ? err.message : String(err);
    if (status !== undefined && status >= 400 && status < 500) return sendProblem(reply, problem(status, message));
    return sendProblem(reply, problem(500, `${name} simulator failed: ${message}`));
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem(404, `no route for ${req.method} ${req.url}`)));

  app.get('/_sim/health', async () => ({ status: 'ok', sim: name, seed, persistent: store.persistent }));

  app.get('/_sim/faults', async () => faults.state);
  app.post('/_sim/faults', async (req) => {
    faults.state = applyFaultPatch(faults.state, parseBody(faultPatchSchema, req.body ?? {}));
    return faults.state;
  });

  const ledgerQuery = z.object({
    since: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).optional(),
    kind: z.string().min(1).optional(),
  });
  app.get('/_sim/ledger', async (req) => {
    const q = parseQuery(ledgerQuery, req.query);
    return { entries: store.ledger(q.since, q.limit, q.kind) };
  });

  return app;
}

/**
 * Registers a POST that requires an Idempotency-Key. Keys are scoped to the request path, so one key
 * reused on another endpoint is another request. Only 2xx answers are remembered: a refusal (thrown
 * SimError) leaves no trace, and the same key can succeed once the data is fixed. The handler must be
 * synchronous and must check before it mutates, which makes check-remember atomic on Node's one thread;
 * the answer waits for the commit, so nothing is acknowledged that a restart would forget.
 */
export function idempotentPost(
  app: FastifyInstance,
  store: SimStore,
  path: string,
  handler: (req: FastifyRequest, idempotencyKey: string) => WriteResult,
): void {
  idempotentWrite(app, store, 'POST', path, handler);
}

/** `idempotentPost` for another writing method (inventory's PUT /items/:id): the same keys, scopes and replays. */
export function idempotentWrite(
  app: FastifyInstance,
  store: SimStore,
  method: 'POST' | 'PUT',
  path: string,
  handler: (req: FastifyRequest, idempotencyKey: string) => WriteResult,
): void {
  const write = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 512) {
      throw badRequest(`every ${method} needs an Idempotency-Key header (1–512 characters)`);
    }
    const q = req.url.indexOf('?');
    const scope = `${q === -1 ? req.url : req.url.slice(0, q)} ${key}`;
    const stored = store.recalled(scope);
    if (stored) {
      // The original may still be waiting for its commit: never answer ahead of the disk.
      await store.durable();
      reply.header('idempotent-replayed', 'true');
      return reply.code(stored.status).send(stored.body);
    }
    const result = store.transaction(() => {
      const r = handler(req, key);
      const status = r.status ?? 201;
      if (status >= 200 && status < 300) store.remember(scope, { status, body: r.body });
      return { status, body: r.body };
    });
    await store.durable();
    return reply.code(result.status).send(result.body);
  };
  app.route({ method, url: path, handler: write });
}

/** Validates with zod; a failure is a 400 problem listing the issues (a malformed request, not a refusal). */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw badRequest(describeIssues(parsed.error), { issues: parsed.error.issues.map(issueView) });
}

export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  return parseBody(schema, query ?? {});
}

function issueView(issue: z.core.$ZodIssue): { path: string; message: string } {
  return { path: issue.path.map(String).join('.'), message: issue.message };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
}

function sendRawProblem(res: ServerResponse, status: number, retryAfterSeconds: number | null): void {
  const body = JSON.stringify(problem(status, 'fault injected by the simulator (POST /_sim/faults)'));
  const headers: Record<string, string | number> = {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
  };
  if (retryAfterSeconds !== null) headers['retry-after'] = retryAfterSeconds;
  res.writeHead(status, headers);
  res.end(body);
}

/** Listens and returns the base URL ("http://127.0.0.1:43121"). */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const h = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${h}:${address.port}`;
}
