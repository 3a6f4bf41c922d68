// Sends the procurement tool's requisitions to the hub (POST {hub}/v1/events, bearer token), one requisition per
// POST as an array of its lines' requisition.created events, oldest first. A requisition waits in the sim store
// (its `submission.state` is `waiting`) until the hub answers: 2xx settles it as sent; a 4xx other than 401, 403,
// 408 and 429 means the hub refused the events themselves, so the requisition is marked refused with the hub's
// problem detail and not sent again. Everything else (no hub yet, no connection, a timeout, 5xx, 408, 429, a
// token the hub does not take) is retried with backoff, honouring Retry-After, so submissions survive a hub
// outage and a restart of the tool: the events are rebuilt from the stored requisition, identical each time.
import { alarm } from '../common/alarm.ts';
import type { SimStore } from '../common/store.ts';
import { hubEvents, settleSubmission, type Requisition } from './requisitions.ts';

export type RetryPolicy = { baseMs: number; capMs: number; timeoutMs: number };
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 200, capMs: 5000, timeoutMs: 10_000 };

export type Submitter = {
  /** A requisition just stored as waiting (inside or after its transaction): send it once its commit is done. */
  add(requisitionNumber: string): void;
  /** Where the hub is (its base URL, e.g. http://127.0.0.1:8080) and the bearer token; may be called again. */
  connect(hubUrl: string, token: string): void;
  readonly connected: boolean;
  /** Requisition numbers still waiting, oldest first. */
  waiting(): string[];
  close(): Promise<void>;
};

export const REQUISITIONS = 'requisitions';
/** 401/403 say the token is wrong, not the requisition: retried until the tool is connected with a good one. */
const RETRYABLE = new Set([401, 403, 408, 425, 429]);

type Outcome = { settled: true } | { settled: false; retryInMs: number };

export function createSubmitter(options: { store: SimStore; retry?: Partial<RetryPolicy>; log: (line: string) => void }): Submitter {
  const { store, log } = options;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  let hub: { url: string; token: string } | undefined;
  let closed = false;
  const stop = new AbortController();
  // Numbers ("PRQ-000042") sort in creation order: the counter is zero-padded and a restart keeps counting.
  const pending = store.all<Requisition>(REQUISITIONS).filter((r) => r.submission.state === 'waiting').map((r) => r.requisitionNumber).sort(byNumber);

  /** Waits until woken (new work, a new hub, close) or, with `ms`, that long at most. */
  const { wake, nap } = alarm();
  let backingOff = false;

  /** Writes what an attempt changed into the stored requisition, re-read: a status update may have changed it meanwhile. */
  const update = (number: string, change: (r: Requisition) => Requisition) =>
    store.transaction(() => {
      const r = store.get<Requisition>(REQUISITIONS, number);
      if (r) store.put(REQUISITIONS, number, change(r));
    });

  async function attempt(number: string, target: { url: string; token: string }, attempts: number): Promise<Outcome> {
    const r = store.get<Requisition>(REQUISITIONS, number);
    if (!r || r.submission.state !== 'waiting') return { settled: true };
    let waitMs = Math.min(retry.capMs, retry.baseMs * 2 ** Math.min(attempts, 16));
    let lastError: string;
    update(number, (cur) => ({ ...cur, submission: { ...cur.submission, attempts: cur.submission.attempts + 1 } }));
    try {
      const res = await fetch(new URL('/v1/events', target.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}`, 'idempotency-key': number },
        body: JSON.stringify(hubEvents(r)),
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(retry.timeoutMs)]),
      });
      const text = await res.text();
      if ((res.status >= 200 && res.status < 300) || (res.status < 500 && !RETRYABLE.has(res.status))) {
        const detail = res.ok ? `HTTP ${res.status}` : refusalDetail(res.status, text);
        update(number, (cur) => settleSubmission(cur, { status: res.status, detail }, new Date().toISOString()));
        if (!res.ok) log(`procurement: the hub refused requisition ${number}: ${detail}`);
        return { settled: true };
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = Math.min(retryAfter * 1000, 60_000);
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      if (stop.signal.aborted) return { settled: false, retryInMs: 0 };
      const cause = (err as Error).cause;
      lastError = cause instanceof Error ? cause.message : (err as Error).message;
    }
    update(number, (cur) => ({ ...cur, submission: { ...cur.submission, lastError } }));
    if (attempts === 0) log(`procurement: submitting ${number} to the hub failed (${lastError}); retrying`);
    return { settled: false, retryInMs: waitMs * (0.75 + Math.random() * 0.5) };
  }

  const loop = (async () => {
    let attempts = 0;
    while (!closed) {
      const number = pending[0];
      if (!hub || number === undefined) {
        await nap();
        continue;
      }
      // Never send what a restart could forget: the requisition's own commit comes first.
      await store.durable().catch(() => {});
      const outcome = await attempt(number, hub, attempts);
      await store.durable().catch((err: unknown) => log(`procurement: commit failed: ${(err as Error).message}`));
      if (outcome.settled) {
        pending.shift();
        attempts = 0;
        continue;
      }
      attempts++;
      backingOff = true;
      await nap(outcome.retryInMs);
      backingOff = false;
    }
  })();

  return {
    add(number) {
      pending.push(number);
      // New work does not cut a backoff short: the hub is down for everyone behind the first in line too.
      if (!backingOff) wake();
    },
    connect(url, token) {
      hub = { url, token };
      wake();
    },
    get connected() {
      return hub !== undefined;
    },
    waiting: () => [...pending],
    async close() {
      closed = true;
      stop.abort();
      wake();
      await loop;
    },
  };
}

/** The hub's problem+json, shortened to what a person reads in the tool: its detail and the fields it names. */
export function refusalDetail(status: number, text: string): string {
  try {
    const p = JSON.parse(text) as { detail?: unknown; title?: unknown; errors?: { path?: unknown; message?: unknown }[] };
    const head = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : `HTTP ${status}`;
    const fields = Array.isArray(p.errors) ? p.errors.slice(0, 5).map((e) => `${String(e.path)}: ${String(e.message)}`) : [];
    return [head, ...fields].join('; ');
  } catch {
    return `HTTP ${status}: ${text.slice(0, 300)}`;
  }
}

const byNumber = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
