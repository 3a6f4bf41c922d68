// The hub's HTTP server (fastify): /v1 API behind bearer tokens; /healthz, /readyz and /metrics open.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { invalid } from '../core/errors.ts';
import { createAuth } from './auth.ts';
import type { ApiContext } from './context.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { eventRoutes } from './routes/events.ts';
import { exceptionRoutes } from './routes/exceptions.ts';
import { messageRoutes } from './routes/messages.ts';
import { fhirRoutes } from './routes/fhir.ts';
import { operationRoutes } from './routes/operations.ts';
import { masterDataRoutes } from './routes/masterdata.ts';
import { sessionRoutes } from './routes/session.ts';
import { searchRoutes } from './routes/search.ts';
import { traceRoutes } from './routes/trace.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { workflowRoutes } from './routes/workflows.ts';
import { x12Routes } from './routes/x12.ts';
import { overviewRoutes } from './routes/overview.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    /** Set when the body was not JSON: the route decides (the events route keeps it as a refused message). */
    bodyError?: string;
  }
}


const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));
const RUNBOOKS_DIR = fileURLToPath(new URL('../../docs/runbooks/', import.meta.url));

export function buildApi(ctx: ApiContext, log: Logger): FastifyInstance {
  // Fastify's own request logging stays off: the hot path logs nothing, and errors are logged by errorHandler.
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  // The raw bytes are kept: the message is stored exactly as received (the replay source), and a body that is not
  // JSON is refused by the route that receives it, which keeps it too (see parseJsonBody).
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, (body as Buffer).length === 0 ? undefined : JSON.parse((body as Buffer).toString('utf8')));
    } catch (e) {
      request.bodyError = `the body is not valid JSON: ${(e as Error).message}`;
      done(null, undefined);
    }
  });
  app.setErrorHandler(errorHandler(log));
  // Routes other than ingest simply refuse a body that is not JSON; ingest routes keep it as a refused message.
  const keepsRefusedBodies = new Set(['/v1/events', '/v1/webhooks/:name']);
  app.addHook('preValidation', async (request) => {
    if (request.bodyError && !keepsRefusedBodies.has(request.routeOptions.url ?? '')) throw invalid(request.bodyError, [{ path: '/', message: 'invalid JSON' }]);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, 'not-found', `no route ${request.method} ${request.url}`));

  app.register(fastifyCookie);
  // The console acts with its user's session: no other site may frame it, and it runs and loads nothing from
  // elsewhere (its icon is a data: URI; the styles React sets go through the DOM, which the policy allows).
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    }
  });
  // The operations console (src/console, built into dist/console by `npm install`) is served at `/`; its screens are
  // routed in the page (#/…), so `/` is the only document. Without a build, `/` says where everything is.
  if (existsSync(CONSOLE_DIR)) app.register(fastifyStatic, { root: CONSOLE_DIR, prefix: '/', index: 'index.html', wildcard: false });
  else app.get('/', async () => ({
    console: 'not built: run npm install (it builds src/console into dist/console)',
    name: 'tendon',
    api: '/v1 (bearer token)',
    endpoints: ['POST /v1/events', 'POST /v1/webhooks/{name} (signed)', 'GET /v1/trace/{correlationId}', 'GET /v1/deliveries', 'POST /v1/deliveries/{id}/replay', 'POST /v1/replay',
      'GET /v1/exceptions', 'POST /v1/exceptions/{id}/release', 'GET /v1/destinations', 'POST /v1/xrefs', 'GET /v1/stock',
      'GET /v1/workflows', 'POST /v1/workflows/{type}/{key}/decisions', 'GET /v1/purchase-orders/{number}', 'GET /v1/accruals'],
    health: '/healthz', ready: '/readyz', metrics: '/metrics',
  }));
  // The runbooks every alert names, readable from the console's alert links.
  app.register(fastifyStatic, { root: RUNBOOKS_DIR, prefix: '/docs/runbooks/', decorateReply: false, setHeaders: (res) => res.header('content-type', 'text/markdown; charset=utf-8') });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      const applied = await ctx.store.migrationsApplied();
      return { status: 'ready', store: ctx.store.kind, migrations: applied };
    } catch (e) {
      return reply.code(503).send({ status: 'not ready', reason: (e as Error).message });
    }
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()));

  const auth = createAuth(ctx.store);
  sessionRoutes(app, ctx, auth);
  eventRoutes(app, ctx, auth);
  traceRoutes(app, ctx, auth);
  searchRoutes(app, ctx, auth);
  deliveryRoutes(app, ctx, auth);
  exceptionRoutes(app, ctx, auth);
  messageRoutes(app, ctx, auth);
  fhirRoutes(app, ctx, auth);
  operationRoutes(app, ctx, auth);
  masterDataRoutes(app, ctx, auth);
  workflowRoutes(app, ctx, auth);
  webhookRoutes(app, ctx); // no token: a webhook is authenticated by its signature
  x12Routes(app, ctx, auth, log);
  overviewRoutes(app, ctx, auth);
  return app;
}
