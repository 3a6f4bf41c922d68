// The pipeline: message → canonical events → flow plans → outbox, in ONE transaction (transactional outbox).
// Planning is pure and happens before the transaction; the transaction only writes, checks duplicates and applies
// stock (whose result decides replenishment). The caller acknowledges the sender only after this resolves.
import { newId } from '../core/ids.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { BusinessException, Delivery, Message, Priority, StoredEvent } from '../core/types.ts';
import { FLOWS, replenishmentNeed, type Plan, type PlannedDelivery, type WorkflowSignal } from '../flows/index.ts';
import type { Snapshot } from '../masterdata/snapshot.ts';
import type { EventType, InboundEventT } from '../model/events.ts';
import type { PhiVault } from '../security/phi.ts';
import type { NewDelivery, Store, Tx } from '../store/store.ts';
import type { DestinationConfig, RouteConfig, ThresholdsConfig } from '../config/schema.ts';
import { routeTable } from '../config/routes.ts';
import { tokenisePayload, type Sealed } from './tokenise.ts';
import { x12Controls } from './outbound/x12.ts';
import type { Problem } from '../masterdata/enrich.ts';
import { exceptionPolicies, type ExceptionPolicies } from '../model/exceptions.ts';
import { messageSearchKeys } from '../model/search-keys.ts';
import { DEFAULT_WORKFLOW_SETTINGS, type WorkflowSettings } from '../workflows/index.ts';
import { createWorkflowEngine, type Committed } from './workflows.ts';
import { endIngestSpan, failSpan, startIngestSpan } from './tracing.ts';


export interface IngestInput {
  channel: string;
  sourceSystem: string;
  sourceId: string | null;
  contentType: string;
  raw: Uint8Array;
  events: InboundEventT[];
  /** performance.now() when the message arrived, before it was decoded: its trace span starts there (default: now). */
  receivedAt?: number;
}

export interface IngestResult {
  id: string;
  correlationId: string;
  duplicate: boolean;
  status: StoredEvent['status'];
}

export interface PipelineDeps {
  store: Store;
  vault: PhiVault;
  snapshot: () => Snapshot;
  destinations: DestinationConfig[];
  /** Which destinations of a role serve which facilities and event types; without a matching route, all of them. */
  routes?: RouteConfig[];
  /** The business thresholds at a facility (see config sites). */
  thresholds?: (facility: string) => ThresholdsConfig;
  /** Owner role and SLA of each exception category (see exceptions in the configuration). */
  policies?: ExceptionPolicies;
  clock?: Clock;
  /** The workflow settings of a facility; by default the thresholds' (see workflowSettingsOf). */
  workflowSettings?: (facility: string) => WorkflowSettings;
  /** Called after commit with every delivery the commit created: the dispatcher picks them up. */
  onCommitted: (deliveries: Delivery[], events: StoredEvent[]) => void;
}

export function createPipeline(deps: PipelineDeps) {
  const clock = deps.clock ?? systemClock;
  const route = routeTable(deps.destinations, deps.routes ?? []);

  const policies = deps.policies ?? exceptionPolicies();
  const plan = (e: Pick<StoredEvent, 'id' | 'type' | 'facility' | 'occurredAt' | 'sourceSystem' | 'correlationId' | 'payload'> & { revisionOf?: string | null }): Plan =>
    FLOWS[e.type as EventType](e, deps.snapshot(), deps.thresholds?.(e.facility));

  /** The plan's deliveries to each routed destination, and the event itself to every routed analytics destination. */
  function toDeliveries(event: StoredEvent, p: Plan, now: string): NewDelivery[] {
    const publish = { role: 'analytics' as const, action: 'event.publish', partitionKey: p.partitionKey, body: { event: publishedEvent(event) } };
    return deliveriesFor(event, [...p.deliveries, publish], p.priority, now);
  }

  /**
   * Planned deliveries → outbox records, one per routed destination (`only`: just the destination of that name). A
   * supplier destination that names its suppliers carries only their orders (the body's supplierId).
   */
  function deliveriesFor(event: StoredEvent, planned: PlannedDelivery[], priority: Priority, now: string, only?: string): NewDelivery[] {
    const serves = (dest: DestinationConfig, d: PlannedDelivery) =>
      !dest.suppliers || typeof d.body.supplierId !== 'string' || dest.suppliers.includes(d.body.supplierId);
    return planned.flatMap((d) =>
      route(d.role, event, d.action).filter((dest) => (only === undefined || dest.name === only) && serves(dest, d)).map((dest) => {
        const id = newId();
        return {
          id, eventId: event.id, correlationId: event.correlationId, destination: dest.name, action: d.action,
          partitionKey: d.partitionKey, priority, idempotencyKey: `tdn-${id}`, status: 'pending' as const,
          attempts: 0, nextAttemptAt: 0, createdAt: now, updatedAt: now, body: d.body, reverses: null, remoteRef: null,
          lastError: null,
        };
      }),
    );
  }

  function exceptionsOf(event: StoredEvent, p: Pick<Plan, 'problems'>, now: string): BusinessException[] {
    return p.problems.map((problem) => ({
      id: newId(), category: problem.category, status: 'open', ownerRole: policies(problem.category).ownerRole,
      facility: event.facility, eventId: event.id, deliveryId: null, correlationId: event.correlationId,
      detail: { message: problem.message, ...problem.detail, eventType: event.type }, createdAt: now, resolvedAt: null,
      resolvedBy: null, resolution: null,
    }));
  }

  /**
   * Carries out an accepted event's plan inside a transaction: deliveries, stock, requisition bookkeeping, and a
   * derived requisition.created when the location fell below its reorder point. Shared by ingest, release and
   * reprocess so the three can never disagree.
   */
  /** Every new delivery goes in through here: X12 ones get their control numbers in the transaction that creates them. */
  const withControls = x12Controls(deps.destinations);
  const insertDeliveries = async (tx: Tx, ds: NewDelivery[]): Promise<Delivery[]> => tx.insertDeliveries(await withControls(tx, ds));

  async function applyPlan(tx: Tx, event: StoredEvent, p: Plan, out: Committed): Promise<void> {
    const now = new Date(clock.now()).toISOString();
    const made = await insertDeliveries(tx, toDeliveries(event, p, now));
    out.deliveries.push(...made);
    if (p.master) await tx.offerMasterRecord(p.master.entity, p.master.record, event.sourceSystem);
    if (p.serial?.release) await tx.releaseSerial(p.serial.itemId, p.serial.serial);
    else if (p.serial) await tx.claimSerial(p.serial.itemId, p.serial.serial, event.revisionOf ?? event.id, now);
    if (p.closeRequisition) await tx.closeRequisition(p.closeRequisition.location, p.closeRequisition.itemId);
    if (p.stock) await applyStock(tx, event, p, now, out);
    if (p.signals?.length) {
      const signals = await followed(tx, p.signals, made);
      if (signals.length > 0) await workflows.signal(tx, event, signals, out);
    }
  }

  /**
   * Signals that follow some of the plan's deliveries: those are linked to the instance, and it learns how many. A
   * lazy one with deliveries to follow is not sent now: its data waits on the links, for a delivery that fails.
   */
  async function followed(tx: Tx, signals: WorkflowSignal[], made: Delivery[]): Promise<WorkflowSignal[]> {
    const now: WorkflowSignal[] = [];
    for (const s of signals) {
      if (!('follow' in s) || !s.follow) {
        now.push(s);
        continue;
      }
      const ds = made.filter((d) => d.action === s.follow);
      const data = { ...s.data, routed: ds.length };
      const later = s.lazy === true && ds.length > 0;
      for (const d of ds) await tx.linkWorkflowDelivery({ deliveryId: d.id, type: s.workflow, key: s.key, name: s.follow, start: later ? data : null });
      if (!later) now.push({ ...s, data });
    }
    return now;
  }

  /** Stock, and a derived requisition.created when the location fell below its reorder point. */
  async function applyStock(tx: Tx, event: StoredEvent, p: Plan, now: string, out: Committed): Promise<void> {
    const stock = p.stock!;
    const onHand = await tx.applyStock({ eventId: event.id, ...stock, at: now });
    if (onHand === null || !p.replenish) return;
    const need = replenishmentNeed(onHand, p.replenish, deps.thresholds?.(event.facility).emergencyOnHand);
    if (!need) return;
    const opened = await tx.openRequisition({ location: stock.location, itemId: stock.itemId, eventId: event.id, openedAt: now });
    if (!opened) return; // one requisition at a time per location and item
    await emitted(tx, {
      ...event, id: newId(), type: 'requisition.created', sourceSystem: 'tendon', causationId: event.id,
      idempotencyKey: `replenish:${stock.location}:${stock.itemId}:${event.id}`, revision: 1, revisionOf: null,
      recordedAt: now, occurredAt: event.occurredAt, status: 'accepted',
      payload: {
        item: { system: 'erp', code: stock.itemId }, location: stock.location, quantity: { value: need.quantity, unit: 'EA' },
        priority: need.priority, reason: `on hand ${onHand} below reorder point ${p.replenish.reorderPoint}`,
      },
    }, out);
  }

  /**
   * An event Tendon derives itself (a replenishment requisition, a receipt from a ship notice): checked and carried
   * out like any other (held with its exception when its data is wrong). Its idempotency key makes it once only.
   */
  async function emitted(tx: Tx, event: StoredEvent, out: Committed): Promise<void> {
    const p = plan(event);
    const stored: StoredEvent = { ...event, partitionKey: p.partitionKey, priority: p.priority, status: p.problems.length > 0 ? 'held' : 'accepted' };
    if (!(await tx.insertEvent(stored))) return;
    out.events.push(stored);
    if (stored.status === 'held') for (const x of exceptionsOf(stored, p, stored.recordedAt)) await tx.insertException(x);
    else await settle(tx, stored, p, out, stored.recordedAt);
  }

  const settings = deps.workflowSettings ?? ((facility: string) => workflowSettingsOf(deps.thresholds?.(facility)));
  const workflows = createWorkflowEngine({
    settings, policies, emit: emitted, insert: insertDeliveries,
    route: (tx, origin, planned, replyTo, now) => insertDeliveries(tx, deliveriesFor(origin, planned, origin.priority, now, replyTo)),
  });

  /**
   * A check that needs the store, not only master data: a serial number already used by another event (its first
   * revision's id holds the claim, so a reprocessed revision of the same use is not a second use).
   */
  async function serialProblem(tx: Tx, event: StoredEvent, p: Plan): Promise<Problem | null> {
    if (!p.serial || p.serial.release) return null;
    const holder = await tx.serialHolder(p.serial.itemId, p.serial.serial);
    if (holder === null || holder === (event.revisionOf ?? event.id)) return null;
    return {
      category: 'duplicate_serial_use', message: `serial ${p.serial.serial} of item ${p.serial.itemId} was already used by event ${holder}`,
      detail: { itemId: p.serial.itemId, serial: p.serial.serial, firstUseEventId: holder },
    };
  }

  /** An accepted event's plan, or, when a store check finds a problem, the event held with its exception. */
  async function settle(tx: Tx, event: StoredEvent, p: Plan, out: Committed, now: string): Promise<StoredEvent['status']> {
    const problem = await serialProblem(tx, event, p);
    if (!problem) {
      await applyPlan(tx, event, p, out);
      return 'accepted';
    }
    await tx.setEventStatus(event.id, 'held');
    for (const x of exceptionsOf(event, { problems: [problem] }, now)) await tx.insertException(x);
    return 'held';
  }

  async function ingest(input: IngestInput): Promise<IngestResult[]> {
    const now = new Date(clock.now()).toISOString();
    const message: Message = {
      id: newId(), channel: input.channel, sourceSystem: input.sourceSystem, sourceId: input.sourceId,
      contentType: input.contentType, receivedAt: now, raw: deps.vault.encrypt(input.raw), error: null,
    };
    // Pure work first, outside the transaction: tokenise, then plan against the current snapshot.
    const prepared = input.events.map((inbound) => {
      const { payload, seals } = tokenisePayload(inbound.payload, deps.vault);
      const id = newId();
      const base = {
        id, type: inbound.type, facility: inbound.facility, occurredAt: inbound.occurredAt,
        sourceSystem: inbound.source.system, correlationId: inbound.correlationId ?? correlationOf(payload) ?? id, payload,
      };
      const p = plan(base);
      const event: StoredEvent = {
        ...base, schemaVersion: inbound.schemaVersion, messageId: message.id, idempotencyKey: inbound.idempotencyKey,
        causationId: inbound.causationId ?? null, partitionKey: p.partitionKey, priority: p.priority, recordedAt: now,
        revision: 1, revisionOf: null, status: p.problems.length > 0 ? 'held' : 'accepted',
      };
      return { event, plan: p, seals };
    });
    const span = startIngestSpan(message.id, input, prepared, input.receivedAt);

    const out: Committed = { deliveries: [], events: [] };
    const results = await deps.store.write(async (tx) => {
      await tx.insertMessage(message);
      const answers: IngestResult[] = [];
      for (const { event, plan: p, seals } of prepared) {
        if (!(await tx.insertEvent(event))) {
          const first = await tx.findEventByKey(event.sourceSystem, event.idempotencyKey);
          answers.push({ id: first!.id, correlationId: first!.correlationId, duplicate: true, status: first!.status });
          continue;
        }
        await sealAll(tx, seals);
        out.events.push(event);
        let status = event.status;
        if (status === 'held') for (const x of exceptionsOf(event, p, now)) await tx.insertException(x);
        else status = await settle(tx, event, p, out, now);
        answers.push({ id: event.id, correlationId: event.correlationId, duplicate: false, status });
      }
      // The business keys of every event this message committed (and of those it derived), for GET /v1/search.
      await tx.insertSearchKeys(messageSearchKeys(message, out.events));
      return answers;
    }).catch((error: unknown) => failSpan(span, error));
    endIngestSpan(span, results);
    deps.onCommitted(out.deliveries, out.events);
    return results;
  }

  /** Keeps a message that could not be turned into events, with why, before the sender is told (AE, AR, 400). */
  async function refuse(input: Omit<IngestInput, 'events'>, error: string): Promise<string> {
    const id = newId();
    const span = startIngestSpan(id, input, [], input.receivedAt);
    await deps.store.write((tx) => tx.insertMessage({
      id, channel: input.channel, sourceSystem: input.sourceSystem, sourceId: input.sourceId, contentType: input.contentType,
      receivedAt: new Date(clock.now()).toISOString(), raw: deps.vault.encrypt(input.raw), error,
    })).catch((e: unknown) => failSpan(span, e));
    endIngestSpan(span, 'refused');
    return id;
  }

  return { ingest, refuse, plan, applyPlan, settle, serialProblem, exceptionsOf, toDeliveries, insertDeliveries, policies, workflows };
}

export type Pipeline = ReturnType<typeof createPipeline>;

/** A facility's thresholds as the workflows take them. */
export function workflowSettingsOf(t: Partial<ThresholdsConfig> = {}): WorkflowSettings {
  const d = DEFAULT_WORKFLOW_SETTINGS;
  return {
    autoApproveLimit: t.autoApproveLimit ?? d.autoApproveLimit, consolidationMinutes: t.poConsolidationMinutes ?? d.consolidationMinutes,
    supplierAckHours: t.supplierAckHours ?? d.supplierAckHours, priceVariancePercent: t.priceVariancePercent ?? d.priceVariancePercent,
    matchTolerancePercent: t.matchTolerancePercent ?? d.matchTolerancePercent, matchToleranceAmount: t.matchToleranceAmount ?? d.matchToleranceAmount,
    invoiceWaitHours: t.invoiceWaitHours ?? d.invoiceWaitHours, receiveOnShipNotice: t.receiveOnShipNotice ?? d.receiveOnShipNotice,
    chargeSlaHours: t.chargeSlaHours ?? d.chargeSlaHours,
  };
}

/** The canonical event as analytics consumers see it: PHI only as tokens, as it is stored. */
function publishedEvent(e: StoredEvent): Record<string, unknown> {
  return {
    id: e.id, type: e.type, schemaVersion: e.schemaVersion, idempotencyKey: e.idempotencyKey, facility: e.facility,
    occurredAt: e.occurredAt, recordedAt: e.recordedAt, sourceSystem: e.sourceSystem, correlationId: e.correlationId,
    causationId: e.causationId, revision: e.revision, payload: e.payload,
  };
}

async function sealAll(tx: Tx, seals: Sealed[]): Promise<void> {
  for (const s of seals) await tx.sealPhi(s.token, s.sealed);
}

/** The business transaction an event belongs to, when the payload names one: the surgical case, then the account. */
function correlationOf(payload: Record<string, unknown>): string | undefined {
  const v = payload.caseId ?? payload.encounter ?? payload.requisitionNumber ?? payload.poNumber;
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
