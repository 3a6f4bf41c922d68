// Row ↔ record mapping for the SQLite store: one place that knows the column names.
import type {
  Attempt, BusinessException, Delivery, DeliveryStatus, EventStatus, Message, Priority, StoredEvent, WorkflowInstance, WorkflowStepRecord,
} from '../../core/types.ts';

export type Row = Record<string, unknown>;
const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = (v: unknown): Record<string, unknown> => JSON.parse(v as string) as Record<string, unknown>;

export const toMessage = (r: Row): Message => ({
  id: str(r.id),
  channel: str(r.channel),
  sourceSystem: str(r.source_system),
  sourceId: strOrNull(r.source_id),
  contentType: str(r.content_type),
  receivedAt: str(r.received_at),
  raw: r.raw as Uint8Array,
  error: strOrNull(r.error),
});

export const toEvent = (r: Row): StoredEvent => ({
  id: str(r.id),
  type: str(r.type),
  schemaVersion: Number(r.schema_version),
  messageId: str(r.message_id),
  sourceSystem: str(r.source_system),
  idempotencyKey: str(r.idempotency_key),
  correlationId: str(r.correlation_id),
  causationId: strOrNull(r.causation_id),
  partitionKey: str(r.partition_key),
  priority: Number(r.priority) as Priority,
  facility: str(r.facility),
  occurredAt: str(r.occurred_at),
  recordedAt: str(r.recorded_at),
  revision: Number(r.revision),
  revisionOf: strOrNull(r.revision_of),
  status: str(r.status) as EventStatus,
  payload: json(r.payload),
});

export const toDelivery = (r: Row): Delivery => ({
  id: str(r.id),
  seq: Number(r.seq),
  eventId: str(r.event_id),
  correlationId: str(r.correlation_id),
  destination: str(r.destination),
  action: str(r.action),
  partitionKey: str(r.partition_key),
  priority: Number(r.priority) as Priority,
  idempotencyKey: str(r.idempotency_key),
  status: str(r.status) as DeliveryStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
  body: json(r.body),
  reverses: strOrNull(r.reverses),
  remoteRef: strOrNull(r.remote_ref),
  lastError: strOrNull(r.last_error),
});

export const toAttempt = (r: Row): Attempt => ({
  deliveryId: str(r.delivery_id),
  at: str(r.at),
  outcome: str(r.outcome) as Attempt['outcome'],
  statusCode: r.status_code === null ? null : Number(r.status_code),
  latencyMs: Number(r.latency_ms),
  error: strOrNull(r.error),
});

export const toException = (r: Row): BusinessException => ({
  id: str(r.id),
  category: str(r.category),
  status: str(r.status) as BusinessException['status'],
  ownerRole: str(r.owner_role),
  facility: str(r.facility),
  eventId: strOrNull(r.event_id),
  deliveryId: strOrNull(r.delivery_id),
  correlationId: str(r.correlation_id),
  detail: json(r.detail),
  createdAt: str(r.created_at),
  resolvedAt: strOrNull(r.resolved_at),
  resolvedBy: strOrNull(r.resolved_by),
  resolution: strOrNull(r.resolution),
  workflow: r.workflow_type ? { type: str(r.workflow_type), key: str(r.workflow_key) } : null,
});

export const toWorkflow = (r: Row): WorkflowInstance => ({
  type: str(r.type),
  key: str(r.key),
  version: Number(r.version),
  status: str(r.status) as WorkflowInstance['status'],
  stage: str(r.stage),
  facility: str(r.facility),
  correlationId: str(r.correlation_id),
  originEventId: str(r.origin_event_id),
  state: JSON.parse(str(r.state)),
  steps: Number(r.steps),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export const toWorkflowStep = (r: Row): WorkflowStepRecord => ({
  seq: Number(r.seq),
  version: Number(r.version),
  at: str(r.at),
  input: JSON.parse(str(r.input)),
  effects: JSON.parse(str(r.effects)) as unknown[],
});
