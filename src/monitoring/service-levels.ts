// Business service levels (docs/monitoring.md), evaluated from samples the monitor takes: each configured level
// gives the value now against its target, the share of measured items within it against the objective, and where
// the items outside it are (by facility). Pure: the numbers and the time come in.
//
//   delivery-latency       the window's delivered items (ingest commit → acknowledged, from the latency histogram)
//                          PLUS the deliveries still waiting longer than the target: an outage delivers nothing,
//                          and must still show as a breach while it lasts, not only once the backlog lands.
//   exception-age          open exceptions per category against the category's SLA (or the level's own target).
//   supplier-ack-lateness  purchase orders still awaiting their 855 past the due time, against all awaiting one.
import type { ServiceLevelConfig } from '../config/schema.ts';
import { countWithin, quantile, SERVICE_LATENCY_BOUNDS, total, type Cumulative } from './histogram.ts';
import type { ServiceLevelStatus } from './overview.ts';

/** One flow of deliveries: what a latency sample and a waiting count are kept by. */
export interface Flow {
  destination: string;
  role: string;
  action: string;
}

/** Does the level measure this flow? Each filter given must match (destinations, roles and actions together). */
export function selects(level: ServiceLevelConfig, flow: Flow): boolean {
  return (!level.destinations || level.destinations.includes(flow.destination))
    && (!level.roles || (level.roles as readonly string[]).includes(flow.role))
    && (!level.actions || level.actions.includes(flow.action));
}

const SECONDS = { seconds: 1, hours: 3600 } as const;

/** The target in seconds; an exception-age level without its own target uses the category's SLA. */
export function targetSeconds(level: ServiceLevelConfig, slaHours?: number): number {
  if (level.target !== undefined) return level.target * SECONDS[level.unit];
  return (slaHours ?? 24) * 3600;
}

/**
 * Deliveries still waiting, by flow and facility, counted in buckets of their creation time (start of the bucket,
 * epoch ms → how many): what the dispatcher holds in memory, summarised so that counting "older than" is cheap.
 */
export interface WaitingGroup extends Flow {
  facility: string;
  buckets: ReadonlyMap<number, number>;
}

/** Waiting deliveries of the selected flows created before `cutoff` (a whole bucket must be: never a false breach), by facility; and the oldest one's age. */
export function waitingBeyond(level: ServiceLevelConfig, groups: readonly WaitingGroup[], bucketMs: number, cutoff: number, now: number) {
  const byFacility: Record<string, number> = {};
  let oldest: number | null = null;
  for (const g of groups) {
    if (!selects(level, g)) continue;
    for (const [start, count] of g.buckets) {
      if (count <= 0) continue;
      const end = start + bucketMs;
      if (oldest === null || end < oldest) oldest = end;
      if (end <= cutoff) byFacility[g.facility] = (byFacility[g.facility] ?? 0) + count;
    }
  }
  return { byFacility, oldestSeconds: oldest === null ? null : Math.max(0, (now - oldest) / 1000) };
}

export interface DeliveryLatencySample {
  /** The window's increase of the selected flows' latency histogram (SERVICE_LATENCY_BOUNDS, then +Inf). */
  delivered: Cumulative;
  /** Selected deliveries still waiting longer than the target, by facility. */
  waitingBeyondTarget: Record<string, number>;
  /** Age of the oldest selected delivery still waiting, seconds; null when none waits. */
  oldestWaitingSeconds: number | null;
}

export function deliveryLatency(level: ServiceLevelConfig, s: DeliveryLatencySample): ServiceLevelStatus {
  const target = targetSeconds(level);
  const delivered = total(s.delivered);
  const within = Math.min(delivered, countWithin(SERVICE_LATENCY_BOUNDS, s.delivered, target));
  const late = sum(s.waitingBeyondTarget);
  const measured = delivered + late;
  const p95 = quantile(SERVICE_LATENCY_BOUNDS, s.delivered, 0.95);
  // The value now is the worse of what landed (p95) and what has waited longest: during an outage the latter grows.
  const worst = p95 === null && s.oldestWaitingSeconds === null ? null : Math.max(p95 ?? 0, s.oldestWaitingSeconds ?? 0);
  const compliance = measured === 0 ? null : within / measured;
  return status(level, {
    target, current: worst, compliance, breachesByFacility: s.waitingBeyondTarget, windowMinutes: level.windowMinutes,
    // Nothing landed and nothing is late: only what waits (within its target) says the flow is alive.
    empty: measured === 0 ? (s.oldestWaitingSeconds === null ? 'no-data' : 'ok') : null,
  });
}

export interface ExceptionCategorySample {
  category: string;
  ownerRole: string;
  slaHours: number;
  open: number;
  oldestSeconds: number;
  /** Open exceptions of the category older than its target, by facility. */
  beyondTargetByFacility: Record<string, number>;
}

/**
 * One status per category (named `<level>:<category>`): the categories the level lists, and any other with open
 * exceptions when it lists none. A queue with nothing in it is within its target (`ok`); when no category has
 * anything open, one status under the level's own name says so.
 */
export function exceptionAge(level: ServiceLevelConfig, samples: readonly ExceptionCategorySample[], ownerOf: (category: string) => { ownerRole: string; slaHours: number }): ServiceLevelStatus[] {
  const listed = level.categories as readonly string[] | undefined;
  const rows = listed
    ? listed.map((category) => samples.find((x) => x.category === category) ?? { category, ...ownerOf(category), open: 0, oldestSeconds: 0, beyondTargetByFacility: {} })
    : samples.filter((x) => x.open > 0);
  if (rows.length === 0) {
    return [status(level, { target: targetSeconds(level), current: 0, compliance: null, breachesByFacility: {}, windowMinutes: null, empty: 'ok', unit: level.target === undefined ? 'hours' : level.unit })];
  }
  return rows.map((x) => {
    const late = sum(x.beyondTargetByFacility);
    return status(level, {
      name: `${level.name}:${x.category}`, description: `${x.category}: ${level.description}`, ownerRole: level.ownerRole ?? x.ownerRole,
      target: targetSeconds(level, x.slaHours), current: x.oldestSeconds, compliance: x.open === 0 ? null : 1 - late / x.open,
      breachesByFacility: x.beyondTargetByFacility, windowMinutes: null, empty: x.open === 0 ? 'ok' : null,
      unit: level.target === undefined ? 'hours' : level.unit,
    });
  });
}

export interface SupplierAckSample {
  /** Purchase orders awaiting their 855, late or not. */
  awaiting: number;
  /** How late the latest-overdue order is past its due time, seconds; null when none is overdue. */
  oldestLateSeconds: number | null;
  /** Orders late by more than the target, by facility. */
  beyondTargetByFacility: Record<string, number>;
  ownerRole: string;
}

export function supplierAckLateness(level: ServiceLevelConfig, s: SupplierAckSample): ServiceLevelStatus {
  const late = sum(s.beyondTargetByFacility);
  const measured = Math.max(s.awaiting, late);
  return status(level, {
    ownerRole: level.ownerRole ?? s.ownerRole, target: targetSeconds(level), current: s.oldestLateSeconds ?? 0,
    compliance: measured === 0 ? null : 1 - late / measured, breachesByFacility: s.beyondTargetByFacility, windowMinutes: null,
    empty: measured === 0 ? 'ok' : null,
  });
}

interface Measured {
  name?: string;
  description?: string;
  ownerRole?: string;
  unit?: 'seconds' | 'hours';
  target: number; // seconds
  current: number | null; // seconds
  compliance: number | null;
  breachesByFacility: Record<string, number>;
  windowMinutes: number | null;
  /** Set when nothing was measured: what that means for this measure. */
  empty: 'ok' | 'no-data' | null;
}

function status(level: ServiceLevelConfig, m: Measured): ServiceLevelStatus {
  const unit = m.unit ?? level.unit;
  const inUnit = (seconds: number) => round(seconds / SECONDS[unit], 3);
  const compliance = m.compliance === null ? null : round(Math.max(0, Math.min(1, m.compliance)), 4);
  return {
    name: m.name ?? level.name, description: m.description ?? level.description, measure: level.measure,
    target: inUnit(m.target), unit, current: m.current === null ? null : inUnit(m.current), compliance, objective: level.objective,
    status: m.empty ?? (compliance !== null && compliance < level.objective ? 'breached' : 'ok'),
    breachesByFacility: Object.fromEntries(Object.entries(m.breachesByFacility).filter(([, n]) => n > 0)),
    ownerRole: m.ownerRole ?? level.ownerRole ?? 'integration', windowMinutes: m.windowMinutes,
  };
}

const sum = (r: Record<string, number>): number => Object.values(r).reduce((n, v) => n + v, 0);
const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
