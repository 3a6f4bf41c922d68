// The live overview and alerts (docs/monitoring.md): the overview as JSON, and as server-sent events every second
// for the console's charts; the inbound channels; alerts firing or past; acknowledging one (which stops its escalation). Every stream is fed
// by the one monitor (engine/monitor.ts): a listener gets the JSON it already made, so a hundred open consoles cost
// a hundred writes a second, not a hundred overviews.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TendonError } from '../../core/errors.ts';
import type { Monitor } from '../../engine/monitor.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseInput } from '../problem.ts';

/** A comment line now and then keeps proxies and load balancers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const AlertsQuery = z.object({
  state: z.enum(['firing', 'all']).default('firing'),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});
const AcknowledgeBody = z.object({ note: z.string().trim().min(1).max(2000).optional() });

export function overviewRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  const viewer = { preHandler: auth.require('viewer') };
  const operator = { preHandler: auth.require('operator') };
  const monitor = (): Monitor => {
    if (!ctx.monitor) throw new TendonError('monitor-not-running', 'transient', 503, 'the monitor is not running in this hub');
    return ctx.monitor;
  };

  app.get('/v1/overview', viewer, async () => monitor().current());

  // Open streams, ended when the server closes (an open stream would otherwise keep it from closing).
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of streams) end();
    done();
  });

  app.get('/v1/overview/stream', viewer, (request, reply) => {
    const m = monitor();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: pass each event on as it comes
    });
    res.write('retry: 2000\n\n');
    // A client that does not keep up skips overviews until it has drained: each one is whole, so nothing is lost
    // but the ones it could not have drawn anyway, and the hub never buffers for it.
    let congested = false;
    const write = (json: string) => {
      if (!congested) congested = !res.write(`event: overview\ndata: ${json}\n\n`);
    };
    res.on('drain', () => (congested = false));
    write(m.currentJson());
    const unsubscribe = m.subscribe(write);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(end);
      res.end();
    };
    streams.add(end);
    res.on('close', end);
  });

  // The inbound channels as the Channels screen lists them: the overview's figures, and where each one listens.
  app.get('/v1/channels', viewer, async () => ({
    data: monitor().current().channels.map((c) => ({
      name: c.name, kind: c.kind, status: c.status, listening: whereListening(ctx, c.name), received: c.totalMessages, refused: c.totalErrors,
      messagesPerSecond: c.messagesPerSecond, p95CommitMs: c.p95CommitMs,
    })),
  }));

  app.get('/v1/alerts', viewer, async (request) => {
    const q = parseInput(AlertsQuery, request.query, 'invalid parameters');
    return { data: await monitor().alerts(q.state, q.limit) };
  });

  app.post<{ Params: { id: string } }>('/v1/alerts/:id/acknowledge', operator, async (request) => {
    const body = parseInput(AcknowledgeBody, request.body, 'invalid acknowledgment');
    return monitor().acknowledge(request.params.id, request.actor!.name, body.note);
  });
}

/** Where a configured channel takes its input, in words (the built-in HTTP doors have their paths). */
function whereListening(ctx: ApiContext, name: string): string | undefined {
  const c = ctx.config.inbound.find((x) => x.name === name);
  if (!c) return { 'events-api': 'POST /v1/events', 'fhir-api': 'POST /fhir/r4' }[name];
  switch (c.kind) {
    case 'mllp': return `mllp://${c.host}:${c.port}`;
    case 'csv': return c.path;
    case 'x12': return `POST /v1/x12/${c.name}${c.folder ? ` and ${c.folder.path}` : ''}`;
    case 'webhook': return `POST /v1/webhooks/${c.name}`;
    case 'nats': return `${c.stream} on ${c.url}`;
  }
}
