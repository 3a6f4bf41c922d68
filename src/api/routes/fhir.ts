// FHIR R4 inbound: POST a SupplyDelivery, SupplyRequest or ChargeItem (or a batch/transaction Bundle of them) to
// /fhir/r4; GET /fhir/r4/metadata for the CapabilityStatement. Validation against the R4 definitions and the
// mapping are the codec's (pure); this route stores, answers and keeps refused bodies like every channel does.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  bundleResponse, capabilityStatement, decodeFhir, issue, operationOutcome, successOutcome, type EntryResult, type OperationOutcome,
} from '../../codecs/fhir/index.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';

const FHIR_JSON = 'application/fhir+json';

const send = (reply: FastifyReply, status: number, resource: unknown) => reply.code(status).type(FHIR_JSON).send(resource);

export function fhirRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.addContentTypeParser([FHIR_JSON, 'application/fhir+xml', 'application/xml'], { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });

  app.get('/fhir/r4/metadata', async (request, reply) =>
    send(reply, 200, capabilityStatement({
      baseUrl: `${request.protocol}://${request.host}/fhir/r4`, software: { name: 'Tendon', version: '0.1.0' }, now: new Date().toISOString(),
    })));

  const receive = async (request: FastifyRequest, reply: FastifyReply, type?: string) => {
    const actor = request.actor!;
    const raw = request.rawBody ?? Buffer.from(JSON.stringify(request.body ?? null));
    const received = { channel: 'http:/fhir/r4', sourceSystem: `fhir:${actor.name}`, sourceId: null, contentType: FHIR_JSON, raw };
    const decoded = decodeFhir(raw, { sourceSystem: received.sourceSystem, defaultFacility: ctx.config.fhir.defaultFacility });
    const refuse = async (status: number, outcome: OperationOutcome) => {
      await ctx.pipeline.refuse(received, `${status} ${outcome.issue.map((i) => i.diagnostics).join('; ').slice(0, 500)}`);
      ctx.metrics.messagesIn.inc({ channel: 'fhir-api', result: String(status) });
      return send(reply, status, outcome);
    };
    if (!decoded.ok) return refuse(decoded.status, decoded.outcome);
    // POST /fhir/r4/ChargeItem must carry a ChargeItem: a body of another type is the sender's mistake, said plainly.
    if (type && (decoded.bundleType || decoded.entries.some((e) => e.resourceType !== type))) {
      return refuse(400, operationOutcome([issue('invalid', `this endpoint takes ${type} resources; the body is not one`, ['resourceType'])]));
    }
    const results = decoded.events.length > 0 ? await ctx.pipeline.ingest({ ...received, events: decoded.events }) : [];
    ctx.metrics.messagesIn.inc({ channel: 'fhir-api', result: 'accepted' });
    const location = (id: string) => `/v1/events/${id}`;
    if (!decoded.bundleType) {
      const r = results[0]!;
      reply.header('location', location(r.id));
      return send(reply, r.duplicate ? 200 : 201, successOutcome({ duplicate: r.duplicate, location: location(r.id) }));
    }
    const entries: EntryResult[] = [
      ...decoded.entries.map((e, i) => ({ index: e.index, status: results[i]!.duplicate ? ('duplicate' as const) : ('created' as const), location: location(results[i]!.id) })),
      ...decoded.failures.map((f) => ({ index: f.index, status: f.status, outcome: f.outcome })),
    ];
    return send(reply, 200, bundleResponse(decoded.bundleType, entries));
  };

  app.post('/fhir/r4', { preHandler: auth.require('operator') }, (request, reply) => receive(request, reply));
  app.post<{ Params: { type: string } }>('/fhir/r4/:type', { preHandler: auth.require('operator') }, (request, reply) => receive(request, reply, request.params.type));
}
