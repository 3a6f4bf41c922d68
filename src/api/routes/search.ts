// GET /v1/search?q=…&kind=…&limit=…: the traces a business key names — a correlation id, a PO number, an HL7
// MSH-10 or another channel's source id, an item, a lot, a serial, a patient — newest first, each with the
// correlation id that GET /v1/trace/{correlationId} opens. `kind=auto` (the default) tries every kind. Messages that
// were refused (AE, AR, TA1, 400) have no trace; `refused` lists those whose source id is the key.
//
// A patient is searched by the keyed token events carry. An operator may type the clear identifier (an MRN): it is
// tokenised here with the pipeline's own key and never stored, logged or sent back (the answer's `q` is masked).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isPatientToken, SEARCH_KINDS } from '../../model/search-keys.ts';
import type { SearchHit } from '../../store/store.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseInput } from '../problem.ts';

const Query = z.object({
  q: z.string().trim().min(1).max(128),
  kind: z.enum(['auto', ...SEARCH_KINDS]).default('auto'),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

const MASKED = '***';

export function searchRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  app.get('/v1/search', { preHandler: auth.require('viewer') }, async (request) => {
    const started = performance.now();
    const { q, kind, limit } = parseInput(Query, request.query);
    // Anything but a token may be a patient's identifier when the kind is patient or auto.
    const clear = (kind === 'patient' || kind === 'auto') && !isPatientToken(q);
    if (clear) maskUrl(request);
    let results: SearchHit[];
    let masked = false;
    if (kind === 'patient') {
      results = await ctx.store.searchTrace('patient', clear ? ctx.vault.token(q) : q, limit);
      masked = clear;
    } else if (kind === 'auto' && clear) {
      const patient = await ctx.store.searchTrace('patient', ctx.vault.token(q), limit);
      masked = patient.length > 0;
      results = newestFirst([...await ctx.store.searchTrace('auto', q, limit), ...patient], limit);
    } else {
      results = await ctx.store.searchTrace(kind, q, limit);
    }
    // A message the sender says was refused has no trace: it is found by its own id, beside the traces.
    const refused = kind === 'auto' || kind === 'msh10' || kind === 'source' ? await ctx.store.refusedMessagesBySource(q, limit) : [];
    return { kind, q: masked ? MASKED : q, results, refused, elapsedMs: +(performance.now() - started).toFixed(2) };
  });
}

/** Two searches' hits as one list: one hit per trace (the first found), newest first. */
function newestFirst(hits: SearchHit[], limit: number): SearchHit[] {
  const one = new Map<string, SearchHit>();
  for (const h of hits) if (!one.has(h.correlationId)) one.set(h.correlationId, h);
  return [...one.values()].sort((a, b) => b.lastAt.localeCompare(a.lastAt)).slice(0, limit);
}

/** A request that fails is logged with its URL (problem.ts): the URL it is logged with carries no identifier. */
function maskUrl(request: FastifyRequest): void {
  request.raw.url = request.raw.url?.replace(/([?&]q=)[^&]*/, `$1${MASKED}`);
}
