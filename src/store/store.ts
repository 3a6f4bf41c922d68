// The Store: Tendon's durable operational record. One interface, one conformance suite (conformance.ts); SQLite
// implements it now, PostgreSQL later. Every write goes through `write(job)`: the job runs inside a transaction,
// and an implementation may group many concurrent jobs into one commit (group commit) as long as each job stays
// atomic on its own (a job that throws rolls back only its own writes).
import type {
  Actor, Attempt, BusinessException, Delivery, DeliveryStatus, EventStatus, Message, Role, StoredEvent, WorkflowInstance,
  WorkflowStepRecord,
} from '../core/types.ts';
import type { SearchKeyRow, SearchKind } from '../model/search-keys.ts';

export type NewDelivery = Omit<Delivery, 'seq'>;

/** What master-data drift counts in the store (see masterdata/drift.ts). */
export interface DriftVolumes {
  /** Events naming an item, and how many of them were held because the item could not be mapped. */
  itemEvents: number;
  unmappedEvents: number;
  /** Open unmapped codes with how many held events each holds, most first. */
  unmappedCodes: { system: string; code: string; gtin: string | null; events: number }[];
}

export interface DeliveryOutcome {
  deliveryId: string;
  attempt: Attempt | null; // null when the state changes without an attempt (replay, supersede)
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  remoteRef?: string | null;
  lastError: string | null;
}

export interface StockChange {
  eventId: string;
  location: string;
  itemId: string;
  /** `set` is a count; `delta` a movement. A movement on a pair never counted leaves it untracked. */
  set?: number;
  delta?: number;
  at: string;
}

export interface OpenRequisition {
  location: string;
  itemId: string;
  eventId: string;
  openedAt: string;
}

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

/** The operations allowed inside one transaction. */
export interface Tx {
  insertMessage(message: Message): Promise<void>;
  /** Inserts the event unless (sourceSystem, idempotencyKey) exists; false means it is a duplicate. */
  insertEvent(event: StoredEvent): Promise<boolean>;
  findEventByKey(sourceSystem: string, idempotencyKey: string): Promise<StoredEvent | null>;
  /** Reads inside the transaction (they see its own writes). */
  eventById(id: string): Promise<StoredEvent | null>;
  deliveryById(id: string): Promise<Delivery | null>;
  setEventStatus(eventId: string, status: EventStatus): Promise<void>;
  insertDeliveries(deliveries: NewDelivery[]): Promise<Delivery[]>;
  recordOutcomes(outcomes: DeliveryOutcome[]): Promise<void>;
  insertException(exception: BusinessException): Promise<void>;
  resolveException(id: string, status: 'resolved' | 'dismissed', actor: string, resolution: string, at: string): Promise<void>;
  /** Closes the open rejection exceptions of deliveries that have now landed. */
  resolveDeliveryExceptions(deliveryIds: string[], resolution: string, at: string): Promise<void>;
  resolveEventExceptions(eventId: string, status: 'resolved' | 'dismissed', actor: string, resolution: string, at: string): Promise<void>;
  updateExceptionDetail(id: string, detail: Record<string, unknown>): Promise<void>;
  /** Replaces a HELD event's payload (a person corrected it before it had any effect); false when it is not held. */
  correctEventPayload(eventId: string, payload: Record<string, unknown>): Promise<boolean>;
  /** Keeps the encrypted original of a PHI token (first write wins: the token is deterministic). */
  sealPhi(token: string, sealed: Uint8Array): Promise<void>;
  /** Applies a stock change and answers the new on-hand, or null when the pair is not tracked yet. */
  applyStock(change: StockChange): Promise<number | null>;
  stockMovesOf(eventId: string): Promise<StockChange[]>;
  /** The event (the first revision's id) that used a serialised item's serial, if any. */
  serialHolder(itemId: string, serial: string): Promise<string | null>;
  claimSerial(itemId: string, serial: string, eventId: string, at: string): Promise<void>;
  releaseSerial(itemId: string, serial: string): Promise<void>;
  openRequisition(req: OpenRequisition): Promise<boolean>; // false when one is already open
  closeRequisition(location: string, itemId: string): Promise<boolean>;
  upsertMasterRecords(entity: string, records: { id: string; updatedAt: string; data: unknown }[]): Promise<void>;
  setSyncCursor(entity: string, cursor: string): Promise<void>;
  /**
   * A master record from a source other than the ERP (MFN^M16, a CSV item load): stored unless the ERP already
   * has that record (the system of record wins) or a newer one from elsewhere is stored. True when it was taken.
   */
  offerMasterRecord(entity: string, record: { id: string; updatedAt: string; data: unknown }, source: string): Promise<boolean>;
  /** Maps (system, code) to an item; every change is kept in the cross-reference's history, with who and why. */
  putXref(system: string, code: string, itemId: string, actor: string, at: string, reason?: string | null): Promise<void>;
  createActor(actor: Actor, tokenHash: string, at: string): Promise<void>;
  /** Gives an actor a username and password for the console (a new one replaces the old). */
  setUser(actorId: string, username: string, passwordHash: string, at: string): Promise<void>;
  /** A signed-in session: a token hash for the actor, valid until expiresAt (epoch ms). */
  createSession(tokenHash: string, actorId: string, expiresAt: number): Promise<void>;
  /** Ends a session (sign-out) and sweeps the expired ones. */
  endSession(tokenHash: string, now: number): Promise<void>;
  setDestinationPaused(destination: string, paused: boolean): Promise<void>;
  audit(entry: AuditEntry, at: string): Promise<void>;
  /**
   * The next value of a named counter: 1 first, then one more each time, durable with this transaction (a rolled
   * back job gives its number back; a committed one is never given again). After 999,999,999 it starts at 1.
   */
  nextSequence(name: string): Promise<number>;
  /** Records which delivery sends the interchange numbered `controlNumber` to an x12 destination (see x12Controls). */
  linkInterchange(destination: string, controlNumber: number, deliveryId: string): Promise<void>;
  /** Adds rows to the search index (see model/search-keys.ts); a key already known for that trace keeps the later time. */
  insertSearchKeys(keys: SearchKeyRow[]): Promise<void>;

  // Workflows (see engine/workflows.ts): instance, history, refs, timers and named deliveries, all in the caller's tx.
  getWorkflow(type: string, key: string): Promise<WorkflowInstance | null>;
  /** Writes the instance as it is after `step`, and the step into its history. */
  saveWorkflow(instance: WorkflowInstance, step: WorkflowStepRecord): Promise<void>;
  workflowKeyByRef(type: string, ref: string): Promise<string | null>;
  bindWorkflowRef(type: string, ref: string, key: string): Promise<void>;
  unbindWorkflowRef(type: string, ref: string): Promise<void>;
  /** Sets (or moves) the instance's timer of that name. */
  setTimer(timer: WorkflowTimer): Promise<void>;
  cancelTimer(type: string, key: string, name: string): Promise<void>;
  /** Removes and answers up to `limit` timers due at `now` (epoch ms), earliest first: each is taken once. */
  takeDueTimers(now: number, limit: number): Promise<WorkflowTimer[]>;
  linkWorkflowDelivery(link: WorkflowDeliveryLink): Promise<void>;
  /** The workflow deliveries among these ids (their outcomes go back to the instance). */
  workflowDeliveries(deliveryIds: string[]): Promise<WorkflowDeliveryLink[]>;
  /** The latest delivery an instance gave this name. */
  workflowDeliveryByName(type: string, key: string, name: string): Promise<string | null>;
  /** Closes an instance's open exceptions of a category; answers their ids. */
  resolveWorkflowExceptions(type: string, key: string, category: string, actor: string, resolution: string, at: string): Promise<string[]>;

  // Alerts (engine/monitor.ts): an alert as it is after it fired, was acknowledged, escalated or cleared, and the
  // notifications it owes, written together.
  saveAlert(alert: StoredAlert): Promise<void>;
  /** Owed once per (alert, status, role): queuing it again changes nothing. */
  queueAlertNotification(n: Omit<AlertNotification, 'id' | 'attempts' | 'notifiedAt' | 'outcome' | 'lastError'>): Promise<void>;
  recordAlertNotification(id: number, r: Pick<AlertNotification, 'attempts' | 'nextAttemptAt' | 'notifiedAt' | 'outcome' | 'lastError'>): Promise<void>;
}

/** One incident of (rule, subject); see monitoring/alerts.ts. */
export interface StoredAlert {
  id: string;
  rule: string;
  subject: string;
  severity: string;
  ownerRole: string;
  summary: string;
  runbook: string;
  value: number | null;
  threshold: number | null;
  startedAt: string;
  clearedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalatedAt: string | null;
}

/** A notification an alert owes the webhook of a role, until the webhook took it. */
export interface AlertNotification {
  id: number;
  alertId: string;
  status: 'firing' | 'resolved' | 'escalated';
  role: string;
  payload: Record<string, unknown>;
  createdAt: string;
  attempts: number;
  nextAttemptAt: number; // epoch ms
  notifiedAt: string | null;
  /** sent, or unrouted (no route for the role, so nobody to tell); null until one of those. */
  outcome: 'sent' | 'unrouted' | null;
  lastError: string | null;
}

export interface WorkflowTimer {
  type: string;
  key: string;
  name: string;
  dueAt: number; // epoch ms
}

export interface WorkflowDeliveryLink {
  deliveryId: string;
  type: string;
  key: string;
  name: string;
  /** The data of the signal that starts the instance only if this delivery fails (see WorkflowSignal.lazy). */
  start?: Record<string, unknown> | null;
}

export interface WorkflowFilter {
  type?: string;
  status?: WorkflowInstance['status'];
  stage?: string;
  limit?: number;
}

export interface DeliveryFilter {
  status?: DeliveryStatus[];
  destination?: string;
  eventType?: string;
  from?: string; // createdAt >= from
  to?: string; // createdAt < to
  limit?: number;
  afterSeq?: number;
}

export interface ExceptionFilter {
  status?: string;
  category?: string;
  facility?: string;
  ownerRole?: string;
  eventId?: string;
  /** The process exceptions of one workflow instance. */
  workflow?: { type: string; key: string };
  /** createdAt < createdBefore (an age or an SLA cut-off). */
  createdBefore?: string;
  /** Oldest first (a work queue); newest first otherwise. */
  oldestFirst?: boolean;
  limit?: number;
}

/** One group of exceptions: how many, and when the oldest was raised. */
export interface ExceptionCount {
  key: string;
  count: number;
  oldestCreatedAt: string;
}

export interface Trace {
  correlationId: string;
  messages: Omit<Message, 'raw'>[];
  events: StoredEvent[];
  deliveries: (Delivery & { attemptLog: Attempt[] })[];
  exceptions: BusinessException[];
}

/** A trace found by a business key: which key matched, and when and where its events were recorded. */
export interface SearchHit {
  correlationId: string;
  kind: SearchKind;
  value: string;
  firstAt: string;
  lastAt: string;
  eventTypes: string[];
  facility: string;
}

export interface Store {
  readonly kind: string;
  /** Applies numbered forward-only migrations; safe to call on every start. */
  migrate(): Promise<number[]>;
  migrationsApplied(): Promise<number[]>;
  write<T>(job: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;

  getMessage(id: string): Promise<Message | null>;
  /** Messages that could not be turned into events, newest first. */
  refusedMessages(limit: number): Promise<Omit<Message, 'raw'>[]>;
  /** Refused messages whose source id (MSH-10, ISA13, Idempotency-Key) is `sourceId`, any case, newest first. */
  refusedMessagesBySource(sourceId: string, limit: number): Promise<Omit<Message, 'raw'>[]>;
  getEvent(id: string): Promise<StoredEvent | null>;
  eventsOfMessage(messageId: string): Promise<StoredEvent[]>;
  revisionsOf(firstEventId: string): Promise<StoredEvent[]>;
  getDelivery(id: string): Promise<Delivery | null>;
  deliveriesOfEvent(eventId: string): Promise<Delivery[]>;
  listDeliveries(filter: DeliveryFilter): Promise<Delivery[]>;
  /**
   * A destination's deliveries not yet final after `afterSeq`, in commit order, at most `limit`: what the dispatcher
   * must still send, read a page at a time so that a long outage's backlog stays in the store, not in memory.
   */
  unfinishedDeliveries(destination: string, afterSeq: number, limit: number): Promise<Delivery[]>;
  /** The delivery that sent an x12 destination the interchange with this control number (ISA13 = GS06), if any. */
  deliveryByInterchange(destination: string, controlNumber: number): Promise<Delivery | null>;
  attemptsOf(deliveryId: string): Promise<Attempt[]>;
  trace(correlationId: string): Promise<Trace>;
  /** The traces a business key of this kind names (`auto`: of any kind), newest first, one hit per trace. */
  searchTrace(kind: SearchKind | 'auto', value: string, limit: number): Promise<SearchHit[]>;
  getException(id: string): Promise<BusinessException | null>;
  listExceptions(filter: ExceptionFilter): Promise<BusinessException[]>;
  /** The exceptions the filter selects (its limit and order aside), counted per category, facility or owner role. */
  countExceptions(filter: ExceptionFilter, by: 'category' | 'facility' | 'ownerRole'): Promise<ExceptionCount[]>;
  unsealPhi(token: string): Promise<Uint8Array | null>;
  stockOf(location: string, itemId: string): Promise<number | null>;
  openRequisitionOf(location: string, itemId: string): Promise<OpenRequisition | null>;
  /** Par locations and items whose on-hand is at or below `atMost`, smallest first (the stock-out risk view). */
  lowStock(atMost: number, limit: number): Promise<{ location: string; itemId: string; onHand: number; updatedAt: string }[]>;
  openRequisitions(): Promise<OpenRequisition[]>;
  masterRecords(entity: string): Promise<unknown[]>;
  syncCursor(entity: string): Promise<string | null>;
  xrefs(): Promise<{ system: string; code: string; itemId: string }[]>;
  /** The volumes master-data drift needs: item events since a time, how many were held unmapped, and by which code. */
  driftVolumes(since: string): Promise<DriftVolumes>;
  xrefHistory(system: string, code: string): Promise<{ oldItemId: string | null; newItemId: string; actor: string; reason: string | null; at: string }[]>;
  /** The actor a token (API or session) belongs to; an expired session belongs to no one. */
  actorByTokenHash(hash: string, now?: number): Promise<Actor | null>;
  /** The console user of that name, with the password hash to check against. */
  userByName(username: string): Promise<{ actor: Actor; passwordHash: string } | null>;
  pausedDestinations(): Promise<string[]>;
  auditLog(limit: number): Promise<(AuditEntry & { at: string })[]>;
  getWorkflow(type: string, key: string): Promise<WorkflowInstance | null>;
  /** Newest first. */
  listWorkflows(filter: WorkflowFilter): Promise<WorkflowInstance[]>;
  workflowSteps(type: string, key: string): Promise<WorkflowStepRecord[]>;
  workflowKeyByRef(type: string, ref: string): Promise<string | null>;
  /** When the earliest timer is due (epoch ms), or null when none is set. */
  nextTimerDue(): Promise<number | null>;
  timersOf(type: string, key: string): Promise<WorkflowTimer[]>;
  /** The deliveries an instance asked for, in commit order. */
  deliveriesOfWorkflow(type: string, key: string): Promise<Delivery[]>;

  // What the monitor reads every few seconds (engine/monitor.ts): each an index range, never a table scan.
  /** Instances the filter selects, counted (its limit aside). */
  countWorkflows(filter: Omit<WorkflowFilter, 'limit'>): Promise<number>;
  /** Dead and rejected deliveries per destination: those that need a person. */
  deliveryProblems(): Promise<{ destination: string; dead: number; rejected: number }[]>;
  /** Open alerts (`open`), or the latest ones; newest first. */
  listAlerts(filter: { open?: boolean; limit?: number }): Promise<StoredAlert[]>;
  getAlert(id: string): Promise<StoredAlert | null>;
  /** Notifications not yet taken, oldest first. */
  unsentAlertNotifications(limit: number): Promise<AlertNotification[]>;
}

export type { Role };
