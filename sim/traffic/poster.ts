// The traffic generator's I/O loop: paces nextBatch() to a target rate, posts arrays of events to the
// hub's public API, and acts as the warehouse (polls the ERP's open requisitions, posts stock.received,
// marks them fulfilled). A batch that fails for a technical reason (no connection, 429, 5xx) is re-sent
// unchanged, same idempotency keys, until the hub takes it: events are never dropped. With `mllp`, what the
// EHR documents for a case goes to the hub's MLLP listener as DFT^P03 instead, re-sent (same MSH-10) until
// an ACK comes back.
import { setTimeout as sleep } from 'node:timers/promises';
import { MllpClient, parseMllpAddress } from '../common/hl7.ts';
import type { Network } from '../network/types.ts';
import { caseToDft, splitForHl7, type DftCase } from './dft.ts';
import type { CanonicalEvent } from './events.ts';
import { createTrafficState, nextBatch, type TrafficState } from './generator.ts';
import { initialCounts, receiptFor, type OpenRequisition } from './stock-events.ts';

export type TrafficRunOptions = {
  hubUrl: string;
  token: string;
  /** When set, the generator plays the warehouse against this ERP simulator. */
  erpUrl?: string;
  /** Events per second (default 5). */
  rate?: number;
  badRate?: number;
  seed?: number;
  network?: Network;
  runTag?: string;
  /** Stop after this long, or after `count` generated events; otherwise run until `signal` aborts. */
  durationMs?: number;
  count?: number;
  /** Largest array per POST (default 200). */
  batchMax?: number;
  /** How often the warehouse looks for open requisitions (default 3000 ms). */
  pollMs?: number;
  /** Skip the initial stock.counted of every par-level row. */
  skipCounts?: boolean;
  /** The hub's MLLP listener, "HOST:PORT": surgical cases documented in ehr-optime go there as DFT^P03. */
  mllp?: string;
  /** How long to wait for each message's ACK before reconnecting and resending it (default 10000 ms). */
  ackTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
};

export type RunStats = {
  posted: number;
  duplicates: number;
  rejectedBatches: number;
  retries: number;
  receipts: number;
  /** HL7 (with `mllp`): messages acknowledged, their FT1 lines, AE/AR answers among them, resends. */
  hl7: { messages: number; lines: number; refused: number; retries: number };
  generator: TrafficState['stats'];
};

class Fatal extends Error {}

export async function runTraffic(options: TrafficRunOptions): Promise<RunStats> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const state = createTrafficState({ seed: options.seed, network: options.network, badRate: options.badRate, runTag: options.runTag });
  const stats: RunStats = {
    posted: 0, duplicates: 0, rejectedBatches: 0, retries: 0, receipts: 0,
    hl7: { messages: 0, lines: 0, refused: 0, retries: 0 }, generator: state.stats,
  };
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const batchMax = options.batchMax ?? 200;
  const send = (events: CanonicalEvent[]) => postUntilTaken(options, events, stats, stop.signal, log);
  const ehr = options.mllp === undefined ? undefined : new MllpClient(parseMllpAddress(options.mllp));
  stop.signal.addEventListener('abort', () => ehr?.close(), { once: true });
  const sendCase = (c: DftCase) => sendUntilAcked(ehr as MllpClient, c, options.ackTimeoutMs ?? 10_000, stats, stop.signal, log);

  let warehouse: Promise<void> = Promise.resolve();
  try {
    if (!options.skipCounts) {
      const counts = initialCounts(state);
      for (let i = 0; i < counts.length && !stop.signal.aborted; i += batchMax) await send(counts.slice(i, i + batchMax));
    }
    if (options.erpUrl) warehouse = playWarehouse(options.erpUrl, state, options.pollMs ?? 3000, send, stats, stop.signal, log);

    const rate = options.rate ?? 5;
    const started = Date.now();
    const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
    const limit = options.count ?? Infinity;
    let generated = 0;
    let pending: CanonicalEvent[] = [];
    // With MLLP, the EHR's cases wait here as whole messages (one DFT per case), the rest in `pending`.
    const cases: DftCase[] = [];
    const enqueue = (events: CanonicalEvent[]) => {
      if (!ehr) return void pending.push(...events);
      const split = splitForHl7(events, state.network);
      pending.push(...split.json);
      cases.push(...split.cases);
    };
    const queued = () => pending.length + cases.reduce((n, c) => n + c.lines.length, 0);
    const flushCases = async () => {
      for (let c = cases.shift(); c !== undefined; c = cases.shift()) {
        await sendCase(c);
        generated += c.lines.length;
      }
    };
    while (!stop.signal.aborted && generated < limit && Date.now() < deadline) {
      // How many events the schedule says should exist by now. After an outage the backlog goes out in full
      // batches, as real upstream systems flush their queues when the interface comes back.
      const due = Math.min(limit, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
      while (generated + queued() < due) enqueue(nextBatch(state));
      if (queued() === 0) {
        await sleep(Math.min(200, 1000 / rate), undefined, { signal: stop.signal }).catch(() => {});
        continue;
      }
      await flushCases();
      if (pending.length === 0) continue;
      const batch = pending.slice(0, batchMax);
      pending = pending.slice(batch.length);
      await send(batch);
      generated += batch.length;
    }
    // Whole cases are generated together; flush what was generated so a case is never half-sent.
    await flushCases();
    while (pending.length > 0 && !stop.signal.aborted) {
      const batch = pending.splice(0, batchMax);
      await send(batch);
    }
  } catch (err) {
    if (!(err instanceof Fatal)) throw err;
    if (err.message !== 'aborted') log(`traffic: stopped: ${err.message}`);
  } finally {
    stop.abort();
    await warehouse;
    options.signal?.removeEventListener('abort', onAbort);
  }
  return stats;
}

/**
 * Sends one case over MLLP until the hub answers. AA/CA: done. AE/AR (CE/CR): the hub refused the message and
 * keeps it with its error; logged, not resent (it would be refused again). No ACK in time or a broken
 * connection: reconnect and resend the very same text (same MSH-10, so the hub dedupes), never drop it.
 */
async function sendUntilAcked(
  client: MllpClient,
  c: DftCase,
  ackTimeoutMs: number,
  stats: RunStats,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const message = caseToDft(c);
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const ack = await client.sendAndWait(message, ackTimeoutMs);
      stats.hl7.messages++;
      stats.hl7.lines += c.lines.length;
      if (ack.code === 'AA' || ack.code === 'CA') return;
      stats.hl7.refused++;
      log(`traffic: hub refused HL7 ${c.controlId} (${ack.code}): ${ack.error?.message || ack.text || 'no reason given'}`);
      return;
    } catch (err) {
      if (signal.aborted) break;
      if (attempt === 0) log(`traffic: HL7 ${c.controlId}: ${(err as Error).message}; reconnecting to resend it`);
    }
    stats.hl7.retries++;
    await sleep(Math.min(5000, 100 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() * 0.5), undefined, { signal }).catch(() => {});
  }
  throw new Fatal('aborted');
}

/** Posts one batch, retrying technical failures with backoff (and Retry-After) until it is taken. */
async function postUntilTaken(
  options: TrafficRunOptions,
  events: CanonicalEvent[],
  stats: RunStats,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const body = JSON.stringify(events);
  for (let attempt = 0; !signal.aborted; attempt++) {
    let waitMs = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
    try {
      const res = await fetch(new URL('/v1/events', options.hubUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body,
        signal,
      });
      const text = await res.text();
      if (res.status === 202 || res.status === 200) {
        stats.posted += events.length;
        const results = (JSON.parse(text) as { results?: { duplicate?: boolean }[] }).results ?? [];
        stats.duplicates += results.filter((r) => r.duplicate === true).length;
        return;
      }
      if (res.status === 401 || res.status === 403) throw new Fatal(`hub refused the token (${res.status})`);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        // The hub says the batch itself is malformed; re-sending it unchanged would fail forever.
        stats.rejectedBatches++;
        log(`traffic: hub rejected a batch of ${events.length} (${res.status}): ${text.slice(0, 500)}`);
        return;
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = retryAfter * 1000;
      if (attempt === 0) log(`traffic: hub answered ${res.status}; retrying the batch`);
    } catch (err) {
      if (err instanceof Fatal || signal.aborted) throw err instanceof Fatal ? err : new Fatal('aborted');
      if (attempt === 0) log(`traffic: hub unreachable (${(err as Error).message}); retrying the batch`);
    }
    stats.retries++;
    await sleep(waitMs * (0.75 + Math.random() * 0.5), undefined, { signal }).catch(() => {});
  }
  if (signal.aborted) throw new Fatal('aborted');
}

/** Polls open requisitions, "delivers" each (stock.received), then marks it fulfilled in the ERP. */
async function playWarehouse(
  erpUrl: string,
  state: TrafficState,
  pollMs: number,
  send: (events: CanonicalEvent[]) => Promise<void>,
  stats: RunStats,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await fetch(new URL('/requisitions?status=open', erpUrl), { signal });
      if (res.ok) {
        const { data } = (await res.json()) as { data: (OpenRequisition & { id: string })[] };
        for (const req of data) {
          if (signal.aborted) break;
          await send([receiptFor(state, req)]);
          const done = await fetch(new URL(`/requisitions/${encodeURIComponent(req.id)}/fulfil`, erpUrl), {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `warehouse:fulfil:${req.id}` },
            body: '{}',
            signal,
          });
          await done.body?.cancel();
          if (done.status === 201) stats.receipts++;
        }
      }
    } catch (err) {
      // An unreachable ERP or hub just delays the warehouse; the next poll picks the work up again.
      if (!signal.aborted && !(err instanceof Fatal)) log(`traffic: warehouse poll failed: ${(err as Error).message}`);
    }
    await sleep(pollMs, undefined, { signal }).catch(() => {});
  }
}
