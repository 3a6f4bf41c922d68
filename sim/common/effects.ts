// An "effect collection" is a POST endpoint whose every success is one ledger entry and one stored record
// that can later be reversed exactly once (POST <path>/<id>/reversal). Each simulator only supplies its
// validation schema and its domain hooks; ids, ledger, idempotency and reversal rules live here once.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { idempotentPost, parseBody } from './http.ts';
import { refuse } from './problem.ts';
import type { SimStore } from './store.ts';

/** What is kept of each effect; `body` is the request as received. */
export type EffectRecord<B> = {
  id: string;
  kind: string;
  at: string;
  idempotencyKey: string;
  body: B;
  reversalId: string | null;
  /** Domain data the sim wants to keep with the effect (e.g. a stock delta, a requisition status). */
  extra: Record<string, unknown>;
};

export type EffectSpec<B> = {
  /** URL path of the collection, e.g. "/charges". */
  path: string;
  /** Document collection name in the store, and the noun used in refusal messages. */
  coll: string;
  noun: string;
  /** Id prefix: "CHG" → "CHG-000001". */
  prefix: string;
  schema: z.ZodType<B>;
  kind: (body: B) => string;
  /**
   * Checks the request against the sim's data and applies its domain effect. Must throw (refuse) before
   * mutating anything. Returns what to keep with the record and extra fields for the answer.
   */
  apply: (body: B) => { extra?: Record<string, unknown>; response?: Record<string, unknown> };
  /** Runs once the effect is recorded (its id known), in the same transaction: e.g. to index it. */
  after?: (record: EffectRecord<B>) => void;
  /** Undoes the domain effect of `record`; may refuse (throw) before mutating. Returns answer fields. */
  reverse?: (record: EffectRecord<B>) => Record<string, unknown> | void;
};

/** What `checkEffect` hands to `recordEffect`: the body to keep and what `apply` said. */
export type CheckedEffect<B> = { body: B; outcome: ReturnType<EffectSpec<B>['apply']> };

/**
 * Validates `body` (with `schema`, the collection's own by default) and runs the sim's checks. Throws a
 * SimError (400 malformed, 422 refused) before anything is mutated. Every entry point of a sim (its HTTP API,
 * billing's MLLP listener) goes through here, so the same rules apply whatever the transport.
 */
export function checkEffect<B>(spec: EffectSpec<B>, body: unknown, schema: z.ZodType<B> = spec.schema): CheckedEffect<B> {
  parseBody(schema, body);
  // Keep the body as received (validated, not the parsed copy): one object shared by ledger and record.
  const kept = body as B;
  return { body: kept, outcome: spec.apply(kept) };
}

/** Records a checked effect: numbers it, appends its ledger entry, stores it, runs `after`. Returns the answer. */
export function recordEffect<B>(
  store: SimStore,
  spec: EffectSpec<B>,
  checked: CheckedEffect<B>,
  idempotencyKey: string,
): Record<string, unknown> {
  const { body, outcome } = checked;
  // The id is only taken once the effect is certain, so refusals leave no gaps in the numbering.
  const id = store.nextId(spec.prefix);
  const kind = spec.kind(body);
  const entry = store.append({ id, kind, idempotencyKey, body });
  const record: EffectRecord<B> = {
    id,
    kind,
    at: entry.at,
    idempotencyKey,
    body,
    reversalId: null,
    extra: outcome.extra ?? {},
  };
  store.put(spec.coll, id, record);
  spec.after?.(record);
  return { id, ...outcome.response };
}

export function effectCollection<B>(app: FastifyInstance, store: SimStore, spec: EffectSpec<B>): void {
  idempotentPost(app, store, spec.path, (req, idempotencyKey) => ({
    body: recordEffect(store, spec, checkEffect(spec, req.body), idempotencyKey),
  }));

  idempotentPost(app, store, `${spec.path}/:id/reversal`, (req, idempotencyKey) => {
    const { id } = req.params as { id: string };
    return { body: reverseEffect(store, spec, id, idempotencyKey, req.body ?? {}) };
  });
}

/**
 * Reverses a recorded effect exactly once: its ledger entry, the record's reversal link and the sim's own undo.
 * Refuses (before mutating) an unknown or already reversed effect. Every door that can undo an effect (the REST
 * reversal, a FHIR resource set to entered-in-error) goes through here.
 */
export function reverseEffect<B>(
  store: SimStore,
  spec: EffectSpec<B>,
  id: string,
  idempotencyKey: string,
  body: unknown,
): Record<string, unknown> {
  const record = store.get<EffectRecord<B>>(spec.coll, id);
  if (!record) throw refuse(`unknown ${spec.noun} ${id}`);
  if (record.reversalId !== null) throw refuse(`${spec.noun} ${id} is already reversed by ${record.reversalId}`);
  const response = spec.reverse?.(record) ?? {};
  const reversalId = `${id}-R`;
  store.append({ id: reversalId, kind: 'reversal', idempotencyKey, reverses: id, body });
  store.put(spec.coll, id, { ...record, reversalId });
  return { id: reversalId, reverses: id, ...response };
}

