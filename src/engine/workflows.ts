// The workflow engine: feeds inputs to the pure reducers (workflows/) and carries out their effects, inside the
// caller's transaction, so an input, the new state, its history entry and every effect (deliveries, events,
// timers, exceptions, signals) commit together or not at all. Inputs arrive from four places: flows' signals
// (pipeline), timers (timers.ts), people's decisions (API) and the outcomes of deliveries a workflow named
// (outcomes.ts). An effect that is itself an input (a signal to another instance, an emitted event a workflow
// listens to, a delivery no destination serves) is queued and run in the same transaction, breadth first.
import { newId } from '../core/ids.ts';
import { conflict, notFound } from '../core/errors.ts';
import type { BusinessException, Delivery, StoredEvent, WorkflowInstance } from '../core/types.ts';
import type { PlannedDelivery, WorkflowSignal } from '../flows/plan.ts';
import { SCHEMA_VERSION } from '../model/events.ts';
import type { ExceptionPolicies } from '../model/exceptions.ts';
import type { NewDelivery, Tx } from '../store/store.ts';
import { definition, latest } from '../workflows/index.ts';
import type { Effect, OutcomeStatus, WorkflowEvent, WorkflowInput, WorkflowSettings } from '../workflows/types.ts';

export interface Committed {
  deliveries: Delivery[];
  events: StoredEvent[];
}

export interface WorkflowEngineDeps {
  /** The definitions by type and version (workflows/index.ts unless a test brings its own). */
  definitions?: { definition: typeof definition; latest: typeof latest };
  settings: (facility: string) => WorkflowSettings;
  policies: ExceptionPolicies;
  /** Routes an instance's deliveries (by role and facility) and inserts them; `replyTo` keeps only that destination. */
  route(tx: Tx, origin: StoredEvent, planned: PlannedDelivery[], replyTo: string | undefined, now: string): Promise<Delivery[]>;
  /** Inserts deliveries as every new delivery is inserted (X12 ones get their control numbers here). */
  insert(tx: Tx, deliveries: NewDelivery[]): Promise<Delivery[]>;
  /** Stores an event a workflow emitted and runs it through its flow (which may signal workflows again). */
  emit(tx: Tx, event: StoredEvent, out: Committed): Promise<void>;
}

/** Where an input goes; `origin` creates the instance when it does not exist (only flows' signals start instances). */
interface Pending {
  type: string;
  key: string;
  input: WorkflowInput;
  origin: StoredEvent | null;
  /** For an outcome: the delivery, whose own delivery_rejected gives way to the process exception the step raises. */
  deliveryId?: string;
}

/** Bounds one transaction's chain reaction: a reducer that signals itself forever is a bug, not a hang. */
const MAX_STEPS_PER_TRANSACTION = 10_000;

export function createWorkflowEngine(deps: WorkflowEngineDeps) {
  const { definition: definitionOf, latest: latestOf } = deps.definitions ?? { definition, latest };
  /** Runs queued inputs until none is left; answers the instances touched. */
  async function drain(tx: Tx, queue: Pending[], out: Committed): Promise<void> {
    for (let steps = 0; queue.length > 0; steps++) {
      if (steps >= MAX_STEPS_PER_TRANSACTION) throw new Error(`workflow inputs did not settle after ${steps} steps`);
      await step(tx, queue.shift()!, queue, out);
    }
  }

  async function step(tx: Tx, p: Pending, queue: Pending[], out: Committed): Promise<void> {
    let instance = await tx.getWorkflow(p.type, p.key);
    if (!instance) {
      if (!p.origin) return; // a timer or outcome of an instance that no longer exists: nothing to do
      const def = latestOf(p.type);
      instance = {
        type: p.type, key: p.key, version: def.version, status: 'running', stage: 'new', facility: p.origin.facility,
        correlationId: p.key, originEventId: p.origin.id, state: def.initial(p.key, deps.settings(p.origin.facility)), steps: 0,
        createdAt: p.input.at, updatedAt: p.input.at,
      };
    }
    const def = definitionOf(instance.type, instance.version);
    const seq = instance.steps + 1;
    const result = def.reduce(instance.state, p.input, { type: instance.type, key: instance.key, seq });
    const next: WorkflowInstance = {
      ...instance, state: result.state, status: result.status, stage: result.stage, steps: seq, updatedAt: p.input.at,
    };
    await tx.saveWorkflow(next, { seq, version: instance.version, at: p.input.at, input: p.input, effects: result.effects });
    for (const effect of result.effects) await carryOut(tx, next, effect, p.input.at, queue, out);
    // One problem, one exception: the workflow's (charge_rejected, po_rejected) speaks for the refused delivery.
    const raised = result.effects.find((e) => e.kind === 'raise');
    if (p.deliveryId && raised) await tx.resolveDeliveryExceptions([p.deliveryId], `answered by ${raised.category} on ${next.type}/${next.key}`, p.input.at);
  }

  async function carryOut(tx: Tx, w: WorkflowInstance, e: Effect, at: string, queue: Pending[], out: Committed): Promise<void> {
    switch (e.kind) {
      case 'deliver': {
        const origin = (await tx.eventById(w.originEventId))!;
        const made = await deps.route(tx, { ...origin, correlationId: w.correlationId }, [e], e.replyTo, at);
        out.deliveries.push(...made);
        // Every delivery is listed with its instance; only named ones report their outcome back.
        for (const d of made) await tx.linkWorkflowDelivery({ deliveryId: d.id, type: w.type, key: w.key, name: e.name ?? '' });
        if (e.name && made.length === 0) queue.push(outcome(w, e.name, 'unrouted', null, 'no destination serves this', at));
        return;
      }
      case 'reverse': {
        const id = await tx.workflowDeliveryByName(w.type, w.key, e.name);
        const prior = id ? await tx.deliveryById(id) : null;
        if (!prior) return; // it was never sent anywhere: nothing to undo
        const rid = newId();
        const [made] = await deps.insert(tx, [{
          id: rid, eventId: prior.eventId, correlationId: prior.correlationId, destination: prior.destination, action: 'reverse',
          partitionKey: prior.partitionKey, priority: prior.priority, idempotencyKey: `tdn-${rid}`, status: 'pending', attempts: 0,
          nextAttemptAt: 0, createdAt: at, updatedAt: at, body: { reverses: prior.id, action: prior.action }, reverses: prior.id,
          remoteRef: null, lastError: null,
        }]);
        out.deliveries.push(made!);
        return tx.linkWorkflowDelivery({ deliveryId: rid, type: w.type, key: w.key, name: `${e.name}:reversal` });
      }
      case 'emit': {
        const origin = (await tx.eventById(w.originEventId))!;
        return deps.emit(tx, {
          id: newId(), type: e.type, schemaVersion: SCHEMA_VERSION, messageId: origin.messageId, sourceSystem: 'tendon', idempotencyKey: e.idempotencyKey,
          correlationId: w.correlationId, causationId: w.originEventId, partitionKey: '', priority: origin.priority, facility: e.facility,
          occurredAt: e.occurredAt, recordedAt: at, revision: 1, revisionOf: null, status: 'accepted', payload: e.payload,
        }, out);
      }
      case 'timer':
        return tx.setTimer({ type: w.type, key: w.key, name: e.name, dueAt: Date.parse(e.at) });
      case 'cancelTimer':
        return tx.cancelTimer(w.type, w.key, e.name);
      case 'raise':
        return tx.insertException(processException(w, e, at));
      case 'resolve':
        await tx.resolveWorkflowExceptions(w.type, w.key, e.category, 'tendon', e.resolution, at);
        return;
      case 'reopenReplenishment':
        await tx.closeRequisition(e.location, e.itemId);
        return;
      case 'bind':
        return tx.bindWorkflowRef(w.type, e.ref, w.key);
      case 'unbind':
        return tx.unbindWorkflowRef(w.type, e.ref);
      case 'signal': {
        const input: WorkflowInput = { kind: 'signal', at, name: e.name, from: { type: w.type, key: w.key }, data: e.data };
        if ('key' in e.to) return void queue.push({ type: e.to.type, key: e.to.key, input, origin: null });
        const bound = await tx.workflowKeyByRef(e.to.type, e.to.ref);
        if (bound) return void queue.push({ type: e.to.type, key: bound, input, origin: null });
        if (!e.to.start) return;
        // A new instance (an order gathering lines for a supplier): it answers to the ref from its first step on.
        await tx.bindWorkflowRef(e.to.type, e.to.ref, e.to.start);
        return void queue.push({ type: e.to.type, key: e.to.start, input, origin: (await tx.eventById(w.originEventId))! });
      }
    }
  }

  function processException(w: WorkflowInstance, e: Extract<Effect, { kind: 'raise' }>, at: string): BusinessException {
    return {
      id: newId(), category: e.category, status: 'open', ownerRole: deps.policies(e.category).ownerRole, facility: w.facility,
      eventId: null, deliveryId: null, correlationId: w.correlationId,
      detail: { message: e.message, ...e.detail, decisions: e.decisions, workflow: `${w.type}/${w.key}` }, createdAt: at,
      resolvedAt: null, resolvedBy: null, resolution: null, workflow: { type: w.type, key: w.key },
    };
  }

  const outcome = (w: Pick<WorkflowInstance, 'type' | 'key'>, name: string, status: OutcomeStatus, remoteRef: string | null, reason: string | null, at: string): Pending => ({
    type: w.type, key: w.key, input: { kind: 'outcome', at, name, status, remoteRef, reason }, origin: null,
  });

  return {
    /** A flow's signals for an accepted event (ingest, release, reprocess, emitted events). */
    async signal(tx: Tx, event: StoredEvent, signals: WorkflowSignal[], out: Committed): Promise<void> {
      const queue: Pending[] = [];
      const input = (data: Record<string, unknown>): WorkflowInput => ({ kind: 'event', at: event.recordedAt, event: workflowEvent(event), data });
      for (const s of signals) {
        if ('ref' in s) {
          const key = await tx.workflowKeyByRef(s.workflow, s.ref);
          if (key) queue.push({ type: s.workflow, key, input: input(s.data), origin: null });
        } else queue.push({ type: s.workflow, key: s.key, input: input(s.data), origin: s.start ? event : null });
      }
      await drain(tx, queue, out);
    },

    /** Due timers, taken (deleted) in this transaction: each fires once. */
    async fireTimers(tx: Tx, now: number, limit: number, out: Committed): Promise<number> {
      const due = await tx.takeDueTimers(now, limit);
      const at = new Date(now).toISOString();
      await drain(tx, due.map((t) => ({ type: t.type, key: t.key, input: { kind: 'timer', at, name: t.name }, origin: null })), out);
      return due.length;
    },

    /** Final outcomes of deliveries: those a workflow named go back to it. */
    async outcomes(tx: Tx, finals: { deliveryId: string; status: OutcomeStatus; remoteRef: string | null; reason: string | null }[], at: string, out: Committed): Promise<void> {
      if (finals.length === 0) return;
      const links = (await tx.workflowDeliveries(finals.map((f) => f.deliveryId))).filter((l) => l.name !== '');
      if (links.length === 0) return;
      const byId = new Map(finals.map((f) => [f.deliveryId, f]));
      const queue: Pending[] = [];
      for (const l of links) {
        const f = byId.get(l.deliveryId)!;
        // Followed only in case it fails: a landed delivery is the end of it; a failed one starts the instance with
        // the input its flow would have sent, then gives it the outcome.
        if (l.start && !(await tx.getWorkflow(l.type, l.key))) {
          if (f.status === 'delivered') continue;
          const origin = (await tx.eventById((await tx.deliveryById(l.deliveryId))!.eventId))!;
          queue.push({ type: l.type, key: l.key, input: { kind: 'event', at, event: workflowEvent(origin), data: l.start }, origin });
        }
        queue.push({ ...outcome(l, l.name, f.status, f.remoteRef, f.reason, at), deliveryId: l.deliveryId });
      }
      await drain(tx, queue, out);
    },

    /** A person's decision; the exception it answers (if any) is resolved with it. */
    async decide(tx: Tx, type: string, key: string, d: { decision: string; actor: string; reason: string | null; exceptionId: string | null; data?: Record<string, unknown> }, at: string, out: Committed): Promise<WorkflowInstance> {
      const w = await tx.getWorkflow(type, key);
      if (!w) throw notFound(`workflow ${type}/${key}`);
      if (w.status !== 'running') throw conflict(`workflow ${type}/${key} is ${w.status}`);
      const def = definitionOf(w.type, w.version);
      const allowed = def.decisions(w.state);
      if (!allowed.includes(d.decision)) {
        throw conflict(`"${d.decision}" is not a decision ${type}/${key} can take now (${allowed.length ? allowed.join(', ') : 'none is waiting'})`);
      }
      const refused = def.refuse?.(w.state, d.decision, d.data ?? {});
      if (refused) throw conflict(refused);
      if (d.exceptionId) await tx.resolveException(d.exceptionId, 'resolved', d.actor, `${d.decision}${d.reason ? `: ${d.reason}` : ''}`, at);
      await drain(tx, [{ type, key, input: { kind: 'decision', at, decision: d.decision, actor: d.actor, reason: d.reason, exceptionId: d.exceptionId, data: d.data ?? {} }, origin: null }], out);
      return (await tx.getWorkflow(type, key))!;
    },
  };
}

export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;

const workflowEvent = (e: StoredEvent): WorkflowEvent => ({
  id: e.revisionOf ?? e.id, revision: e.revision, type: e.type, facility: e.facility, occurredAt: e.occurredAt, sourceSystem: e.sourceSystem,
  correlationId: e.correlationId, payload: e.payload,
});
