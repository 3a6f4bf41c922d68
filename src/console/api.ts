// The console's one door to the hub: a fetch wrapper for the /v1 API (same-origin session cookie, JSON in and out,
// problem+json errors as ApiError) and the shapes the screens read. The overview's shapes are the monitor's own
// (src/monitoring/overview.ts), imported as types only, so the console and the hub cannot drift apart on them.
export type {
  AlertView, ChannelFlow, DestinationFlow, FacilityFlow, Overview, ServiceLevelStatus,
} from '../monitoring/overview.ts';
// The records are the hub's own types too (type-only: nothing of the hub's code is bundled).
import type { Actor, Attempt, BusinessException, Delivery, Role, StoredEvent, WorkflowInstance } from '../core/types.ts';
export type { Actor, Attempt, Delivery, DeliveryStatus, Role, StoredEvent } from '../core/types.ts';
export type { StockRisk } from '../flows/stock-risk.ts';
/** An exception as GET /v1/exceptions answers it: the record with its SLA clock and the fix the workbench suggests. */
export type ExceptionItem = BusinessException & { slaDueAt: string; ageHours: number; breached: boolean; suggestedFix: string };

// ── errors ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  errors?: { path: string; message: string }[];
  /** A release that found the event still wrong answers 409 with what is still failing, not a problem. */
  stillFailing?: string[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
    const still = problem.stillFailing?.length ? `still failing: ${problem.stillFailing.join('; ')}` : '';
    const head = problem.detail ?? problem.title ?? (problem.stillFailing ? 'not released' : `the hub answered ${status}`);
    const text = [head, fields, still].filter(Boolean).join(' — ');
    super(text);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** What a person reads for any failure: the problem's detail, or the network's own words. */
export const messageOf = (e: unknown): string =>
  e instanceof ApiError ? e.message : e instanceof Error ? `the hub cannot be reached (${e.message})` : String(e);

// ── the fetch wrapper ───────────────────────────────────────────────────────────────────────────────────────

let onUnauthorized: (() => void) | null = null;

/** Called when any call other than the session's own answers 401: the session ended, so the app signs out. */
export function whenUnauthorized(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text.slice(0, 300) };
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/v1/session')) onUnauthorized?.();
    const problem = parsed && typeof parsed === 'object' ? (parsed as Problem) : {};
    throw new ApiError(response.status, problem);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, undefined, signal),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  del: <T>(path: string) => call<T>('DELETE', path),
};

/** A query string from the parameters that have a value: `?a=1&b=x`, or '' when none has. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A path segment, escaped: keys such as `bill-only:…` or `procure:REQ-1:1` carry colons and slashes. */
export const seg = (s: string): string => encodeURIComponent(s);

// ── session and roles ───────────────────────────────────────────────────────────────────────────────────────

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
/** Roles are ordered: viewer < operator < admin. */
export const hasRole = (actor: Actor | null, needed: Role): boolean => !!actor && (RANK[actor.role] ?? -1) >= RANK[needed];

// ── records (as the routes in src/api/routes answer them) ───────────────────────────────────────────────────

export interface List<T> {
  data: T[];
}


export interface MessageMeta {
  id: string;
  channel: string;
  sourceSystem: string;
  sourceId: string | null;
  contentType: string;
  receivedAt: string;
  error: string | null;
}
/** GET /v1/messages/{id}: the raw content with PHI masked by the hub, and the events made from it. */
export interface MessageView extends MessageMeta {
  raw: string;
  events?: StoredEvent[];
}


/** GET /v1/destinations: the dispatcher's own status of each destination. */
export interface DestinationStatus {
  destination: string;
  role: string;
  url: string;
  queued: number;
  inFlight: number;
  partitions: number;
  paused: boolean;
  circuit: string;
  retryAfterUntil: string | null;
}

export interface ItemSuggestion {
  itemId: string;
  description: string;
  matchedBy: string;
  why: string;
  score: number;
}
export interface ExceptionDetail extends ExceptionItem {
  policy: { ownerRole: string; slaHours: number; suggestedFix: string };
  event: StoredEvent | null;
  delivery: Delivery | null;
  message: MessageView | null;
  suggestions: { fix: string; facts: Record<string, unknown>; items?: ItemSuggestion[] };
}
export interface ExceptionSummary {
  by: 'category' | 'facility' | 'owner';
  data: { key: string; open: number; breached: number; oldestCreatedAt: string }[];
  total: { open: number; breached: number };
}
export interface BulkRelease {
  released: string[];
  stillHeld: { id: string; problems: { message: string }[]; raised: string[] }[];
  skipped: { id: string; reason: string }[];
  more?: boolean;
}
/** The payload fields a person may correct on a held event (src/exceptions/workbench.ts CORRECTABLE_FIELDS). */
export const CORRECTABLE_FIELDS = ['lot', 'serial', 'expiry', 'location', 'quantity/value', 'quantity/unit', 'item/code', 'item/system', 'item/gtin'] as const;

export interface TimelineEntry {
  at: string;
  kind: 'message' | 'event' | 'delivery' | 'attempt' | 'exception' | string;
  id: string;
  summary: string;
}
export interface Trace {
  correlationId: string;
  messages: MessageMeta[];
  events: StoredEvent[];
  deliveries: (Delivery & { attemptLog: Attempt[] })[];
  exceptions: ExceptionItem[];
  timeline: TimelineEntry[];
}

export const SEARCH_KINDS = ['auto', 'correlation', 'po', 'msh10', 'source', 'item', 'lot', 'serial', 'patient'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export interface SearchResult {
  correlationId: string;
  kind: string;
  value: string;
  firstAt: string;
  lastAt: string;
  eventTypes: string[];
  facility: string;
}
export interface SearchAnswer {
  kind: string;
  results: SearchResult[];
  /** Messages refused with the protocol's error whose own id (MSH-10, ISA13, Idempotency-Key) is the key: no trace. */
  refused: MessageMeta[];
  /** The hub's own time for the search (the console also measures the round trip). */
  elapsedMs?: number;
}

/** GET /v1/workflows: an instance without its state, with the decisions it waits for. */
export type WorkflowSummary = Omit<WorkflowInstance, 'correlationId' | 'originEventId' | 'state'> & { decisions: string[] };
export interface WorkflowDetail extends WorkflowSummary, Pick<WorkflowInstance, 'correlationId' | 'originEventId' | 'state'> {
  deliveries: { id: string; destination: string; action: string; status: string; remoteRef: string | null; lastError: string | null }[];
  timers: { name: string; dueAt: string }[];
  exceptions: Omit<ExceptionItem, 'slaDueAt' | 'ageHours' | 'breached' | 'suggestedFix'>[];
  history: { seq: number; version: number; at: string; input: unknown; effects: unknown[] }[];
}
/** The workflow types the hub runs (src/workflows/index.ts); the list filter offers them. */
export const WORKFLOW_TYPES = ['requisition', 'purchase-order', 'charge'] as const;

export interface Drift {
  sinceDays: number;
  mappingCoveragePercent: number | null;
  unmappedCodes: { system: string; code: string; gtin: string | null; events: number }[];
  inactiveItemsReferenced: { itemId: string; referencedBy: string[] }[];
  inactiveSuppliersReferenced: { supplierId: string; activeItems: string[] }[];
  invalidFinancialDimensions: { kind: 'department' | 'cost-center'; id: string; problem: string }[];
  chargeableWithoutChargemaster: { itemId: string; description: string }[];
}

export interface ChannelInfo {
  name: string;
  kind: string;
  status: string;
  listening?: string;
  received: number;
  refused: number;
  messagesPerSecond: number;
}

