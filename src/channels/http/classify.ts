// How a destination's HTTP answer is read. Pure. Success; retryable (the effect did not happen, or may have: the
// same idempotency key makes a retry safe); or rejected — a business refusal with a reason, which becomes an
// exception for the destination's owner instead of being retried.
import type { AttemptOutcome } from '../../core/types.ts';

export interface Classified {
  outcome: AttemptOutcome;
  reason: string | null;
  remoteRef: string | null;
  retryAfterMs: number | null;
}

/** Retry-After as seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const reasonOf = (status: number, body: unknown): string => {
  const b = body as { detail?: unknown; title?: unknown; message?: unknown } | null;
  const text = b && typeof b === 'object' ? (b.detail ?? b.title ?? b.message) : body;
  return `HTTP ${status}${typeof text === 'string' && text ? `: ${text.slice(0, 300)}` : ''}`;
};

export function classify(status: number, body: unknown, retryAfter: string | undefined, now: number): Classified {
  if (status >= 200 && status < 300) {
    const id = (body as { id?: unknown } | null)?.id;
    return { outcome: 'success', reason: null, remoteRef: typeof id === 'string' || typeof id === 'number' ? String(id) : null, retryAfterMs: null };
  }
  // 400, 409 and 422 are the destination saying "no" to this content: retrying the same request cannot help.
  if (status === 400 || status === 409 || status === 422) {
    return { outcome: 'rejected', reason: reasonOf(status, body), remoteRef: null, retryAfterMs: null };
  }
  // Everything else is technical — 5xx, 429, 408, and also 401/403/404, which are configuration or outage
  // problems for the integration team (they retry, then go dead), never a business refusal.
  return { outcome: 'retryable', reason: reasonOf(status, body), remoteRef: null, retryAfterMs: retryAfterMs(retryAfter, now) };
}

/** A destination's answer as the transport got it, for a reader to classify. */
export interface HttpAnswer {
  status: number;
  /** Parsed JSON, or the text when it is not JSON. */
  body: unknown;
  header(name: string): string | undefined;
}

/** How a destination's answers are read: REST's by default; a protocol with its own rules (FHIR) brings its own. */
export type AnswerReader = (answer: HttpAnswer, now: number) => Classified;

export const readRestAnswer: AnswerReader = (a, now) => classify(a.status, a.body, a.header('retry-after'), now);
