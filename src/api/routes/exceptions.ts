// The business exception workbench (docs/exceptions.md): the queue with its SLA clocks and filters, open counts per
// group, one exception with its held event, the raw message it came from (PHI masked) and suggestions, and the
// actions that resolve exceptions — map the item and release every event held for that code, correct one field
// and release, release, dismiss, release many. Reads need viewer; actions need operator, and every action is
// recorded with its actor and reason in the audit log and on the exception.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { conflict, invalid, notFound } from '../../core/errors.ts';
import type { BusinessException, StoredEvent } from '../../core/types.ts';
import { maskerFor } from '../../engine/decoders.ts';
import { messageSearchKeys } from '../../model/search-keys.ts';
import type { Snapshot } from '../../masterdata/snapshot.ts';
import {
  breachCutoff, CORRECTABLE_FIELDS, correctableField, correctPayload, earliestOf, factsOf, olderThanCutoff, suggestItems,
  summarise, workItem,
} from '../../exceptions/workbench.ts';
import type { ExceptionFilter } from '../../store/store.ts';
import type { Auth } from '../auth.ts';
import type { ApiContext } from '../context.ts';
import { parseInput } from '../problem.ts';

const Criteria = z.object({
  category: z.string().min(1).optional(),
  facility: z.string().min(1).optional(),
  owner: z.string().min(1).optional(), // the owner role
});

const ListQuery = Criteria.extend({
  status: z.enum(['open', 'resolved', 'dismissed']).optional(),
  olderThanHours: z.coerce.number().positive().optional(),
  breached: z.literal('true', { error: 'breached=true is the only breach filter' }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const SummaryQuery = Criteria.extend({ by: z.enum(['category', 'facility', 'owner']).default('category') });

const reason = z.string({ error: 'a reason is required' }).trim().min(1, 'a reason is required');
const XrefBody = z.object({ itemId: z.string().trim().min(1), reason });
const CorrectBody = z.object({
  field: z.string().min(1),
  value: z.union([z.string(), z.number(), z.null()], { error: 'the new value: a string, a number, or null to remove the field' }),
  reason,
});
const ReleaseBody = z.object({ reason: reason.optional() });
const DismissBody = z.object({ reason });
/** Bulk release: chosen ids, or every open exception a filter selects (at most BULK_LIMIT per call). */
const BulkBody = z.object({
  ids: z.array(z.string().min(1)).min(1).max(1000).optional(),
  filter: Criteria.optional(),
  reason: reason.optional(),
}).refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give ids or filter (not both)', path: ['ids'] })
  .refine((b) => !b.filter || Object.values(b.filter).some((v) => v !== undefined), { message: 'a filter names a category, facility or owner', path: ['filter'] });
const BULK_LIMIT = 1000;


const filterOf = (c: z.infer<typeof Criteria>) => ({ category: c.category, facility: c.facility, ownerRole: c.owner });

export function exceptionRoutes(app: FastifyInstance, ctx: ApiContext, auth: Auth) {
  const policies = ctx.pipeline.policies;
  const viewer = { preHandler: auth.require('viewer') };
  const operator = { preHandler: auth.require('operator') };

  async function openException(id: string): Promise<BusinessException> {
    const x = await ctx.store.getException(id);
    if (!x) throw notFound(`exception ${id}`);
    if (x.status !== 'open') throw conflict(`exception ${id} is ${x.status}`);
    return x;
  }

  /**
   * Open exceptions past their SLA. Each category has its own SLA, so each category present is read with its own
   * cut-off, then the lists are merged oldest first.
   */
  async function breachedExceptions(filter: ExceptionFilter, now: number): Promise<BusinessException[]> {
    const categories = filter.category ? [filter.category] : (await ctx.store.countExceptions(filter, 'category')).map((c) => c.key);
    const lists = await Promise.all(categories.map((category) => ctx.store.listExceptions({
      ...filter, category, createdBefore: earliestOf(filter.createdBefore, breachCutoff(policies(category).slaHours, now)),
    })));
    return lists.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).slice(0, filter.limit ?? 100);
  }

  app.get('/v1/exceptions', viewer, async (request) => {
    const q = parseInput(ListQuery, request.query, 'invalid parameters');
    if (q.breached && q.status && q.status !== 'open') throw invalid('only open exceptions can be breached', [{ path: '/status', message: 'open, or leave it out' }]);
    const now = Date.now();
    const filter: ExceptionFilter = {
      ...filterOf(q), status: q.breached ? 'open' : q.status, limit: q.limit ?? 100,
      createdBefore: q.olderThanHours === undefined ? undefined : olderThanCutoff(q.olderThanHours, now),
      // The open queue is worked oldest first; history reads newest first.
      oldestFirst: q.breached !== undefined || q.status === 'open',
    };
    const rows = q.breached ? await breachedExceptions(filter, now) : await ctx.store.listExceptions(filter);
    return { data: rows.map((x) => workItem(x, policies(x.category), now)) };
  });

  app.get('/v1/exceptions/summary', viewer, async (request) => {
    const q = parseInput(SummaryQuery, request.query, 'invalid parameters');
    const now = Date.now();
    const by = q.by === 'owner' ? 'ownerRole' : q.by;
    const filter: ExceptionFilter = { ...filterOf(q), status: 'open' };
    const open = await ctx.store.countExceptions(filter, by);
    const categories = by === 'category' ? open.map((g) => g.key) : (await ctx.store.countExceptions(filter, 'category')).map((g) => g.key);
    const breachedCounts = await Promise.all(categories.map((category) =>
      ctx.store.countExceptions({ ...filter, category, createdBefore: breachCutoff(policies(category).slaHours, now) }, by)));
    const data = summarise(open, breachedCounts);
    return {
      by: q.by, data,
      total: { open: data.reduce((n, g) => n + g.open, 0), breached: data.reduce((n, g) => n + g.breached, 0) },
    };
  });

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/v1/exceptions/:id', viewer, async (request) => {
    const x = await ctx.store.getException(request.params.id);
    if (!x) throw notFound(`exception ${request.params.id}`);
    const policy = policies(x.category);
    const event = x.eventId ? await ctx.store.getEvent(x.eventId) : null;
    const delivery = x.deliveryId ? await ctx.store.getDelivery(x.deliveryId) : null;
    return {
      ...workItem(x, policy, Date.now()), policy, event, delivery,
      message: event ? await maskedMessage(event.messageId) : null,
      suggestions: suggestionsFor(x, event, ctx.masterData.current(), request.query.q),
    };
  });

  /** The message as GET /v1/messages/:id shows it: the same masker of its content type, so PHI never shows here. */
  async function maskedMessage(id: string) {
    const message = await ctx.store.getMessage(id);
    if (!message) return null;
    const { raw, ...meta } = message;
    return { ...meta, raw: maskerFor(message.contentType)(Buffer.from(ctx.vault.decrypt(raw)).toString('utf8')) };
  }

  function suggestionsFor(x: BusinessException, event: StoredEvent | null, s: Snapshot, typed: string | undefined) {
    const base = { fix: policies(x.category).suggestedFix, facts: factsOf(x, s) };
    if (x.category !== 'unmapped_item') return base;
    // Words the sender or the person searching gave about the item; canonical events carry none today, but a
    // sender's mapping may keep a description or text beside the code.
    const ref = (event?.payload.item ?? {}) as { description?: unknown; text?: unknown };
    const words = [typed, ref.description, ref.text].filter((w) => typeof w === 'string').join(' ');
    const hint = { code: x.detail.code as string | null, gtin: x.detail.gtin as string | null, description: words };
    return { ...base, items: suggestItems(s.items.values(), hint) };
  }

  app.post<{ Params: { id: string } }>('/v1/exceptions/:id/xref', operator, async (request) => {
    const body = parseInput(XrefBody, request.body, 'invalid cross-reference');
    const x = await openException(request.params.id);
    if (x.category !== 'unmapped_item') throw conflict(`exception ${x.id} is ${x.category}; a cross-reference resolves unmapped_item`);
    const system = String(x.detail.system);
    const code = typeof x.detail.code === 'string' ? x.detail.code : null;
    if (!code) throw conflict(`the sender named this item only by GTIN ${String(x.detail.gtin)}: add the GTIN to the item in the ERP, then release`);
    if (!ctx.masterData.current().items.has(body.itemId)) {
      throw invalid('unknown item', [{ path: '/itemId', message: `no item ${body.itemId} in master data` }]);
    }
    const actor = request.actor!;
    const now = new Date().toISOString();
    const held = (await ctx.store.listExceptions({ status: 'open', category: 'unmapped_item', oldestFirst: true, limit: 10_000 }))
      .filter((y) => y.detail.system === system && y.detail.code === code);
    const xref = { system, code, itemId: body.itemId, reason: body.reason, actor: actor.name, at: now };
    await ctx.store.write(async (tx) => {
      await tx.putXref(system, code, body.itemId, actor.name, now, body.reason);
      for (const y of held) await tx.updateExceptionDetail(y.id, { ...y.detail, xref });
      await tx.audit({
        actor: actor.name, action: 'exception.xref', target: x.id,
        detail: { system, code, itemId: body.itemId, reason: body.reason, exceptions: held.map((y) => y.id) },
      }, now);
    });
    await ctx.masterData.reload();
    const result = await ctx.replay.releaseMany(held.map((y) => y.id), actor, body.reason);
    return { xref: { system, code, itemId: body.itemId, reason: body.reason }, ...result };
  });

  app.post<{ Params: { id: string } }>('/v1/exceptions/:id/correct', operator, async (request) => {
    const body = parseInput(CorrectBody, request.body, 'invalid correction');
    const field = correctableField(body.field);
    if (!field) throw invalid(`${body.field} cannot be corrected here`, [{ path: '/field', message: `one of ${CORRECTABLE_FIELDS.join(', ')}` }]);
    const x = await openException(request.params.id);
    if (x.deliveryId || !x.eventId) throw conflict(`exception ${x.id} is ${x.category}: it points at a delivery; fix the data at its source, then release to redeliver`);
    const event = await ctx.store.getEvent(x.eventId);
    if (!event || event.status !== 'held') throw conflict(`exception ${x.id} holds no event`);
    const corrected = correctPayload(event.type, event.payload, field, body.value);
    if (!corrected.ok) throw invalid(corrected.message, [{ path: '/value', message: corrected.message }]);
    const actor = request.actor!;
    const now = new Date().toISOString();
    const correction = { field, from: corrected.from, to: corrected.to, reason: body.reason, actor: actor.name, at: now };
    const applied = await ctx.store.write(async (tx) => {
      if (!(await tx.correctEventPayload(event.id, corrected.payload))) return false;
      await tx.insertSearchKeys(messageSearchKeys({ sourceId: null, contentType: '' }, [{ ...event, payload: corrected.payload }]));
      const earlier = Array.isArray(x.detail.corrections) ? x.detail.corrections : [];
      await tx.updateExceptionDetail(x.id, { ...x.detail, corrections: [...earlier, correction] });
      await tx.audit({ actor: actor.name, action: 'exception.correct', target: x.id, detail: { eventId: event.id, ...correction } }, now);
      return true;
    });
    if (!applied) throw conflict(`the event of exception ${x.id} is no longer held`);
    const result = await ctx.replay.release(x.id, actor, body.reason);
    return { correction, ...result, ...(result.released ? {} : { stillFailing: result.problems.map((p) => p.message) }) };
  });

  app.post<{ Params: { id: string } }>('/v1/exceptions/:id/release', operator, async (request, reply) => {
    const body = parseInput(ReleaseBody, request.body, 'invalid release');
    const result = await ctx.replay.release(request.params.id, request.actor!, body.reason);
    return reply.code(result.released ? 200 : 409).send(result.released ? result : { ...result, stillFailing: result.problems.map((p) => p.message) });
  });

  app.post<{ Params: { id: string } }>('/v1/exceptions/:id/dismiss', operator, async (request) => {
    const body = parseInput(DismissBody, request.body, 'a reason is required');
    await ctx.replay.dismiss(request.params.id, request.actor!, body.reason);
    return { dismissed: true };
  });

  app.post('/v1/exceptions/release', operator, async (request) => {
    const body = parseInput(BulkBody, request.body, 'invalid bulk release');
    const chosen = body.ids
      ?? (await ctx.store.listExceptions({ ...filterOf(body.filter!), status: 'open', oldestFirst: true, limit: BULK_LIMIT })).map((x) => x.id);
    const result = await ctx.replay.releaseMany(chosen, request.actor!, body.reason);
    // A filter releases at most BULK_LIMIT a call: `more` says to call again.
    return { ...result, more: body.filter !== undefined && chosen.length === BULK_LIMIT };
  });
}
