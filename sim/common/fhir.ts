// The simulators' FHIR R4 door, for one resource type at [base]/{type}:
//  - POST: a create, conditional on `If-None-Exist: identifier=<system>|<value>`: when a resource already has that
//    identifier, the answer is 200 with it and nothing new is booked (a client's retry is never a second effect);
//  - GET /{id}: the resource as stored;
//  - PUT /{id}, or PUT ?identifier=<system>|<value> (a conditional update): only to withdraw a resource (status
//    entered-in-error), which undoes its booking once; the same withdrawal again changes nothing.
// Each sim brings how a resource is read and booked (through the same checks and ledger as its REST door) and how a
// booking is undone; the door keeps the resources, their identifiers and the answers. Refusals are
// OperationOutcomes: 400 for a resource the sim cannot read, 422 for a business rule, 404 for an unknown id.
// Own code: the simulators know FHIR as any receiving system does, never through Tendon.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { badRequest, notFound, refuse, SimError } from './problem.ts';
import type { SimStore } from './store.ts';

const FHIR_JSON = 'application/fhir+json';

/** A resource as received: JSON, read defensively (the door checks its type and identifier; the sim the rest). */
export type FhirResource = {
  resourceType: string;
  id?: string;
  status?: string;
  identifier?: { system?: string; value?: string }[];
  meta?: { versionId?: string; lastUpdated?: string };
  [element: string]: unknown;
};

type FhirDoorSpec = {
  type: string;
  /** Checks and books a resource; throws a SimError (400 / 422) before mutating. Returns the id of what it booked. */
  book(resource: FhirResource, key: string): string;
  /** Undoes the booking behind a resource; throws a SimError (422) when it cannot. */
  withdraw(id: string, key: string): void;
  /** The FHIRPath of the element a field of the sim's own body came from, for a 400's issue. */
  expressionOf?(field: string): string | undefined;
};

/** `system|value` with FHIR search escapes (\| \, \$ \\) undone; a value without a system matches any system. */
function token(search: string): string {
  const at = search.search(/(?<!\\)\|/);
  const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
  return at === -1 ? `|${unescape(search)}` : `${unescape(search.slice(0, at))}|${unescape(search.slice(at + 1))}`;
}

/** The identifier a conditional create or update searches by: `identifier=<system>|<value>` and nothing else. */
function searchedIdentifier(query: string): string {
  const params = new URLSearchParams(query);
  const identifier = params.get('identifier');
  if (!identifier || [...params.keys()].some((k) => k !== 'identifier')) {
    throw badRequest(`this server searches by identifier only (identifier=<system>|<value>), not "${query}"`);
  }
  return token(identifier);
}

function outcome(err: SimError, expressionOf: FhirDoorSpec['expressionOf']) {
  const code = err.status === 422 ? 'business-rule' : err.status === 404 ? 'not-found' : 'invalid';
  const issues = (err.extra.issues as { path: string; message: string }[] | undefined) ?? [];
  const issue = issues.length
    ? issues.map((i) => {
        const expression = expressionOf?.(i.path.split('.')[0] ?? '');
        return { severity: 'error', code, diagnostics: `${i.path}: ${i.message}`, ...(expression ? { expression: [expression] } : {}) };
      })
    : [{ severity: 'error', code, diagnostics: err.message }];
  return { resourceType: 'OperationOutcome', issue };
}

export function fhirDoor(app: FastifyInstance, store: SimStore, base: string, spec: FhirDoorSpec): void {
  const path = `${base}/${spec.type}`;
  const coll = `fhir:${spec.type}`;
  const byIdentifier = `fhir:${spec.type}:identifier`;
  const send = (reply: FastifyReply, status: number, resource: FhirResource) => {
    if (status === 201) reply.header('location', `${path}/${resource.id}/_history/${resource.meta?.versionId}`);
    return reply.code(status).type(FHIR_JSON).send(resource);
  };
  const answer = async (reply: FastifyReply, handle: () => { status: number; resource: FhirResource }) => {
    try {
      const { status, resource } = store.transaction(handle);
      await store.durable(); // nothing is answered ahead of the disk
      return send(reply, status, resource);
    } catch (err) {
      if (!(err instanceof SimError)) throw err;
      return reply.code(err.status).type(FHIR_JSON).send(outcome(err, spec.expressionOf));
    }
  };
  const read = (text: unknown): FhirResource => {
    let resource: FhirResource;
    try {
      resource = JSON.parse(String(text ?? ''));
    } catch {
      throw badRequest('the body is not JSON');
    }
    if (!resource || typeof resource !== 'object' || resource.resourceType !== spec.type) {
      throw badRequest(`this endpoint takes ${spec.type} resources, not ${String(resource?.resourceType ?? 'this body')}`);
    }
    const ids = Array.isArray(resource.identifier) ? resource.identifier.filter((i) => typeof i?.value === 'string' && i.value !== '') : [];
    if (ids.length === 0) throw badRequest(`a ${spec.type} needs an identifier: it is the key that makes a client's retry safe`);
    return resource;
  };
  const keysOf = (resource: FhirResource) => (resource.identifier ?? []).flatMap((i) => (i.value ? [`${i.system ?? ''}|${i.value}`, `|${i.value}`] : []));
  const stored = (id: string | undefined) => (id === undefined ? undefined : store.get<FhirResource>(coll, id));

  void app.register(async (scope) => {
    // FHIR bodies are read here, as text, so that even a body that is not JSON is answered with an OperationOutcome.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(['application/json', FHIR_JSON], { parseAs: 'string' }, (_req, text, done) => done(null, text));

    scope.post(path, (req, reply) => answer(reply, () => {
      const resource = read(req.body);
      const condition = req.headers['if-none-exist'];
      const existing = typeof condition === 'string' ? stored(store.get<string>(byIdentifier, searchedIdentifier(condition))) : undefined;
      if (existing) return { status: 200, resource: existing };
      const key = resource.identifier!.find((i) => i.value)!.value!;
      const id = spec.book(resource, key);
      const created: FhirResource = { ...resource, id, meta: { versionId: '1', lastUpdated: new Date().toISOString() } };
      store.put(coll, id, created);
      for (const k of keysOf(created)) store.put(byIdentifier, k, id);
      return { status: 201, resource: created };
    }));

    scope.get<{ Params: { id: string } }>(`${path}/:id`, (req, reply) => answer(reply, () => {
      const resource = stored(req.params.id);
      if (!resource) throw notFound(`no ${spec.type}/${req.params.id}`);
      return { status: 200, resource };
    }));

    const withdraw = (target: string | undefined, body: unknown, key: string, what: string) => {
      const current = stored(target);
      if (!current) throw refuse(`no ${spec.type} ${what}: nothing to withdraw`);
      const update = read(body);
      if (update.status !== 'entered-in-error') {
        throw refuse(`${spec.type} updates are taken only to withdraw one (status entered-in-error), not to make it ${update.status}`);
      }
      if (current.status === 'entered-in-error') return { status: 200, resource: current }; // already withdrawn
      spec.withdraw(current.id!, key);
      const withdrawn: FhirResource = {
        ...current, status: 'entered-in-error', meta: { versionId: String(Number(current.meta?.versionId ?? 1) + 1), lastUpdated: new Date().toISOString() },
      };
      store.put(coll, current.id!, withdrawn);
      return { status: 200, resource: withdrawn };
    };
    const keyOf = (header: unknown, id: string | undefined) => (typeof header === 'string' && header ? header : `withdraw ${spec.type}/${id}`);
    scope.put<{ Params: { id: string } }>(`${path}/:id`, (req, reply) => answer(reply, () =>
      withdraw(req.params.id, req.body, keyOf(req.headers['idempotency-key'], req.params.id), `/${req.params.id}`)));
    scope.put(path, (req, reply) => answer(reply, () => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      const identifier = searchedIdentifier(query);
      const target = store.get<string>(byIdentifier, identifier);
      return withdraw(target, req.body, keyOf(req.headers['idempotency-key'], target), `with identifier ${identifier}`);
    }));
  });
}
