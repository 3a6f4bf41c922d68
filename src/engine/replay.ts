// Replay and exception resolution.
//  - redeliver: send a delivery again with the SAME idempotency key (failed or unknown outcome): never a second effect.
//  - reprocess: run a stored message through today's mappings and master data again. Each event gets a new
//    revision linked to the first, with its own keys; every effect the previous revision had (or may still have)
//    is reversed first, in the same partition, so a correction never doubles an effect.
//  - release: a held event's data was fixed: plan it again; it may be held again if the data is still wrong.
//    Every release and dismissal is audited with its actor and reason.
import { messageSearchKeys } from '../model/search-keys.ts';
import { conflict, notFound, TendonError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Actor, BusinessException, Delivery, StoredEvent } from '../core/types.ts';
import type { PhiVault } from '../security/phi.ts';
import type { DeliveryFilter, NewDelivery, Store, Tx } from '../store/store.ts';
import { isSameProblem } from '../exceptions/workbench.ts';
import type { Problem } from '../masterdata/enrich.ts';
import type { Decoders } from './decoders.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Pipeline } from './pipeline.ts';
import { tokenisePayload } from './tokenise.ts';
import { endOperationSpan, failSpan, startOperationSpan } from './tracing.ts';

const REDELIVERABLE = new Set(['dead', 'rejected', 'delivered', 'retrying', 'pending']);
const MAY_HAVE_EFFECT = new Set(['pending', 'in_flight', 'retrying', 'delivered']);

export interface ReplayDeps {
  store: Store;
  vault: PhiVault;
  pipeline: Pipeline;
  dispatcher: Dispatcher;
  decoders: Decoders;
  clock?: Clock;
}

export function createReplay(deps: ReplayDeps) {
  const { store, pipeline, dispatcher } = deps;
  const clock = deps.clock ?? systemClock;
  const nowIso = () => new Date(clock.now()).toISOString();

  async function redeliver(ids: string[], actor: Actor): Promise<Delivery[]> {
    const chosen: Delivery[] = [];
    for (const id of ids) {
      const d = await store.getDelivery(id);
      if (d && REDELIVERABLE.has(d.status)) chosen.push({ ...d, status: 'pending', nextAttemptAt: 0 });
    }
    if (chosen.length === 0) return [];
    const span = startOperationSpan('tendon.redeliver', chosen[0]!.correlationId, { 'tendon.delivery_id': chosen[0]!.id, 'tendon.delivery_count': chosen.length });
    await store.write(async (tx) => {
      await tx.recordOutcomes(chosen.map((d) => ({
        deliveryId: d.id, attempt: null, status: 'pending', attempts: d.attempts, nextAttemptAt: 0, lastError: d.lastError,
      })));
      await tx.audit({ actor: actor.name, action: 'delivery.redeliver', target: chosen.length === 1 ? chosen[0]!.id : `${chosen.length} deliveries`, detail: { ids: chosen.map((d) => d.id).slice(0, 1000) } }, nowIso());
    }).catch((error: unknown) => failSpan(span, error));
    endOperationSpan(span, 'pending');
    for (const d of chosen) dispatcher.redeliver(d);
    return chosen;
  }

  function reversalOf(prior: Delivery, event: StoredEvent, now: string): NewDelivery {
    const id = newId();
    return {
      id, eventId: event.id, correlationId: event.correlationId, destination: prior.destination, action: 'reverse',
      partitionKey: prior.partitionKey, priority: prior.priority, idempotencyKey: `tdn-${id}`, status: 'pending', attempts: 0,
      nextAttemptAt: 0, createdAt: now, updatedAt: now, body: { reverses: prior.id, action: prior.action }, reverses: prior.id,
      remoteRef: null, lastError: null,
    };
  }

  async function reprocess(messageId: string, actor: Actor): Promise<{ events: { id: string; revision: number; status: string }[] }> {
    const message = await store.getMessage(messageId);
    if (!message) throw notFound(`message ${messageId}`);
    const inbound = deps.decoders.for(message)(deps.vault.decrypt(message.raw), message);
    const originals = (await store.eventsOfMessage(messageId)).filter((e) => e.revision === 1);
    const now = nowIso();
    const work: { event: StoredEvent; latest: StoredEvent; prior: Delivery[]; plan: ReturnType<Pipeline['plan']> }[] = [];
    for (const ev of inbound) {
      const first = originals.find((o) => o.sourceSystem === ev.source.system && o.idempotencyKey === ev.idempotencyKey);
      if (!first) continue; // a duplicate in this message: its own first message is where it is reprocessed
      const revisions = await store.revisionsOf(first.id);
      const latest = revisions[revisions.length - 1]!;
      const revision = latest.revision + 1;
      const { payload } = tokenisePayload(ev.payload, deps.vault);
      const base = { ...first, id: newId(), revisionOf: first.id, payload, occurredAt: ev.occurredAt, facility: ev.facility, type: ev.type };
      const plan = pipeline.plan(base);
      const event: StoredEvent = {
        ...base, idempotencyKey: `${first.idempotencyKey}#r${revision}`, revision, revisionOf: first.id, causationId: latest.id,
        recordedAt: now, partitionKey: plan.partitionKey, priority: plan.priority, status: plan.problems.length ? 'held' : 'accepted',
      };
      work.push({ event, latest, prior: await store.deliveriesOfEvent(latest.id), plan });
    }
    const out = { deliveries: [] as Delivery[], events: [] as StoredEvent[] };
    const span = startOperationSpan('tendon.reprocess', originals[0]?.correlationId, { 'tendon.message_id': messageId, 'tendon.event_count': work.length });
    await store.write(async (tx) => {
      for (const { event, latest, prior, plan } of work) {
        await tx.insertEvent(event);
        await tx.setEventStatus(latest.id, 'superseded');
        await tx.resolveEventExceptions(latest.id, 'resolved', actor.name, `superseded by revision ${event.revision}`, now);
        // Undo first: reversals queue behind the prior deliveries in their partitions, before the new revision's.
        out.deliveries.push(...(await pipeline.insertDeliveries(tx, prior.filter((d) => MAY_HAVE_EFFECT.has(d.status)).map((d) => reversalOf(d, event, now)))));
        const ended = prior.filter((d) => d.status === 'dead' || d.status === 'rejected');
        await tx.recordOutcomes(ended.map((d) => ({ deliveryId: d.id, attempt: null, status: 'superseded', attempts: d.attempts, nextAttemptAt: 0, lastError: d.lastError })));
        await tx.resolveDeliveryExceptions(ended.map((d) => d.id), `superseded by revision ${event.revision}`, now);
        for (const move of await tx.stockMovesOf(latest.id)) {
          if (move.delta !== undefined) await tx.applyStock({ ...move, eventId: event.id, delta: -move.delta, at: now });
        }
        if (event.status === 'held') for (const x of pipeline.exceptionsOf(event, plan, now)) await tx.insertException(x);
        else event.status = await pipeline.settle(tx, event, plan, out, now);
      }
      // The new revisions' keys (a corrected lot or serial is found by its new value too), for GET /v1/search.
      await tx.insertSearchKeys(messageSearchKeys(message, work.map((w) => w.event)));
      await tx.audit({ actor: actor.name, action: 'message.reprocess', target: messageId, detail: { revisions: work.map((w) => w.event.id) } }, now);
    }).catch((error: unknown) => failSpan(span, error));
    endOperationSpan(span, work.length > 0 ? 'reprocessed' : 'nothing', { 'tendon.deliveries': out.deliveries.length });
    dispatcher.enqueue(out.deliveries);
    return { events: work.map((w) => ({ id: w.event.id, revision: w.event.revision, status: w.event.status })) };
  }

  async function byFilter(mode: 'redeliver' | 'reprocess', filter: DeliveryFilter, actor: Actor): Promise<number> {
    return replayAll(mode, await store.listDeliveries({ ...filter, limit: Math.min(filter.limit ?? 10_000, 10_000) }), actor);
  }

  /** A selection of deliveries by id (the console's checkboxes); an unknown id refuses the whole selection. */
  async function byIds(mode: 'redeliver' | 'reprocess', ids: string[], actor: Actor): Promise<number> {
    const found = await Promise.all(ids.map((id) => store.getDelivery(id)));
    const missing = ids.filter((_, i) => !found[i]);
    if (missing.length > 0) throw notFound(`deliveries ${missing.join(', ')}`);
    return replayAll(mode, found as Delivery[], actor);
  }

  /** Redeliver: the deliveries as they were. Reprocess: each message behind them once, through today's flows. */
  async function replayAll(mode: 'redeliver' | 'reprocess', found: Delivery[], actor: Actor): Promise<number> {
    if (mode === 'redeliver') return (await redeliver(found.map((d) => d.id), actor)).length;
    const messages = new Set<string>();
    for (const d of found) {
      const e = await store.getEvent(d.eventId);
      if (e && e.status !== 'superseded') messages.add(e.messageId);
    }
    for (const m of messages) await reprocess(m, actor);
    return messages.size;
  }

  async function release(exceptionId: string, actor: Actor, reason?: string): Promise<ReleaseResult> {
    const x = await store.getException(exceptionId);
    if (!x) throw notFound(`exception ${exceptionId}`);
    if (x.status !== 'open') throw conflict(`exception ${exceptionId} is ${x.status}`);
    if (x.workflow) {
      const where = `/v1/workflows/${x.workflow.type}/${encodeURIComponent(x.workflow.key)}/decisions`;
      throw conflict(`exception ${exceptionId} waits for a decision on ${x.workflow.type} ${x.workflow.key}, not a release: POST ${where} (${String((x.detail.decisions as string[] | undefined)?.join(', ') ?? '')})`);
    }
    if (x.deliveryId) {
      await redeliver([x.deliveryId], actor);
      await store.write((tx) => tx.audit({ actor: actor.name, action: 'exception.release', target: x.id, detail: { deliveryId: x.deliveryId, reason: reason ?? null } }, nowIso()));
      return { released: true, problems: [] };
    }
    const event = x.eventId ? await store.getEvent(x.eventId) : null;
    if (!event || event.status !== 'held') throw conflict(`exception ${exceptionId} holds no event`);
    const plan = pipeline.plan(event);
    const now = nowIso();
    const open = await store.listExceptions({ eventId: event.id, status: 'open', limit: 1000 });
    const out = { deliveries: [] as Delivery[], events: [] as StoredEvent[] };
    const span = startOperationSpan('tendon.release', x.correlationId, { 'tendon.exception_id': x.id, 'tendon.category': x.category, 'tendon.event_id': event.id });
    const result = await store.write(async (tx): Promise<ReleaseResult> => {
      const serial = plan.problems.length === 0 ? await pipeline.serialProblem(tx, event, plan) : null;
      const problems = serial ? [serial] : plan.problems;
      if (problems.length > 0) return holdAgain(tx, x, event, problems, open, actor, reason, now);
      await tx.setEventStatus(event.id, 'accepted');
      await tx.resolveEventExceptions(event.id, 'resolved', actor.name, reason ?? 'released', now);
      await pipeline.applyPlan(tx, event, plan, out);
      await tx.audit({ actor: actor.name, action: 'exception.release', target: x.id, detail: { eventId: event.id, reason: reason ?? null, released: true } }, now);
      return { released: true, problems: [], deliveries: out.deliveries.map((d) => d.id) };
    }).catch((error: unknown) => failSpan(span, error));
    endOperationSpan(span, result.released ? 'released' : 'held', { 'tendon.deliveries': out.deliveries.length });
    if (result.released) dispatcher.enqueue(out.deliveries);
    return result;
  }

  /**
   * A release found the event still wrong. While the exception's own problem stands, it stays open and says what
   * is wrong now. When its problem was fixed but another stands in the way (a mapped item now shows its missing
   * lot), it is resolved and the other problem is raised for the team that owns it, unless one is open already.
   */
  async function holdAgain(
    tx: Tx, x: BusinessException, event: StoredEvent, problems: Problem[], open: BusinessException[], actor: Actor,
    reason: string | undefined, now: string,
  ): Promise<ReleaseResult> {
    const stillFailing = problems.map((p) => p.message);
    const attempt = { lastReleaseAt: now, lastReleaseBy: actor.name, lastReleaseReason: reason ?? null };
    let raised: string[] = [];
    if (problems.some((p) => isSameProblem(x, p))) {
      await tx.updateExceptionDetail(x.id, { ...x.detail, stillFailing, ...attempt });
    } else {
      const fresh = pipeline.exceptionsOf(event, { problems: problems.filter((p) => !open.some((y) => isSameProblem(y, p))) }, now);
      for (const y of fresh) await tx.insertException(y);
      raised = fresh.map((y) => y.id);
      await tx.updateExceptionDetail(x.id, { ...x.detail, heldAgainFor: stillFailing, ...attempt });
      await tx.resolveException(x.id, 'resolved', actor.name, `${reason ?? 'fixed'}; the event is still held: ${stillFailing.join('; ')}`, now);
    }
    await tx.audit({
      actor: actor.name, action: 'exception.release', target: x.id,
      detail: { eventId: event.id, reason: reason ?? null, released: false, problems: stillFailing, raised },
    }, now);
    return { released: false, problems, raised };
  }

  /** Releases each in turn; one that cannot be released (unknown, closed meanwhile) is listed as skipped, not fatal. */
  async function releaseMany(ids: string[], actor: Actor, reason?: string) {
    const released: string[] = [];
    const stillHeld: { id: string; problems: Problem[]; raised: string[] }[] = [];
    const skipped: { id: string; reason: string }[] = [];
    for (const id of ids) {
      try {
        const r = await release(id, actor, reason);
        if (r.released) released.push(id);
        else stillHeld.push({ id, problems: r.problems, raised: r.raised ?? [] });
      } catch (error) {
        if (!(error instanceof TendonError)) throw error;
        skipped.push({ id, reason: error.message });
      }
    }
    return { released, stillHeld, skipped };
  }

  async function dismiss(exceptionId: string, actor: Actor, reason: string) {
    const x = await store.getException(exceptionId);
    if (!x) throw notFound(`exception ${exceptionId}`);
    if (x.status !== 'open') throw conflict(`exception ${exceptionId} is ${x.status}`);
    const now = nowIso();
    await store.write(async (tx) => {
      if (x.eventId && !x.deliveryId) {
        // A dismissed event is never processed: every problem it was held for is closed with it.
        await tx.setEventStatus(x.eventId, 'dismissed');
        await tx.resolveEventExceptions(x.eventId, 'dismissed', actor.name, reason, now);
      } else {
        await tx.resolveException(x.id, 'dismissed', actor.name, reason, now);
      }
      await tx.audit({ actor: actor.name, action: 'exception.dismiss', target: x.id, detail: { reason } }, now);
    });
  }

  return { redeliver, reprocess, byFilter, byIds, release, releaseMany, dismiss };
}

export type Replay = ReturnType<typeof createReplay>;

export interface ReleaseResult {
  released: boolean;
  /** What still holds the event, when it was not released. */
  problems: Problem[];
  /** Exceptions raised for problems the release found that no open exception covered. */
  raised?: string[];
  deliveries?: string[];
}
