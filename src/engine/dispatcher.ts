// The dispatcher: outbox → destinations. Per destination it keeps, in memory, one FIFO per partition key (order
// is kept per (destination, partition)), picks the next partition from the highest priority lane, and respects
// the destination's concurrency, rate, Retry-After, circuit breaker and pause. The store is the truth: on start
// everything unfinished is read again, and a delivery whose outcome was not yet recorded is simply sent again
// with the same idempotency key, which the destination answers without a second effect.
//
// Memory is bounded: a destination holds at most `held` deliveries (its oldest, in commit order). When an outage
// grows its backlog past that, newer deliveries are only counted and stay in the store, and pages of them are read
// back, in commit order, each time the held ones drain to half. A day's outage is then a store range, not a heap
// whose every garbage collection stalls the ACKs of the senders. A critical delivery (an implant's) is still held
// at once, ahead of the pages, when nothing of its partition waits in the store: it must not queue behind a day of
// routine traffic, and its partition's order is kept.
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { Logger } from 'pino';
import { newId } from '../core/ids.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { PRIORITIES, type BusinessException, type Delivery } from '../core/types.ts';
import { EncodeError, type EncodeContext } from '../codecs/rest/index.ts';
import { createOutbound, type Outbound, type SendResult } from './outbound/index.ts';
import type { DestinationConfig } from '../config/schema.ts';
import type { PhiVault } from '../security/phi.ts';
import type { DeliveryOutcome, Store } from '../store/store.ts';
import type { Metrics } from './metrics.ts';
import { backoffMs, TokenBucket } from './pacing.ts';
import { tokensIn } from './tokenise.ts';
import { OutcomeWriter, type OutcomeHook } from './outcomes.ts';
import { Backlog } from './backlog.ts';
import { endDeliverSpan, startDeliverSpan, traceFields } from './tracing.ts';
import type { Span } from '@opentelemetry/api';

class Retryable extends Error {
  readonly result: SendResult;
  constructor(result: SendResult) {
    super(result.reason ?? 'retryable');
    this.result = result;
  }
}

const LANES = 3;
/** Deliveries read per page at start, when every unfinished one is counted. */
const START_PAGE = 10_000;

interface Queue {
  cfg: DestinationConfig;
  outbound: Outbound;
  partitions: Map<string, Delivery[]>;
  ready: Set<string>[]; // per priority lane: partitions whose head may be sent now
  busy: Set<string>; // partitions whose head is in flight
  blocked: Set<string>; // strict destinations: a dead head blocks its partition until replayed
  waiting: Map<string, NodeJS.Timeout>; // partitions whose head waits for its retry time
  inFlight: number;
  depth: number; // every delivery not yet final, held or waiting in the store
  held: number; // those in memory, in the partitions' lists
  loadedTo: number; // the highest seq held: the next page is read after it
  spilled: boolean; // deliveries after loadedTo wait in the store only, until a page reads them in
  skippedTo: number; // the highest seq left in the store while spilled
  spilledPartitions: Set<string>; // partitions with deliveries left in the store
  ahead: Map<string, number>; // critical deliveries held before the pages reach them: id → seq
  paging: boolean;
  paused: boolean;
  notBefore: number; // Retry-After: nothing goes before this time
  openedAt: number;
  bucket: TokenBucket;
  breaker: ReturnType<typeof circuitBreaker>;
  meter: ReturnType<typeof meterFor>;
  backlog: Backlog; // what waits, by action and facility, for the monitor's service levels
  wake: NodeJS.Timeout | null;
}

export interface DispatcherDeps {
  store: Store;
  vault: PhiVault;
  destinations: DestinationConfig[];
  metrics: Metrics;
  log: Logger;
  clock?: Clock;
  random?: () => number;
  /** Final outcomes, in the transaction that records them: the workflows that named those deliveries take them. */
  onOutcomes?: OutcomeHook;
}

export function createDispatcher(deps: DispatcherDeps) {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const { metrics, log } = deps;
  // What a workflow does about an outcome may be new deliveries: they are queued once it commits.
  const writer = new OutcomeWriter(deps.store, log, deps.onOutcomes, (made) => enqueue(made));
  const queues = new Map<string, Queue>();
  const replayed = new Set<string>(); // redelivered ids: when one lands, its rejection exception is resolved
  let stopped = false;

  for (const cfg of deps.destinations) {
    const breaker = circuitBreaker(handleWhen((e) => e instanceof Retryable), {
      halfOpenAfter: cfg.circuit.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(cfg.circuit.failures),
    });
    const q: Queue = {
      cfg, outbound: createOutbound(cfg),
      partitions: new Map(), ready: Array.from({ length: LANES }, () => new Set<string>()), busy: new Set(),
      blocked: new Set(), waiting: new Map(), inFlight: 0, depth: 0, held: 0, loadedTo: 0, spilled: false, skippedTo: 0,
      spilledPartitions: new Set(), ahead: new Map(), paging: false, paused: false, notBefore: 0, openedAt: 0,
      bucket: new TokenBucket(cfg.rps, clock.now()), breaker, wake: null, meter: meterFor(metrics, cfg.name), backlog: new Backlog(),
    };
    breaker.onStateChange((state) => {
      metrics.circuit.set({ destination: cfg.name }, state === CircuitState.Open ? 1 : state === CircuitState.HalfOpen ? 2 : 0);
      if (state === CircuitState.Open) q.openedAt = clock.now();
      log.warn({ destination: cfg.name, circuit: CircuitState[state] }, 'circuit state changed');
    });
    metrics.circuit.set({ destination: cfg.name }, 0);
    metrics.paused.set({ destination: cfg.name }, 0);
    queues.set(cfg.name, q);
  }
  metrics.queueDepth.reset();
  const gaugeDepth = (q: Queue) => q.meter.depth.set(q.depth);
  for (const q of queues.values()) gaugeDepth(q);

  /** Committed deliveries (or replayed ones): counted at once, and held unless their destination has spilled. */
  function enqueue(deliveries: Delivery[]): void {
    const touched = new Set<Queue>(); // every commit enqueues: only the queues it added to need a look
    for (const d of deliveries) {
      const q = queues.get(d.destination);
      if (!q) {
        log.error({ deliveryId: d.id, correlationId: d.correlationId, destination: d.destination }, 'delivery for a destination that is not configured');
        continue;
      }
      q.depth++;
      q.backlog.add(d);
      touched.add(q);
      if (!q.spilled || d.seq <= q.loadedTo) hold(q, d);
      else if (d.priority === PRIORITIES.critical && !q.spilledPartitions.has(d.partitionKey)) {
        q.ahead.set(d.id, d.seq);
        hold(q, d);
      } else {
        q.skippedTo = Math.max(q.skippedTo, d.seq); // a page will read it in
        q.spilledPartitions.add(d.partitionKey);
      }
      if (q.held >= q.cfg.held) q.spilled = true;
    }
    for (const q of touched) {
      gaugeDepth(q);
      pump(q);
    }
  }

  function hold(q: Queue, d: Delivery): void {
    const list = q.partitions.get(d.partitionKey);
    if (list) list.push(d);
    else q.partitions.set(d.partitionKey, [d]);
    q.held++;
    if (!q.ahead.has(d.id)) q.loadedTo = Math.max(q.loadedTo, d.seq);
    if (!list) schedule(q, d.partitionKey);
  }

  /** A spilled destination whose held deliveries drained to half reads the next page of its backlog. */
  function refill(q: Queue): void {
    if (!q.spilled || q.paging || q.paused || stopped || q.held > q.cfg.held / 2) return;
    q.paging = true;
    const size = Math.ceil(q.cfg.held / 2);
    const fence = q.skippedTo; // committed before the read: a short page has every one of them still unfinished
    deps.store.unfinishedDeliveries(q.cfg.name, q.loadedTo, size)
      .then((page) => {
        for (const d of page) if (!q.ahead.has(d.id)) hold(q, d); // counted when committed, or at start
        q.loadedTo = Math.max(q.loadedTo, page.at(-1)?.seq ?? 0, page.length < size ? fence : 0);
        for (const [id, seq] of q.ahead) if (seq <= q.loadedTo) q.ahead.delete(id);
        // A short page is the end of the backlog, unless a commit was left in the store while it was read.
        if (page.length < size && q.skippedTo <= q.loadedTo) {
          q.spilled = false;
          q.spilledPartitions.clear();
          q.ahead.clear(); // the page read every one still unfinished: those left have landed
        }
      })
      .then(() => {
        q.paging = false;
        pump(q);
        refill(q);
      }, (error: unknown) => {
        log.error({ err: error, destination: q.cfg.name }, 'reading the backlog failed; trying again in a second');
        setTimeout(() => {
          q.paging = false;
          refill(q);
        }, 1000).unref();
      });
  }

  /** Puts a partition whose head is free into its lane now, or when its retry time comes. */
  function schedule(q: Queue, key: string): void {
    const head = q.partitions.get(key)?.[0];
    if (!head || q.busy.has(key) || q.blocked.has(key) || q.waiting.has(key)) return;
    const delay = head.nextAttemptAt - clock.now();
    if (delay > 0) {
      q.waiting.set(key, setTimeout(() => {
        q.waiting.delete(key);
        schedule(q, key);
        pump(q);
      }, delay));
      return;
    }
    q.ready[Math.min(head.priority, LANES - 1)]!.add(key);
  }

  function wakeAt(q: Queue, ms: number): void {
    if (q.wake) return;
    q.wake = setTimeout(() => {
      q.wake = null;
      pump(q);
    }, Math.max(1, ms));
  }

  function nextReady(q: Queue): string | undefined {
    for (const lane of q.ready) {
      const first = lane.values().next();
      if (!first.done) {
        lane.delete(first.value);
        return first.value;
      }
    }
    return undefined;
  }

  function pump(q: Queue): void {
    while (!stopped && !q.paused && q.inFlight < q.cfg.concurrency) {
      const now = clock.now();
      if (now < q.notBefore) return wakeAt(q, q.notBefore - now);
      const state = q.breaker.state;
      if (state === CircuitState.HalfOpen && q.inFlight > 0) return; // one probe at a time
      if (state === CircuitState.Open) {
        const wait = q.openedAt + q.cfg.circuit.halfOpenAfterMs - now;
        if (wait > 0) return wakeAt(q, wait);
        if (q.inFlight > 0) return;
      }
      if (!q.ready.some((l) => l.size > 0)) return;
      const wait = q.bucket.take(now);
      if (wait > 0) return wakeAt(q, wait);
      const key = nextReady(q)!;
      const head = q.partitions.get(key)![0]!;
      q.busy.add(key);
      q.inFlight++;
      void attempt(q, key, head);
      // A half-open or open circuit lets exactly one request through to probe.
      if (state !== CircuitState.Closed) return;
    }
  }

  async function encodeContext(q: Queue, d: Delivery): Promise<EncodeContext | 'nothing-to-reverse'> {
    let reversed: EncodeContext['reversed'];
    if (d.action === 'reverse') {
      await writer.flush(); // the reversed delivery's outcome may still be in the write buffer
      const original = d.reverses ? await deps.store.getDelivery(d.reverses) : null;
      if (!original?.remoteRef || original.status !== 'delivered') return 'nothing-to-reverse';
      reversed = { action: original.action, remoteRef: original.remoteRef, body: original.body, idempotencyKey: original.idempotencyKey };
    }
    // PHI is restored only for a destination configured to receive it, only in memory, just before sending; a
    // reversal may need the patient of the effect it reverses (a credit names the charge's patient).
    const revealed = new Map<string, string>();
    if (q.cfg.phi) {
      for (const token of [...tokensIn(d.body), ...(reversed ? tokensIn(reversed.body) : [])]) {
        const sealed = await deps.store.unsealPhi(token);
        if (sealed) revealed.set(token, Buffer.from(deps.vault.decrypt(sealed)).toString('utf8'));
      }
    }
    return reversed ? { revealed, reversed } : { revealed };
  }

  async function attempt(q: Queue, key: string, d: Delivery): Promise<void> {
    let result: SendResult;
    let span: Span | undefined; // started only when the circuit lets the attempt go
    try {
      const ctx = await encodeContext(q, d);
      if (ctx === 'nothing-to-reverse') {
        // The effect being reversed never happened (it ended dead or rejected): nothing to undo.
        return finish(q, key, { ...d, status: 'delivered', lastError: 'nothing to reverse' }, null);
      }
      result = await q.breaker.execute(async () => {
        span = startDeliverSpan(q.cfg.name, d);
        const r = await q.outbound.deliver(d, ctx);
        if (r.outcome === 'retryable') throw new Retryable(r);
        return r;
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        // Not an attempt: the circuit did not let it go. The partition goes back to its lane untouched.
        q.busy.delete(key);
        q.inFlight--;
        schedule(q, key);
        return wakeAt(q, Math.min(250, q.cfg.circuit.halfOpenAfterMs));
      }
      if (error instanceof Retryable) result = error.result;
      else if (error instanceof EncodeError) {
        return finish(q, key, { ...d, status: 'dead', lastError: `cannot encode: ${error.message}` }, null, span);
      } else throw error;
    }
    const now = clock.now();
    const attempts = d.attempts + 1;
    const attemptRecord = {
      deliveryId: d.id, at: new Date(now).toISOString(), outcome: result.outcome, statusCode: result.status,
      latencyMs: Math.round(result.latencyMs * 100) / 100, error: result.reason,
    };
    q.meter.attempts[result.outcome].inc();
    q.meter.attemptLatency.observe(result.latencyMs / 1000);
    if (result.outcome === 'success') {
      const seconds = Math.max(0, now - Date.parse(d.createdAt)) / 1000;
      q.meter.endToEnd.observe(seconds);
      q.meter.service(d.action).observe(seconds);
      return finish(q, key, { ...d, status: 'delivered', attempts, remoteRef: result.remoteRef, lastError: null }, attemptRecord, span);
    }
    if (result.outcome === 'rejected') {
      return finish(q, key, { ...d, status: 'rejected', attempts, lastError: result.reason }, attemptRecord, span);
    }
    if (result.retryAfterMs !== null) q.notBefore = Math.max(q.notBefore, now + result.retryAfterMs);
    const age = now - Date.parse(d.createdAt);
    if (attempts >= q.cfg.retry.maxAttempts || age >= q.cfg.retry.maxAgeSeconds * 1000) {
      return finish(q, key, { ...d, status: 'dead', attempts, lastError: result.reason }, attemptRecord, span);
    }
    const nextAttemptAt = Math.max(now + backoffMs(attempts, q.cfg.retry.baseMs, q.cfg.retry.capMs, random), q.notBefore);
    finish(q, key, { ...d, status: 'retrying', attempts, nextAttemptAt, lastError: result.reason }, attemptRecord, span);
  }

  function finish(q: Queue, key: string, after: Delivery, attemptRecord: DeliveryOutcome['attempt'], span?: Span): void {
    endDeliverSpan(span, after, attemptRecord);
    const list = q.partitions.get(key)!;
    list[0] = after;
    writer.add(
      { deliveryId: after.id, attempt: attemptRecord, status: after.status, attempts: after.attempts, nextAttemptAt: after.nextAttemptAt,
        remoteRef: after.remoteRef, lastError: after.lastError },
      after.status === 'rejected' ? rejectionException(q, after) : null,
      after.status === 'delivered' && replayed.delete(after.id) ? after.id : null,
    );
    q.busy.delete(key);
    q.inFlight--;
    const final = after.status !== 'retrying';
    if (final) {
      metrics.deliveries.labels(q.cfg.name, after.status).inc();
      if (after.status !== 'delivered') {
        // Rare and worth a line (the destination's reason stays out of the log: it may quote PHI; the API has it).
        log.warn({ deliveryId: after.id, eventId: after.eventId, correlationId: after.correlationId, destination: q.cfg.name,
          status: after.status, attempts: after.attempts, statusCode: attemptRecord?.statusCode ?? null, ...traceFields(span) }, `delivery ${after.status}`);
      }
      if (after.status === 'dead' && q.cfg.strict) q.blocked.add(key);
      else {
        list.shift();
        q.depth--;
        q.held--;
        q.backlog.remove(after);
      }
    }
    if (list.length === 0) q.partitions.delete(key);
    else schedule(q, key);
    gaugeDepth(q);
    pump(q);
    refill(q);
  }

  function rejectionException(q: Queue, d: Delivery): BusinessException {
    metrics.exceptionsRaised.inc({ category: 'delivery_rejected' });
    return {
      id: newId(), category: 'delivery_rejected', status: 'open', ownerRole: q.cfg.ownerRole,
      facility: String(d.body.facilityId ?? d.partitionKey.split('|')[0]), eventId: d.eventId, deliveryId: d.id,
      correlationId: d.correlationId, detail: { destination: q.cfg.name, action: d.action, reason: d.lastError },
      createdAt: new Date(clock.now()).toISOString(), resolvedAt: null, resolvedBy: null, resolution: null,
    };
  }

  /** Replay: a delivery set back to pending in the store is queued again (or unblocks its strict partition). */
  function redeliver(d: Delivery): void {
    const q = queues.get(d.destination);
    if (!q) return;
    replayed.add(d.id);
    const list = q.partitions.get(d.partitionKey);
    const queued = list?.findIndex((x) => x.id === d.id) ?? -1;
    if (list && queued >= 0) {
      if (q.busy.has(d.partitionKey) && queued === 0) return; // already on its way
      list[queued] = d;
      q.blocked.delete(d.partitionKey);
      const timer = q.waiting.get(d.partitionKey);
      if (timer && queued === 0) (clearTimeout(timer), q.waiting.delete(d.partitionKey));
      schedule(q, d.partitionKey);
      return pump(q);
    }
    enqueue([d]);
  }

  /**
   * A partner refused later what it had taken: a 997/999 or TA1 rejecting an interchange delivered earlier (see
   * partner-acks.ts). The delivery ends rejected as if the partner had said so at once (its exception, and the
   * outcome to the workflow that named it), in one transaction, before the caller answers the partner. Only a
   * delivered one changes, checked inside the transaction: the same refusal again, or one about a delivery that
   * was sent again since, changes nothing (false).
   */
  async function refusedLater(deliveryId: string, reason: string): Promise<boolean> {
    const made = await deps.store.write(async (tx) => {
      const d = await tx.deliveryById(deliveryId);
      const q = d && queues.get(d.destination);
      if (!d || !q || d.status !== 'delivered') return null;
      const at = new Date(clock.now()).toISOString();
      await tx.recordOutcomes([{ deliveryId, attempt: null, status: 'rejected', attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: reason }]);
      await tx.insertException(rejectionException(q, { ...d, status: 'rejected', lastError: reason }));
      return deps.onOutcomes ? deps.onOutcomes(tx, [{ deliveryId, status: 'rejected', remoteRef: d.remoteRef, reason }], at) : [];
    });
    if (made) enqueue(made);
    return made !== null;
  }

  return {
    enqueue,
    redeliver,
    refusedLater,
    async start() {
      const paused = new Set(await deps.store.pausedDestinations());
      for (const q of queues.values()) {
        q.paused = paused.has(q.cfg.name);
        metrics.paused.set({ destination: q.cfg.name }, q.paused ? 1 : 0);
      }
      // Everything not final, in commit order, a page at a time: counted, and held up to the bound (the rest is
      // read in as the held ones go). What was in flight at a crash is sent again, with the same key.
      for (const q of queues.values()) {
        for (let after = 0; ;) {
          const page = await deps.store.unfinishedDeliveries(q.cfg.name, after, START_PAGE);
          enqueue(page);
          if (page.length < START_PAGE) break;
          after = page.at(-1)!.seq;
        }
      }
    },
    setPaused(destination: string, paused: boolean): boolean {
      const q = queues.get(destination);
      if (!q) return false;
      q.paused = paused;
      metrics.paused.set({ destination }, paused ? 1 : 0);
      if (!paused) {
        pump(q);
        refill(q);
      }
      return true;
    },
    status() {
      return [...queues.values()].map((q) => ({
        destination: q.cfg.name, role: q.cfg.role, url: q.cfg.url, queued: q.depth, held: q.held, inFlight: q.inFlight,
        partitions: q.partitions.size, paused: q.paused, circuit: CircuitState[q.breaker.state].toLowerCase(),
        retryAfterUntil: q.notBefore > clock.now() ? new Date(q.notBefore).toISOString() : null,
      }));
    },
    has: (destination: string) => queues.has(destination),
    /**
     * For the monitor, every second: per destination, the creation time of the oldest delivery not yet final (the
     * heads of its partitions, which are in commit order), and what waits by action and facility (engine/backlog.ts).
     */
    backlog() {
      return [...queues.values()].map((q) => {
        let oldest: string | null = null;
        for (const list of q.partitions.values()) {
          const created = list[0]?.createdAt;
          if (created !== undefined && (oldest === null || created < oldest)) oldest = created; // ISO times sort as text
        }
        return { destination: q.cfg.name, role: q.cfg.role, oldestCreatedAt: oldest, groups: q.backlog.list() };
      });
    },
    async stop(graceMs = 5000) {
      stopped = true;
      const until = clock.now() + graceMs;
      while ([...queues.values()].some((q) => q.inFlight > 0) && clock.now() < until) await new Promise((r) => setTimeout(r, 10));
      for (const q of queues.values()) {
        if (q.wake) clearTimeout(q.wake);
        for (const t of q.waiting.values()) clearTimeout(t);
        await q.outbound.close().catch(() => {});
      }
      await writer.flush();
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/** Metric children bound once per destination: label lookups on every delivery showed in profiles. */
function meterFor(metrics: Metrics, destination: string) {
  return {
    attempts: {
      success: metrics.attempts.labels(destination, 'success'),
      retryable: metrics.attempts.labels(destination, 'retryable'),
      rejected: metrics.attempts.labels(destination, 'rejected'),
    },
    attemptLatency: metrics.attemptLatency.labels(destination),
    endToEnd: metrics.endToEnd.labels(destination),
    depth: metrics.queueDepth.labels(destination),
    service: perAction((action) => metrics.serviceLatency.labels(destination, action)),
  };
}

/** A metric child per delivery action, made on first use: actions are few, and known only as deliveries come. */
function perAction<T>(make: (action: string) => T): (action: string) => T {
  const children = new Map<string, T>();
  return (action) => {
    let child = children.get(action);
    if (!child) children.set(action, (child = make(action)));
    return child;
  };
}
