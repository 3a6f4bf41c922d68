// The records at the centre of Tendon (see design.md for the vocabulary). Everything else is made of these.
export const PRIORITIES = { critical: 0, normal: 1, bulk: 2 } as const;
export type Priority = (typeof PRIORITIES)[keyof typeof PRIORITIES];

/** One inbound unit exactly as received. Never changed: it is the replay source. */
export interface Message {
  id: string;
  channel: string; // e.g. "http:/v1/events"
  sourceSystem: string;
  sourceId: string | null; // the sender's own id (MSH-10, ISA13, Idempotency-Key) when it has one
  contentType: string;
  receivedAt: string;
  raw: Uint8Array; // stored encrypted: raw input may carry PHI
  /** Why the message could not be turned into events (it was refused with the protocol's error), or null. */
  error: string | null;
}

/** A canonical business fact derived from a message. Immutable; a correction is a new revision. */
export interface StoredEvent {
  id: string;
  type: string;
  schemaVersion: number;
  messageId: string;
  sourceSystem: string;
  idempotencyKey: string;
  correlationId: string;
  causationId: string | null;
  partitionKey: string;
  priority: Priority;
  facility: string;
  occurredAt: string;
  recordedAt: string;
  revision: number;
  revisionOf: string | null; // the first revision's event id
  status: EventStatus;
  payload: Record<string, unknown>;
}
export const EVENT_STATUSES = ['accepted', 'held', 'superseded', 'dismissed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** One event to one destination: a durable outbox record. */
export interface Delivery {
  id: string;
  seq: number; // commit order: the order kept per (destination, partitionKey)
  eventId: string;
  correlationId: string;
  destination: string;
  action: string; // what the destination is asked to do, e.g. "inventory.issue", "charge.post", "reverse"
  partitionKey: string;
  priority: Priority;
  idempotencyKey: string; // the same on every attempt
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number; // epoch ms
  createdAt: string;
  updatedAt: string;
  body: Record<string, unknown>; // enriched, PHI only as tokens; encoded for the destination when sent
  reverses: string | null; // the delivery whose effect this one reverses
  remoteRef: string | null; // the destination's id for the effect it created
  lastError: string | null;
}

// A delivery's life, written down as data. `dead` = retries exhausted (technical); `rejected` = the destination
// refused for a business reason (an exception); `superseded` = a reprocess replaced it before it was sent.
export const DELIVERY_TRANSITIONS = {
  pending: ['in_flight', 'superseded'],
  in_flight: ['delivered', 'retrying', 'dead', 'rejected'],
  retrying: ['in_flight', 'superseded'],
  // pending: redeliver (the destination answers from its idempotency store); rejected: the partner refused later
  // what it had taken (a 997/999 or TA1 rejecting an 850, see engine/partner-acks.ts)
  delivered: ['pending', 'rejected'],
  dead: ['pending', 'superseded'],
  rejected: ['pending', 'superseded'],
  superseded: [],
} as const;
export type DeliveryStatus = keyof typeof DELIVERY_TRANSITIONS;
export const DELIVERY_STATUSES = Object.keys(DELIVERY_TRANSITIONS) as DeliveryStatus[];

export type AttemptOutcome = 'success' | 'retryable' | 'rejected';
export interface Attempt {
  deliveryId: string;
  at: string;
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/** A business problem that needs a person. Data exceptions hold an event; others point at a delivery. */
export interface BusinessException {
  id: string;
  category: string;
  status: 'open' | 'resolved' | 'dismissed';
  ownerRole: string;
  facility: string;
  eventId: string | null;
  deliveryId: string | null;
  correlationId: string;
  detail: Record<string, unknown>;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** A process exception: the workflow instance whose decision it waits for. */
  workflow?: { type: string; key: string } | null;
}

/** A workflow instance as stored (workflows/ gives state, inputs and effects their types). */
export interface WorkflowInstance {
  type: string;
  key: string;
  version: number;
  status: 'running' | 'completed' | 'cancelled';
  stage: string;
  facility: string;
  correlationId: string;
  /** The event whose deliveries carry the steps not caused by an event (timers, decisions, outcomes). */
  originEventId: string;
  state: unknown;
  steps: number;
  createdAt: string;
  updatedAt: string;
}

/** One input a workflow instance took, with the effects it produced. */
export interface WorkflowStepRecord {
  seq: number;
  version: number;
  at: string;
  input: unknown;
  effects: unknown[];
}

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export interface Actor {
  id: string;
  name: string;
  role: Role;
}
