// A procurement tool's requisitions as data and rules, no I/O: what a person submits, the canonical events the
// tool sends the hub for it (one requisition.created per line), the status updates the hub sends back, and the
// requisition's overall status. The server (server.ts) and the submitter (submitter.ts) do the I/O around these.
import { z } from 'zod';
import { notFound } from '../common/problem.ts';
import { instant, nonEmpty, positive } from '../common/schemas.ts';

export const PRIORITIES = ['routine', 'urgent', 'emergency'] as const;

/** What the hub may say about a requisition line. */
export const HUB_STATUSES = [
  'approved', 'rejected', 'ordered', 'acknowledged', 'backordered', 'shipped', 'received', 'invoiced', 'paid', 'cancelled',
] as const;
export type HubStatus = (typeof HUB_STATUSES)[number];
export type LineStatus = 'submitted' | HubStatus;
/** `refused`: the hub turned the submission itself down (4xx), so no line ever got further. */
export type RequisitionStatus = LineStatus | 'refused';

/**
 * How far a line has come, least advanced first. A line's status only moves forward along it (an update that
 * arrives late, e.g. `shipped` after `received`, is kept in the history but does not move the line back), so the
 * order updates arrive in does not matter. `rejected` and `cancelled` close a line: ranked last, a closed line
 * never holds the requisition back, and a requisition whose lines are all closed is rejected (or cancelled).
 */
export const STATUS_ORDER: readonly LineStatus[] = [
  'submitted', 'approved', 'ordered', 'acknowledged', 'backordered', 'shipped', 'received', 'invoiced', 'paid', 'rejected', 'cancelled',
];
export const REQUISITION_STATUSES: readonly RequisitionStatus[] = [...STATUS_ORDER, 'refused'];
const RANK = new Map<LineStatus, number>(STATUS_ORDER.map((s, i) => [s, i]));
const rank = (s: LineStatus): number => RANK.get(s) as number;

/** The hub takes at most 1000 events in one POST; a requisition is far smaller. */
export const MAX_LINES = 200;

const code = nonEmpty.max(128);

/** POST /requisitions: what a person enters in the tool. */
export const newRequisitionSchema = z.object({
  facility: code,
  requester: nonEmpty.max(200),
  priority: z.enum(PRIORITIES),
  lines: z.array(z.object({
    itemId: code,
    quantity: positive.max(1_000_000),
    uom: code,
    locationId: code,
    costCenterId: code.nullish(),
  })).min(1).max(MAX_LINES),
});
export type NewRequisition = z.infer<typeof newRequisitionSchema>;

/** POST /requisitions/:number/status: the hub's word on one line (`line` given) or on every line (`line` null). */
export const statusUpdateSchema = z.object({
  requisitionNumber: code,
  line: code.nullish(),
  status: z.enum(HUB_STATUSES),
  poNumber: code.nullish(),
  at: instant,
  detail: z.string().max(2000).nullish(),
  /** The hub's delivery reference (eventId, correlationId, deliveryId): kept in the ledger, not interpreted. */
  reference: z.looseObject({}).nullish(),
});
export type StatusUpdate = z.infer<typeof statusUpdateSchema>;

export type RequisitionLine = {
  line: string;
  itemId: string;
  quantity: number;
  uom: string;
  locationId: string;
  costCenterId: string | null;
  status: LineStatus;
  poNumber: string | null;
  /** When the hub said the line's current status (`at` of that update); null while submitted. */
  statusAt: string | null;
};

export type HistoryEntry = {
  /** When it happened: the tool's clock for its own entries, the update's `at` for the hub's. */
  at: string;
  /** When the tool recorded it. */
  recordedAt: string;
  by: 'tool' | 'hub';
  /** The line it is about; null: the whole requisition. */
  line: string | null;
  status: RequisitionStatus;
  poNumber: string | null;
  detail: string | null;
};

/** The submission to the hub: `waiting` until the hub answers 2xx (`sent`) or refuses it with a 4xx (`refused`). */
export type Submission = {
  state: 'waiting' | 'sent' | 'refused';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  refusal: { status: number; detail: string } | null;
};

export type Requisition = {
  requisitionNumber: string;
  facility: string;
  requester: string;
  priority: (typeof PRIORITIES)[number];
  status: RequisitionStatus;
  createdAt: string;
  submission: Submission;
  lines: RequisitionLine[];
  history: HistoryEntry[];
};

/** The canonical event the hub's POST /v1/events takes (envelope and requisition.created payload). */
export type RequisitionCreatedEvent = {
  type: 'requisition.created';
  idempotencyKey: string;
  occurredAt: string;
  facility: string;
  source: { system: 'procurement' };
  payload: {
    item: { system: 'erp'; code: string };
    quantity: { value: number; unit: string };
    location: string;
    priority: (typeof PRIORITIES)[number];
    requisitionNumber: string;
    line: string;
    costCenterId: string | null;
    requester: string;
  };
};

export function createRequisition(input: NewRequisition, requisitionNumber: string, now: string): Requisition {
  return {
    requisitionNumber,
    facility: input.facility,
    requester: input.requester,
    priority: input.priority,
    status: 'submitted',
    createdAt: now,
    submission: { state: 'waiting', attempts: 0, lastError: null, sentAt: null, refusal: null },
    lines: input.lines.map((l, i) => ({
      line: String(i + 1), itemId: l.itemId, quantity: l.quantity, uom: l.uom, locationId: l.locationId,
      costCenterId: l.costCenterId ?? null, status: 'submitted', poNumber: null, statusAt: null,
    })),
    history: [{ at: now, recordedAt: now, by: 'tool', line: null, status: 'submitted', poNumber: null, detail: `submitted by ${input.requester}` }],
  };
}

/**
 * The events that submit a requisition, one per line. Built from the stored requisition alone (occurredAt is its
 * creation time), so every retry and every restart sends the very same events, and the hub's deduplication on
 * `idempotencyKey` (`PRQ-000001:1`) makes a re-send harmless.
 */
export function hubEvents(r: Requisition): RequisitionCreatedEvent[] {
  return r.lines.map((l) => ({
    type: 'requisition.created',
    idempotencyKey: `${r.requisitionNumber}:${l.line}`,
    occurredAt: r.createdAt,
    facility: r.facility,
    source: { system: 'procurement' },
    payload: {
      item: { system: 'erp', code: l.itemId },
      quantity: { value: l.quantity, unit: l.uom },
      location: l.locationId,
      priority: r.priority,
      requisitionNumber: r.requisitionNumber,
      line: l.line,
      costCenterId: l.costCenterId,
      requester: r.requester,
    },
  }));
}

/** The least advanced line's status; `refused` when the hub refused the submission. */
export function overallStatus(r: Pick<Requisition, 'submission' | 'lines'>): RequisitionStatus {
  if (r.submission.state === 'refused') return 'refused';
  return r.lines.reduce<LineStatus>((least, l) => (rank(l.status) < rank(least) ? l.status : least), 'cancelled');
}

/**
 * A copy of `r` with the hub's update applied: to its line, or to every line when `line` is null. Throws a 404
 * problem, before changing anything, for a line the requisition does not have.
 */
export function applyStatus(r: Requisition, update: StatusUpdate, recordedAt: string): Requisition {
  const line = update.line ?? null;
  if (line !== null && !r.lines.some((l) => l.line === line)) {
    throw notFound(`requisition ${r.requisitionNumber} has no line ${line} (it has ${r.lines.length})`);
  }
  const next = structuredClone(r);
  for (const l of next.lines) {
    if (line !== null && l.line !== line) continue;
    if (update.poNumber) l.poNumber = update.poNumber;
    if (rank(update.status) > rank(l.status)) {
      l.status = update.status;
      l.statusAt = update.at;
    }
  }
  next.history.push({
    at: update.at, recordedAt, by: 'hub', line, status: update.status, poNumber: update.poNumber ?? null, detail: update.detail ?? null,
  });
  next.status = overallStatus(next);
  return next;
}

/** A copy of `r` once the hub has answered its submission: taken (2xx) or refused (4xx, with the hub's reason). */
export function settleSubmission(r: Requisition, answer: { status: number; detail: string }, at: string): Requisition {
  const next = structuredClone(r);
  const taken = answer.status >= 200 && answer.status < 300;
  next.submission = {
    ...next.submission, state: taken ? 'sent' : 'refused', sentAt: taken ? at : null, refusal: taken ? null : answer, lastError: null,
  };
  if (!taken) {
    next.history.push({ at, recordedAt: at, by: 'tool', line: null, status: 'refused', poNumber: null, detail: answer.detail });
  }
  next.status = overallStatus(next);
  return next;
}
