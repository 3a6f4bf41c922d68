// The monitor: every second it builds the overview (monitoring/overview.ts) that GET /v1/overview answers and the
// console draws live, evaluates the alert rules on it, and sends the notifications they owe. One monitor for the
// hub, however many watch: listeners get the same overview, computed once.
//
// Where the numbers come from, so that a second costs little at any volume:
//   - rates, error rates and p95s: the increase of the Prometheus metrics (engine/metrics.ts) over the last ten
//     seconds, and service-level latencies over each level's window, from samples kept once a minute;
//   - queues, circuits and what waits: the dispatcher's memory (status(), backlog());
//   - dead and rejected deliveries, open exceptions, purchase orders awaiting an 855: store counts that are index
//     ranges, read every five seconds.
// Alerts are written when they fire, are acknowledged, escalate and clear, together with the notifications they owe
// (migration 006); the sender retries each until its webhook takes it, apart from the evaluation, so a receiver
// that is down delays notifications and never the overview.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Counter, Histogram } from 'prom-client';
import { createHttpOutbound, type HttpOutbound } from '../channels/http/outbound.ts';
import type { HubConfig } from '../config/schema.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { ExceptionPolicies } from '../model/exceptions.ts';
import { AlertBook, conditionsOf, payloadOf, viewOf, type Alert, type AlertRule, type Transition } from '../monitoring/alerts.ts';
import { minus, plus, quantile, Samples, SERVICE_LATENCY_BOUNDS, total, type Cumulative } from '../monitoring/histogram.ts';
import type { AlertView, ChannelFlow, DestinationFlow, FacilityFlow, Overview, ServiceLevelStatus } from '../monitoring/overview.ts';
import {
  deliveryLatency, exceptionAge, selects, supplierAckLateness, targetSeconds, waitingBeyond, type ExceptionCategorySample,
  type SupplierAckSample, type WaitingGroup,
} from '../monitoring/service-levels.ts';
import { SIGNATURE_HEADER, signatureHeader } from '../security/signature.ts';
import type { AlertNotification, ExceptionCount, Store, StoredAlert } from '../store/store.ts';
import { BACKLOG_BUCKET_MS } from './backlog.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Metrics } from './metrics.ts';
import { backoffMs } from './pacing.ts';

/** Rates and p95s are over this much of the recent past: long enough to be steady, short enough to be live. */
const RATE_WINDOW_MS = 10_000;
/** Store counts are read this often (each an index range, but there is no need to do it every second). */
const STORE_EVERY_MS = 5_000;
/** Message results that are the sender's message refused (everything else was taken). */
const TAKEN = new Set(['AA', 'CA', 'accepted', 'duplicate', 'acknowledgment', 'partial']);

export interface MonitorDeps {
  config: HubConfig;
  store: Store;
  dispatcher: Dispatcher;
  metrics: Metrics;
  log: Logger;
  policies: ExceptionPolicies;
  /** Names of the inbound channels running now (hub.ts starts and stops them). */
  runningChannels: () => readonly string[];
  clock?: Clock;
  everyMs?: number;
}

/** What the monitor knows of the store, refreshed every STORE_EVERY_MS. */
interface StoreFacts {
  at: number;
  problems: Map<string, { dead: number; rejected: number }>;
  byCategory: ExceptionCount[];
  byFacility: ExceptionCount[];
  exceptionAges: Map<string, ExceptionCategorySample[]>; // per exception-age level
  supplierAck: Map<string, SupplierAckSample>; // per supplier-ack-lateness level
}

/** Counter increases and histogram buckets, keyed by metric and labels. */
interface Reading {
  counters: Map<string, number>;
  histograms: Map<string, Cumulative>;
  /** Upper bounds of tendon_ingest_commit_seconds (the service-latency histogram's are SERVICE_LATENCY_BOUNDS). */
  ingestBounds: number[];
}

export async function startMonitor(deps: MonitorDeps) {
  const { config, store, dispatcher, metrics, log, policies } = deps;
  const clock = deps.clock ?? systemClock;
  const everyMs = deps.everyMs ?? 1000;
  const hub = config.alerts.hub ?? hostname();
  const levels = config.serviceLevels;
  const destinations = new Map(config.destinations.map((d) => [d.name, d]));
  const channels = [
    { name: 'events-api', kind: 'http', always: true }, // POST /v1/events
    { name: 'fhir-api', kind: 'fhir', always: true }, // /fhir/r4
    ...config.inbound.map((c) => ({ name: c.name, kind: c.kind, always: false })),
  ];

  const book = new AlertBook(newId);
  const timingOf = (rule: AlertRule) => {
    const r = config.alerts.rules[rule];
    return { for: r.for, clearAfter: r.clearAfter, escalateAfter: r.escalateAfter ?? config.alerts.escalation.after };
  };
  book.restore((await store.listAlerts({ open: true, limit: 10_000 })).map(fromStored), clock.now(), timingOf);

  const recent = new Samples<Reading>(everyMs * 0.9, RATE_WINDOW_MS);
  const windows = new Map(levels.filter((l) => l.measure === 'delivery-latency').map((l) => [l.name, new Samples<Cumulative>(60_000, l.windowMinutes * 60_000)]));
  const listeners = new Set<(json: string) => void>();
  let facts: StoreFacts | null = null;
  let overview: Overview = emptyOverview(clock.now());
  let overviewJson = JSON.stringify(overview);
  const unsaved: Transition[] = []; // transitions whose write failed: written with the next ones
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  // ── one second ────────────────────────────────────────────────────────────────────────────────────────────────

  async function tick(): Promise<void> {
    const started = performance.now();
    const now = clock.now();
    const reading = await read();
    recent.add(now, reading);
    if (!facts || now - facts.at >= STORE_EVERY_MS) facts = await readStore(now);
    const next = build(now, reading, facts);
    const transitions = book.evaluate(conditionsOf(next, config.alerts, levels), now);
    next.alerts = book.firing().map(viewOf);
    overview = next;
    overviewJson = JSON.stringify(next);
    gauges(next);
    for (const listener of listeners) listener(overviewJson);
    metrics.monitorTick.observe((performance.now() - started) / 1000);
    if (transitions.length > 0 || unsaved.length > 0) await save(transitions);
    void send();
  }

  async function read(): Promise<Reading> {
    const counters = new Map<string, number>();
    const count = async (prefix: string, c: Counter<string>, key: (l: Record<string, string | number>) => string) => {
      for (const v of (await c.get()).values) {
        const k = `${prefix}|${key(v.labels as Record<string, string>)}`;
        counters.set(k, (counters.get(k) ?? 0) + v.value);
      }
    };
    await count('msg', metrics.messagesIn, (l) => `${l.channel}|${l.result}`);
    await count('att', metrics.attempts, (l) => `${l.destination}|${l.outcome}`);
    await count('del', metrics.deliveries, (l) => `${l.destination}|${l.outcome}`);
    await count('fac', metrics.facilityEvents, (l) => String(l.facility));
    const histograms = new Map<string, Cumulative>();
    const ingestBounds = await buckets(metrics.ingestLatency, (l) => `commit|${l.channel}`, histograms);
    await buckets(metrics.serviceLatency, (l) => `svc|${l.destination}|${l.action}`, histograms);
    return { counters, histograms, ingestBounds };
  }

  async function readStore(now: number): Promise<StoreFacts> {
    const open = { status: 'open' };
    const [problems, byCategory, byFacility] = await Promise.all([
      store.deliveryProblems(), store.countExceptions(open, 'category'), store.countExceptions(open, 'facility'),
    ]);
    const before = (seconds: number) => new Date(now - seconds * 1000).toISOString();
    const exceptionAges = new Map<string, ExceptionCategorySample[]>();
    const supplierAck = new Map<string, SupplierAckSample>();
    for (const level of levels) {
      if (level.measure === 'exception-age') {
        const categories = level.categories ?? byCategory.map((c) => c.key);
        exceptionAges.set(level.name, await Promise.all(categories.map(async (category) => {
          const policy = policies(category);
          const counted = byCategory.find((c) => c.key === category);
          const beyond = counted ? await store.countExceptions({ ...open, category, createdBefore: before(targetSeconds(level, policy.slaHours)) }, 'facility') : [];
          return {
            category, ownerRole: policy.ownerRole, slaHours: policy.slaHours, open: counted?.count ?? 0,
            oldestSeconds: counted ? ageSeconds(counted.oldestCreatedAt, now) : 0, beyondTargetByFacility: byKey(beyond),
          };
        })));
      } else if (level.measure === 'supplier-ack-lateness') {
        // A purchase order whose 855 did not come by its due time has an open supplier_ack_late exception, raised
        // when its ack-due timer fired: its age is how late the acknowledgment is.
        const late = { ...open, category: 'supplier_ack_late' };
        const [lateByFacility, beyond, awaiting] = await Promise.all([
          store.countExceptions(late, 'facility'), store.countExceptions({ ...late, createdBefore: before(targetSeconds(level)) }, 'facility'),
          store.countWorkflows({ type: 'purchase-order', status: 'running', stage: 'awaiting-ack' }),
        ]);
        const oldest = lateByFacility.reduce<string | null>((o, c) => (o === null || c.oldestCreatedAt < o ? c.oldestCreatedAt : o), null);
        supplierAck.set(level.name, {
          awaiting, oldestLateSeconds: oldest === null ? null : ageSeconds(oldest, now), beyondTargetByFacility: byKey(beyond),
          ownerRole: policies('supplier_ack_late').ownerRole,
        });
      }
    }
    return { at: now, problems: new Map(problems.map((p) => [p.destination, p])), byCategory, byFacility, exceptionAges, supplierAck };
  }

  function build(now: number, reading: Reading, f: StoreFacts): Overview {
    const base = recent.baseline(now, RATE_WINDOW_MS);
    const seconds = base && now > base.at ? (now - base.at) / 1000 : 0;
    const delta = (key: string) => Math.max(0, (reading.counters.get(key) ?? 0) - (base?.value.counters.get(key) ?? 0));
    const perSecond = (n: number) => (seconds > 0 ? round(n / seconds, 3) : 0);
    const histDelta = (key: string) => {
      const h = reading.histograms.get(key);
      return h ? minus(h, base?.value.histograms.get(key)) : undefined;
    };
    const counterKeys = [...reading.counters.keys()];

    const channelFlows: ChannelFlow[] = channels.map((c) => {
      const keys = counterKeys.filter((k) => k.startsWith(`msg|${c.name}|`));
      const errorKeys = keys.filter((k) => !TAKEN.has(k.slice(k.lastIndexOf('|') + 1)));
      const messages = keys.reduce((n, k) => n + delta(k), 0);
      const errors = errorKeys.reduce((n, k) => n + delta(k), 0);
      const commit = histDelta(`commit|${c.name}`);
      const p95 = commit ? quantile(reading.ingestBounds, commit, 0.95) : null;
      return {
        name: c.name, kind: c.kind,
        status: c.always || deps.runningChannels().includes(c.name) ? (c.kind === 'csv' || c.kind === 'nats' ? 'running' : 'listening') : 'stopped',
        messagesPerSecond: perSecond(messages), errorsPerSecond: perSecond(errors), errorRate: messages > 0 ? round(errors / messages, 4) : 0,
        p95CommitMs: p95 === null ? null : round(p95 * 1000, 2),
        totalMessages: keys.reduce((n, k) => n + (reading.counters.get(k) ?? 0), 0),
        totalErrors: errorKeys.reduce((n, k) => n + (reading.counters.get(k) ?? 0), 0),
      };
    });

    const backlog = dispatcher.backlog();
    const destinationFlows: DestinationFlow[] = dispatcher.status().map((s) => {
      const name = s.destination;
      const attempts = ['success', 'retryable', 'rejected'].map((o) => delta(`att|${name}|${o}`));
      const failures = attempts[1]! + attempts[2]!;
      const all = attempts[0]! + failures;
      const latency = [...reading.histograms.keys()].filter((k) => k.startsWith(`svc|${name}|`))
        .reduce<Cumulative | null>((sum, k) => (sum ? plus(sum, histDelta(k)!) : histDelta(k)!), null);
      const p95 = latency ? quantile(SERVICE_LATENCY_BOUNDS, latency, 0.95) : null;
      const oldest = backlog.find((b) => b.destination === name)?.oldestCreatedAt ?? null;
      return {
        name, role: s.role, ownerRole: destinations.get(name)?.ownerRole ?? 'integration', queued: s.queued, inFlight: s.inFlight,
        oldestPendingSeconds: oldest === null ? 0 : ageSeconds(oldest, now), deliveredPerSecond: perSecond(delta(`del|${name}|delivered`)),
        failuresPerSecond: perSecond(failures), attemptsPerSecond: perSecond(all), errorRate: all > 0 ? round(failures / all, 4) : 0,
        p95LatencyMs: p95 === null ? null : round(p95 * 1000, 2),
        circuit: s.circuit === 'closed' ? 'closed' : s.circuit === 'halfopen' ? 'halfopen' : 'open', paused: s.paused,
        dead: f.problems.get(name)?.dead ?? 0, rejected: f.problems.get(name)?.rejected ?? 0,
      };
    });

    const waiting: WaitingGroup[] = backlog.flatMap((b) => b.groups.map((g) => ({ destination: b.destination, role: b.role, ...g })));
    const serviceLevels: ServiceLevelStatus[] = levels.flatMap((level) => {
      if (level.measure === 'delivery-latency') {
        const current = [...reading.histograms.entries()].reduce<Cumulative>((sum, [k, h]) => {
          const [kind, destination, action] = k.split('|') as [string, string, string];
          const role = destinations.get(destination)?.role ?? '';
          return kind === 'svc' && selects(level, { destination, role, action }) ? plus(sum, h) : sum;
        }, new Array(SERVICE_LATENCY_BOUNDS.length + 1).fill(0));
        const samples = windows.get(level.name)!;
        samples.add(now, current);
        const late = waitingBeyond(level, waiting, BACKLOG_BUCKET_MS, now - targetSeconds(level) * 1000, now);
        return [deliveryLatency(level, {
          delivered: minus(current, samples.baseline(now, level.windowMinutes * 60_000)?.value), waitingBeyondTarget: late.byFacility,
          oldestWaitingSeconds: late.oldestSeconds,
        })];
      }
      if (level.measure === 'exception-age') return exceptionAge(level, f.exceptionAges.get(level.name) ?? [], policies);
      return [supplierAckLateness(level, f.supplierAck.get(level.name)
        ?? { awaiting: 0, oldestLateSeconds: null, beyondTargetByFacility: {}, ownerRole: policies('supplier_ack_late').ownerRole })];
    });

    const facilityNames = new Set([
      ...counterKeys.filter((k) => k.startsWith('fac|')).map((k) => k.slice(4)), ...f.byFacility.map((c) => c.key),
      ...serviceLevels.flatMap((s) => Object.keys(s.breachesByFacility)),
    ]);
    const facilities: FacilityFlow[] = [...facilityNames].sort().map((facility) => ({
      facility, eventsPerSecond: perSecond(delta(`fac|${facility}`)),
      openExceptions: f.byFacility.find((c) => c.key === facility)?.count ?? 0,
      slaBreaches: serviceLevels.reduce((n, s) => n + (s.breachesByFacility[facility] ?? 0), 0),
    }));

    return {
      at: new Date(now).toISOString(), channels: channelFlows, destinations: destinationFlows, facilities, serviceLevels, alerts: [],
      exceptions: {
        open: f.byCategory.reduce((n, c) => n + c.count, 0),
        byCategory: f.byCategory.map((c) => ({
          category: c.key, open: c.count, oldestSeconds: ageSeconds(c.oldestCreatedAt, now), ownerRole: policies(c.key).ownerRole,
        })),
      },
    };
  }

  function gauges(o: Overview): void {
    for (const s of o.serviceLevels) {
      if (s.compliance === null) metrics.serviceLevelCompliance.remove(s.name);
      else metrics.serviceLevelCompliance.set({ service_level: s.name }, s.compliance);
      metrics.serviceLevelBreached.set({ service_level: s.name }, s.status === 'breached' ? 1 : 0);
    }
    metrics.alertsFiring.reset();
    for (const a of o.alerts) metrics.alertsFiring.inc({ rule: a.rule, severity: a.severity });
  }

  // ── alerts: written with what they owe ────────────────────────────────────────────────────────────────────────

  /** The role whose route a notification goes to: the role's own, else the fallback's; null when neither has one. */
  function routed(role: string): string {
    const routes = config.alerts.routes;
    return routes[role] ? role : routes[config.alerts.fallbackRole] ? config.alerts.fallbackRole : role;
  }

  function rolesFor(t: Transition): string[] {
    const escalation = config.alerts.escalation.role;
    const roles = t.status === 'escalated' ? [escalation]
      : t.status === 'resolved' && t.alert.escalatedAt !== null ? [t.alert.ownerRole, escalation] : [t.alert.ownerRole];
    return [...new Set(roles.map(routed))];
  }

  async function save(transitions: Transition[]): Promise<void> {
    const batch = [...unsaved.splice(0), ...transitions];
    const at = new Date(clock.now()).toISOString();
    try {
      await store.write(async (tx) => {
        for (const t of batch) {
          await tx.saveAlert(toStored(t.alert));
          for (const role of rolesFor(t)) {
            await tx.queueAlertNotification({ alertId: t.alert.id, status: t.status, role, payload: payloadOf(t.status, t.alert, hub), createdAt: at, nextAttemptAt: 0 });
          }
        }
      });
      for (const t of batch) log.warn({ alertId: t.alert.id, rule: t.alert.rule, subject: t.alert.subject, status: t.status }, `alert ${t.status}: ${t.alert.summary}`);
    } catch (error) {
      unsaved.push(...batch);
      log.error({ err: error }, 'alerts could not be written; trying again with the next evaluation');
    }
  }

  // ── notifications: retried until taken ───────────────────────────────────────────────────────────────────────

  const outbound = new Map<string, HttpOutbound>();
  const inFlight = new Set<number>();
  let sending: Promise<void> | null = null;

  function transportFor(url: string, secret: string | undefined): HttpOutbound {
    let t = outbound.get(url);
    if (!t) {
      t = createHttpOutbound(url, {
        connections: 2, timeoutMs: config.alerts.timeoutMs,
        // Signed as webhook destinations sign (security/signature.ts), when sent, so the timestamp is fresh.
        headers: (body): Record<string, string> => (secret ? { [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), body) } : {}),
      });
      outbound.set(url, t);
    }
    return t;
  }

  function send(): Promise<void> {
    if (sending || stopped) return sending ?? Promise.resolve();
    sending = (async () => {
      try {
        const unsent = await store.unsentAlertNotifications(500);
        // One at a time per alert and role, in order: a receiver never hears of a clear before the start it clears.
        const heads = new Map<string, AlertNotification>();
        for (const n of unsent) if (!heads.has(`${n.alertId}|${n.role}`)) heads.set(`${n.alertId}|${n.role}`, n);
        const now = clock.now();
        for (const n of heads.values()) if (n.nextAttemptAt <= now && !inFlight.has(n.id)) void deliver(n);
      } catch (error) {
        log.error({ err: error }, 'reading alert notifications failed');
      } finally {
        sending = null;
      }
    })();
    return sending;
  }

  async function deliver(n: AlertNotification): Promise<void> {
    inFlight.add(n.id);
    try {
      const route = config.alerts.routes[n.role];
      const at = new Date(clock.now()).toISOString();
      if (!route) {
        log.warn({ alertId: n.alertId, role: n.role }, `no alert route for ${n.role} (nor ${config.alerts.fallbackRole}): the alert is in GET /v1/alerts only`);
        metrics.alertNotifications.inc({ status: n.status, outcome: 'unrouted' });
        await store.write((tx) => tx.recordAlertNotification(n.id, { attempts: n.attempts, nextAttemptAt: n.nextAttemptAt, notifiedAt: at, outcome: 'unrouted', lastError: `no route for ${n.role}` }));
        return;
      }
      const result = await transportFor(route.url, route.secret).send({ method: 'POST', path: '', json: n.payload }, `${n.alertId}:${n.status}`);
      const attempts = n.attempts + 1;
      if (result.outcome === 'success') {
        metrics.alertNotifications.inc({ status: n.status, outcome: 'sent' });
        await store.write((tx) => tx.recordAlertNotification(n.id, { attempts, nextAttemptAt: n.nextAttemptAt, notifiedAt: new Date(clock.now()).toISOString(), outcome: 'sent', lastError: null }));
        return;
      }
      // Whatever the answer, the notification is owed: it waits and goes again, however long the receiver is down.
      metrics.alertNotifications.inc({ status: n.status, outcome: 'failed' });
      const wait = backoffMs(attempts, config.alerts.retry.baseMs, config.alerts.retry.capMs);
      log.warn({ alertId: n.alertId, role: n.role, attempts, status: result.status, reason: result.reason }, 'alert notification not taken; it will be sent again');
      await store.write((tx) => tx.recordAlertNotification(n.id, { attempts, nextAttemptAt: clock.now() + wait, notifiedAt: null, outcome: null, lastError: result.reason }));
    } catch (error) {
      log.error({ err: error, alertId: n.alertId }, 'alert notification failed');
    } finally {
      inFlight.delete(n.id);
    }
  }

  // ── the loop ──────────────────────────────────────────────────────────────────────────────────────────────────

  function loop(): void {
    running = tick()
      .catch((error: unknown) => log.error({ err: error }, 'monitor tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, everyMs);
      });
  }
  loop();
  await running;

  return {
    /** The latest overview (at most a second old). */
    current: (): Overview => overview,
    /** Calls `listener` with each new overview as JSON (the same string for every listener); answers the unsubscribe. */
    subscribe(listener: (json: string) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    currentJson: (): string => overviewJson,
    /** Firing alerts as evaluated now, or the latest alerts of any state (newest first), the open ones live. */
    async alerts(state: 'firing' | 'all', limit = 100): Promise<AlertView[]> {
      const firing = book.firing().map(viewOf).reverse();
      if (state === 'firing') return firing.slice(0, limit);
      const live = new Map(firing.map((a) => [a.id, a]));
      return (await store.listAlerts({ limit })).map((s) => live.get(s.id) ?? viewOf(fromStored(s)));
    },
    /** Someone has it: no escalation after this. Recorded with the actor in the audit log. */
    async acknowledge(id: string, actor: string, note?: string): Promise<AlertView> {
      const now = clock.now();
      const alert = book.acknowledge(id, actor, now);
      if (!alert) {
        const stored = await store.getAlert(id);
        if (!stored) throw notFound(`alert ${id}`);
        throw conflict(`alert ${id} is resolved`);
      }
      const at = new Date(now).toISOString();
      await store.write(async (tx) => {
        await tx.saveAlert(toStored(alert));
        await tx.audit({ actor, action: 'alert.acknowledge', target: id, detail: { rule: alert.rule, subject: alert.subject, ...(note ? { note } : {}) } }, at);
      });
      return viewOf(alert);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await sending;
      while (inFlight.size > 0) await new Promise((r) => setTimeout(r, 10));
      for (const t of outbound.values()) await t.close().catch(() => {});
      listeners.clear();
    },
  };
}

export type Monitor = Awaited<ReturnType<typeof startMonitor>>;

/** A histogram's cumulative buckets per label set (le sorted, +Inf last), keyed by `key(labels)`; answers its upper bounds. */
async function buckets(h: Histogram<string>, key: (l: Record<string, string | number>) => string, into: Map<string, Cumulative>): Promise<number[]> {
  let bounds: number[] = [];
  const series = new Map<string, [number, number][]>();
  for (const v of (await h.get()).values) {
    if (!v.metricName?.endsWith('_bucket')) continue;
    const { le, ...labels } = v.labels as Record<string, string | number>;
    const k = key(labels);
    const list = series.get(k) ?? [];
    list.push([le === '+Inf' ? Infinity : Number(le), v.value]);
    series.set(k, list);
  }
  for (const [k, list] of series) {
    list.sort((a, b) => a[0] - b[0]);
    bounds = list.slice(0, -1).map(([le]) => le);
    into.set(k, list.map(([, value]) => value));
  }
  return bounds;
}

function emptyOverview(now: number): Overview {
  return { at: new Date(now).toISOString(), channels: [], destinations: [], facilities: [], serviceLevels: [], alerts: [], exceptions: { open: 0, byCategory: [] } };
}

const ageSeconds = (iso: string, now: number): number => Math.max(0, round((now - Date.parse(iso)) / 1000, 1));
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
const byKey = (counts: ExceptionCount[]): Record<string, number> => Object.fromEntries(counts.map((c) => [c.key, c.count]));

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const msOrNull = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

function toStored(a: Alert): StoredAlert {
  return {
    id: a.id, rule: a.rule, subject: a.subject, severity: a.severity, ownerRole: a.ownerRole, summary: a.summary, runbook: a.runbook,
    value: a.value, threshold: a.threshold, startedAt: new Date(a.startedAt).toISOString(), clearedAt: isoOrNull(a.clearedAt),
    acknowledgedAt: isoOrNull(a.acknowledgedAt), acknowledgedBy: a.acknowledgedBy, escalatedAt: isoOrNull(a.escalatedAt),
  };
}

function fromStored(s: StoredAlert): Alert {
  return {
    id: s.id, rule: s.rule as AlertRule, subject: s.subject, severity: s.severity as Alert['severity'], ownerRole: s.ownerRole,
    summary: s.summary, runbook: s.runbook, value: s.value, threshold: s.threshold, startedAt: Date.parse(s.startedAt),
    clearedAt: msOrNull(s.clearedAt), acknowledgedAt: msOrNull(s.acknowledgedAt), acknowledgedBy: s.acknowledgedBy, escalatedAt: msOrNull(s.escalatedAt),
  };
}
