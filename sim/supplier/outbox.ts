// The supplier's outbox: every document it owes the hub, kept in the sim store until the hub has answered, and
// sent one at a time in due order (so a PO's 997, 855, 856 and 810 arrive in that order). A document's text is
// written and committed before its first attempt, so every retry sends the very same interchange (same ISA13:
// the hub recognises it) and a restart never renumbers what may already have arrived. Connection errors,
// timeouts, 5xx, 408, 429, 401 and 403 are retried with backoff until the hub answers; a 997/999 that rejects the
// document, a TA1 or another 4xx settles it as rejected (logged, kept, not resent).
import { alarm } from '../common/alarm.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimStore } from '../common/store.ts';
import { parseInterchange, readTa1s, type X12Interchange } from '../common/x12.ts';
import type { DocumentRef } from './documents.ts';

export type OutboxState = 'pending' | 'sent' | 'rejected' | 'cancelled';

/** What the hub said: its HTTP status and the acknowledgment it carried (AK9/AK5 or IK5, or a TA1). */
export type HubAnswer = { status: number; accepted: boolean; detail: string };

export type OutboxEntry = {
  id: string;
  /** Creation order; ties on `dueAt` go by it. */
  seq: number;
  /** Epoch ms before which the document is not sent. */
  dueAt: number;
  document: DocumentRef;
  /** For people: "855 for PO 4500012345". */
  label: string;
  state: OutboxState;
  /** ISA13 = GS06 = ST02 of the written interchange (null until written). */
  controlNumber: number | null;
  text: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  answer: HubAnswer | null;
};

export type RetryPolicy = { baseMs: number; capMs: number; timeoutMs: number };
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 200, capMs: 5000, timeoutMs: 10_000 };

export type OutboxOptions = {
  store: SimStore;
  /** Sets `text` and `controlNumber` (inside a transaction), once, when the entry is first due. */
  render: (entry: OutboxEntry) => void;
  /** Records what a settled entry means for its order (inside a transaction). */
  settled: (entry: OutboxEntry) => void;
  retry?: Partial<RetryPolicy>;
  log: (line: string) => void;
};

export type Outbox = {
  /** Adds a document (call inside the store transaction that made it necessary). */
  add(fields: Pick<OutboxEntry, 'dueAt' | 'document' | 'label'>): OutboxEntry;
  /** Cancels the pending documents that match and are not written yet (inside a transaction); returns them. */
  cancel(match: (entry: OutboxEntry) => boolean): OutboxEntry[];
  /** Where to send and with which bearer token; may be called again (a hub on a new address). */
  connect(url: string, token: string): void;
  readonly connected: boolean;
  /** Every entry, oldest first. */
  entries(): OutboxEntry[];
  /** Lets the sender look at the outbox again (after add). */
  wake(): void;
  close(): Promise<void>;
};

const COLL = 'outbox';
const RETRYABLE = new Set([401, 403, 408, 425, 429]);

export function createOutbox(options: OutboxOptions): Outbox {
  const { store, log } = options;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  let hub: { url: string; token: string } | undefined;
  let closed = false;
  const stop = new AbortController();
  // Pending entries in memory (rebuilt from the store on start), so picking the next one is not a scan of history.
  const pending = store.all<OutboxEntry>(COLL).filter((e) => e.state === 'pending');

  const save = (entry: OutboxEntry) => store.put(COLL, entry.id, entry);
  const { wake, nap } = alarm();
  const next = (): OutboxEntry | undefined =>
    pending.reduce<OutboxEntry | undefined>((best, e) => (!best || e.dueAt < best.dueAt || (e.dueAt === best.dueAt && e.seq < best.seq) ? e : best), undefined);
  const settle = (entry: OutboxEntry, state: 'sent' | 'rejected', answer: HubAnswer) => {
    store.transaction(() => {
      entry.state = state;
      entry.answer = answer;
      entry.sentAt = new Date().toISOString();
      pending.splice(pending.indexOf(entry), 1);
      save(entry);
      options.settled(entry);
    });
    if (state === 'rejected' && answer.status !== 0) log(`supplier: the hub rejected ${entry.label} (ISA13 ${entry.controlNumber}): ${answer.detail}`);
  };

  async function send(entry: OutboxEntry, target: { url: string; token: string }): Promise<{ retryInMs: number } | undefined> {
    let waitMs = Math.min(retry.capMs, retry.baseMs * 2 ** Math.min(entry.attempts, 16));
    store.transaction(() => {
      entry.attempts++;
      save(entry);
    });
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/edi-x12', authorization: `Bearer ${target.token}` },
        body: entry.text as string,
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(retry.timeoutMs)]),
      });
      const body = await res.text();
      if (res.status >= 200 && res.status < 300) {
        const answer = readHubAck(body, res.status, entry.controlNumber as number);
        settle(entry, answer.accepted ? 'sent' : 'rejected', answer);
        return undefined;
      }
      if (res.status < 500 && !RETRYABLE.has(res.status)) {
        settle(entry, 'rejected', { status: res.status, accepted: false, detail: readHubRefusal(body, res.status) });
        return undefined;
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = Math.min(retryAfter * 1000, 60_000);
      entry.lastError = `HTTP ${res.status}`;
    } catch (err) {
      if (stop.signal.aborted) return undefined;
      entry.lastError = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
    }
    store.transaction(() => save(entry));
    if (entry.attempts === 1) log(`supplier: sending ${entry.label} to the hub failed (${entry.lastError}); retrying`);
    return { retryInMs: waitMs * (0.75 + Math.random() * 0.5) };
  }

  const loop = (async () => {
    while (!closed) {
      const entry = next();
      if (!hub || !entry) {
        await nap();
        continue;
      }
      const dueIn = entry.dueAt - Date.now();
      if (dueIn > 0) {
        await nap(dueIn);
        continue;
      }
      try {
        if (entry.text === null) {
          store.transaction(() => {
            options.render(entry);
            save(entry);
          });
          await store.durable();
        }
      } catch (err) {
        // A document that cannot be written would block every one behind it: set it aside, visibly.
        log(`supplier: could not write ${entry.label}, set aside: ${(err as Error).message}`);
        settle(entry, 'rejected', { status: 0, accepted: false, detail: `not written: ${(err as Error).message}` });
        continue;
      }
      const outcome = await send(entry, hub);
      await store.durable().catch((err: unknown) => log(`supplier: outbox commit failed: ${(err as Error).message}`));
      if (outcome) await sleep(outcome.retryInMs, undefined, { signal: stop.signal }).catch(() => {});
    }
  })();

  return {
    add(fields) {
      const id = store.nextId('OUT', 8);
      const entry: OutboxEntry = {
        id, seq: Number(id.slice(4)), ...fields, state: 'pending', controlNumber: null, text: null,
        attempts: 0, lastError: null, sentAt: null, answer: null,
      };
      save(entry);
      pending.push(entry);
      return entry;
    },
    cancel(match) {
      const cancelled = pending.filter((e) => e.text === null && match(e));
      for (const entry of cancelled) {
        entry.state = 'cancelled';
        pending.splice(pending.indexOf(entry), 1);
        save(entry);
      }
      return cancelled;
    },
    connect(url, token) {
      hub = { url, token };
      wake();
    },
    get connected() {
      return hub !== undefined;
    },
    entries: () => store.all<OutboxEntry>(COLL).sort((a, b) => a.seq - b.seq),
    wake,
    async close() {
      closed = true;
      stop.abort();
      wake();
      await loop;
    },
  };
}

/** The hub's 2xx answer: a 997/999 whose AK1 names our group (GS06 = our control number). */
export function readHubAck(body: string, status: number, controlNumber: number): HubAnswer {
  let interchange: X12Interchange;
  try {
    interchange = parseInterchange(body);
  } catch (err) {
    return { status, accepted: true, detail: `HTTP ${status} without a readable 997/999 (${(err as Error).message})` };
  }
  for (const group of interchange.groups) {
    for (const set of group.sets) {
      if (set.id !== '997' && set.id !== '999') continue;
      const ak1 = set.segments.find((s) => s.tag === 'AK1');
      if (Number(ak1?.get(2)) !== controlNumber) continue;
      const ak9 = set.segments.find((s) => s.tag === 'AK9');
      const setCodes = set.segments.filter((s) => s.tag === 'AK5' || s.tag === 'IK5').map((s) => s.elements.slice(1).filter((e) => e !== '').join(' '));
      const errors = set.segments.filter((s) => ['AK3', 'AK4', 'IK3', 'IK4'].includes(s.tag)).map((s) => s.elements.join(interchange.delimiters.element));
      const code = ak9?.get(1) ?? '';
      const detail = [`${set.id} AK9 ${code || '(none)'}`, ...setCodes.map((c) => `${set.id === '999' ? 'IK5' : 'AK5'} ${c}`), ...errors].join('; ');
      return { status, accepted: code === 'A' || code === 'E', detail };
    }
  }
  return { status, accepted: true, detail: `HTTP ${status} without a 997/999 for group ${controlNumber}` };
}

/** The hub's refusal: a TA1 (400) or any other body, shortened. */
function readHubRefusal(body: string, status: number): string {
  try {
    const ta1 = readTa1s(parseInterchange(body))[0];
    if (ta1) return `HTTP ${status}, TA1 ${ta1.code} note ${ta1.note}`;
  } catch {
    // not X12: fall through to the raw text
  }
  return `HTTP ${status}: ${body.slice(0, 300)}`;
}
