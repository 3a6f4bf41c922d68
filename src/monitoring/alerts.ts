// Alert rules over the overview, and the state machine that turns successive evaluations into as few notifications
// as an operator needs: one when a condition starts, one when it clears, one escalation when nobody answers.
//
// Operators of other engines complain of alert floods. Here:
//   - a condition must hold for `for` seconds before its alert fires. Gaps shorter than `clearAfter` do not start
//     the count again, so a condition that flaps fires once instead of never or at every flap;
//   - a firing alert resolves only after its condition has stayed cleared for `clearAfter` seconds, and a value
//     must fall below `clearBelow` (hysteresis) to count as cleared: a flapping or persisting condition is ONE alert;
//   - an alert is identified by (rule, subject): while one is open for that pair, no second one starts;
//   - escalation happens once, and not at all once someone acknowledged the alert.
// And alerts say what the failure means to the business ("implants used but not billed"), name who owns what
// broke, and point at a runbook in docs/runbooks/. Pure: the overview, the configuration and the time come in.
import type { AlertRuleConfig, AlertsConfig, ServiceLevelConfig } from '../config/schema.ts';
import type { AlertView, DestinationFlow, Overview } from './overview.ts';

export const ALERT_RULES = ['queue-depth', 'oldest-pending', 'error-rate', 'circuit-open', 'service-level-breach'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const runbookOf = (rule: AlertRule): string => `docs/runbooks/${rule}.md`;

/** What it means to the business when a system of each role stops getting its deliveries. */
export const IMPACT: Record<string, string> = {
  erp: 'stock issues, receipts and supplier invoices are not posted in the ERP: cost centers, stock valuation and accruals lag',
  inventory: 'the inventory system\'s on-hand is stale: par levels and reorders act on old counts',
  billing: 'charges are not reaching billing: implants and supplies used but not billed',
  supplier: 'purchase orders are not reaching the supplier: replenishment stalls',
  clinical: 'the EHR and cabinets keep an old item master: items may be unknown where they are used',
  procurement: 'requisitioners do not see what became of their requisitions',
  analytics: 'analytics and other consumers of the event stream lag; no operational system waits on them',
};

/** One rule's verdict on one subject now. */
export interface Condition {
  rule: AlertRule;
  /** What broke: `destination:<name>`, `channel:<name>` or `service-level:<name>`. */
  subject: string;
  /** The condition is true now. */
  holds: boolean;
  /** The condition is clearly gone (below the clear threshold); neither holds nor clear is the hysteresis band. */
  clear: boolean;
  value: number | null;
  threshold: number | null;
  severity: 'warning' | 'critical';
  ownerRole: string;
  summary: string;
  runbook: string;
  /** Seconds: hold before firing, stay cleared before resolving, unacknowledged before escalating (null: never). */
  for: number;
  clearAfter: number;
  escalateAfter: number | null;
}

/** Every rule evaluated on one overview. */
export function conditionsOf(o: Overview, config: AlertsConfig, levels: readonly ServiceLevelConfig[]): Condition[] {
  if (!config.enabled) return [];
  const out: Condition[] = [];
  const r = config.rules;
  const timing = (rule: AlertRuleConfig) => ({ for: rule.for, clearAfter: rule.clearAfter, escalateAfter: rule.escalateAfter ?? config.escalation.after });
  const above = (rule: AlertRuleConfig, value: number) => ({ holds: value >= rule.threshold, clear: value < (rule.clearBelow ?? rule.threshold) });

  for (const d of o.destinations) {
    const base = {
      subject: `destination:${d.name}`, ownerRole: d.ownerRole,
      // A stream for analytics waits on nobody: its trouble is never critical.
      severity: (rule: AlertRuleConfig) => (d.role === 'analytics' ? 'warning' as const : rule.severity),
    };
    const impact = `${IMPACT[d.role] ?? 'its systems do not get their deliveries'}${stateOf(d)}`;
    const add = (rule: AlertRule, cfg: AlertRuleConfig, value: number, verdict: { holds: boolean; clear: boolean }, summary: string) => {
      if (cfg.enabled) out.push({ rule, ...base, ...verdict, ...timing(cfg), severity: base.severity(cfg), value, threshold: cfg.threshold, summary, runbook: runbookOf(rule) });
    };
    add('queue-depth', r['queue-depth'], d.queued, above(r['queue-depth'], d.queued),
      `${d.name}: ${d.queued} deliveries queued (alert at ${r['queue-depth'].threshold}); ${impact}`);
    add('oldest-pending', r['oldest-pending'], d.oldestPendingSeconds, above(r['oldest-pending'], d.oldestPendingSeconds),
      `${d.name}: the oldest delivery has waited ${duration(d.oldestPendingSeconds)} (alert at ${duration(r['oldest-pending'].threshold)}); ${impact}`);
    const busy = d.attemptsPerSecond >= r['error-rate'].minPerSecond;
    add('error-rate', r['error-rate'], d.errorRate, busy ? above(r['error-rate'], d.errorRate) : { holds: false, clear: true },
      `${d.name}: ${percent(d.errorRate)} of delivery attempts fail (alert at ${percent(r['error-rate'].threshold)}); ${impact}`);
    const open = d.circuit === 'closed' ? 0 : 1;
    add('circuit-open', r['circuit-open'], open, { holds: open === 1, clear: open === 0 },
      `${d.name}: circuit ${d.circuit}: the destination keeps failing and Tendon holds its deliveries; ${impact}`);
  }

  for (const c of o.channels) {
    const rule = r['error-rate'];
    if (!rule.enabled) continue;
    const busy = c.messagesPerSecond >= rule.minPerSecond;
    out.push({
      rule: 'error-rate', subject: `channel:${c.name}`, ownerRole: 'integration', severity: rule.severity, ...timing(rule),
      ...(busy ? above(rule, c.errorRate) : { holds: false, clear: true }), value: c.errorRate, threshold: rule.threshold,
      summary: `channel ${c.name} (${c.kind}): ${percent(c.errorRate)} of messages refused (alert at ${percent(rule.threshold)}): what senders send is not getting in, and they hold or resend it`,
      runbook: runbookOf('error-rate'),
    });
  }

  const breach = r['service-level-breach'];
  if (breach.enabled) {
    for (const s of o.serviceLevels) {
      const level = levels.find((l) => l.name === s.name.split(':')[0]);
      const late = Object.entries(s.breachesByFacility).map(([f, n]) => `${f} ${n}`).join(', ');
      out.push({
        rule: 'service-level-breach', subject: `service-level:${s.name}`, ownerRole: s.ownerRole, severity: breach.severity, ...timing(breach),
        holds: s.status === 'breached', clear: s.status !== 'breached', value: s.compliance, threshold: s.objective,
        summary: `${s.name}: ${s.compliance === null ? 'nothing measured' : percent(s.compliance)} within ${s.target} ${s.unit} (objective ${percent(s.objective)}), `
          + `now ${s.current ?? '—'} ${s.unit}${late ? `; outside the target: ${late}` : ''}${s.description ? `; ${s.description}` : ''}`,
        runbook: level?.runbook ?? `${runbookOf('service-level-breach')}#${level?.name ?? s.name}`,
      });
    }
  }
  return out;
}

function stateOf(d: DestinationFlow): string {
  if (d.paused) return ' (paused by an operator)';
  return d.circuit === 'closed' ? '' : ` (circuit ${d.circuit})`;
}

const percent = (v: number): string => `${Math.round(v * 1000) / 10}%`;

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

/** One alert: an incident of (rule, subject), from when it fired until it cleared. Times are epoch ms. */
export interface Alert {
  id: string;
  rule: AlertRule;
  subject: string;
  severity: 'warning' | 'critical';
  ownerRole: string;
  summary: string;
  runbook: string;
  value: number | null;
  threshold: number | null;
  startedAt: number;
  clearedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  escalatedAt: number | null;
}

/** What the caller must persist and tell: the alert as it is after the change. */
export interface Transition {
  status: 'firing' | 'resolved' | 'escalated';
  alert: Alert;
}

interface Tracked {
  phase: 'pending' | 'firing';
  alert: Alert;
  /** Pending: how long the condition has held since it first did (gaps shorter than clearAfter included). */
  heldMs: number;
  lastHeldAt: number;
  lastEvalAt: number;
  /** Firing: since when the condition has stayed cleared. */
  clearingSince: number | null;
  timing: Pick<Condition, 'for' | 'clearAfter' | 'escalateAfter'>;
}

const keyOf = (rule: string, subject: string): string => `${rule}\u0000${subject}`;

/**
 * The open alerts and those about to open, evaluated again on each new set of conditions. Only `firing` alerts are
 * worth persisting (restore them after a restart, and a start is never sent twice nor a clear lost); a pending one
 * just starts counting again.
 */
export class AlertBook {
  private readonly tracked = new Map<string, Tracked>();
  private readonly newId: () => string;

  constructor(newId: () => string) {
    this.newId = newId;
  }

  /** Alerts that were firing when the hub stopped; their conditions are judged afresh from `now`. */
  restore(alerts: readonly Alert[], now: number, timing: (rule: AlertRule) => Tracked['timing']): void {
    for (const alert of alerts) {
      if (alert.clearedAt !== null) continue;
      this.tracked.set(keyOf(alert.rule, alert.subject), {
        phase: 'firing', alert: { ...alert }, heldMs: 0, lastHeldAt: now, lastEvalAt: now, clearingSince: null, timing: timing(alert.rule),
      });
    }
  }

  evaluate(conditions: readonly Condition[], now: number): Transition[] {
    const out: Transition[] = [];
    const seen = new Set<string>();
    for (const c of conditions) {
      const key = keyOf(c.rule, c.subject);
      seen.add(key);
      let t = this.tracked.get(key);
      if (!t) {
        if (!c.holds) continue;
        t = {
          phase: 'pending', heldMs: 0, lastHeldAt: now, lastEvalAt: now, clearingSince: null,
          timing: { for: c.for, clearAfter: c.clearAfter, escalateAfter: c.escalateAfter },
          alert: {
            id: this.newId(), rule: c.rule, subject: c.subject, severity: c.severity, ownerRole: c.ownerRole, summary: c.summary,
            runbook: c.runbook, value: c.value, threshold: c.threshold, startedAt: now, clearedAt: null, acknowledgedAt: null,
            acknowledgedBy: null, escalatedAt: null,
          },
        };
        this.tracked.set(key, t);
      }
      this.step(key, t, c, now, out);
    }
    // A subject that is gone (a destination no longer configured, a category with nothing open) has cleared.
    for (const [key, t] of this.tracked) {
      if (!seen.has(key)) this.step(key, t, { ...t.timing, holds: false, clear: true, value: t.alert.value }, now, out);
    }
    return out;
  }

  private step(key: string, t: Tracked, c: Pick<Condition, 'holds' | 'clear' | 'value' | 'for' | 'clearAfter' | 'escalateAfter'> & Partial<Condition>,
    now: number, out: Transition[]): void {
    const dt = Math.max(0, now - t.lastEvalAt);
    t.lastEvalAt = now;
    t.alert.value = c.value;
    if (c.holds) {
      // What the alert says follows the condition while it holds; once it clears, it keeps saying what broke.
      t.timing = { for: c.for, clearAfter: c.clearAfter, escalateAfter: c.escalateAfter };
      if (c.summary !== undefined) Object.assign(t.alert, { summary: c.summary, severity: c.severity, ownerRole: c.ownerRole, threshold: c.threshold });
    }
    if (t.phase === 'pending') {
      if (c.holds) {
        t.heldMs += dt;
        t.lastHeldAt = now;
        if (t.heldMs >= t.timing.for * 1000) {
          t.phase = 'firing';
          t.alert.startedAt = now;
          out.push({ status: 'firing', alert: { ...t.alert } });
        }
      } else if (now - t.lastHeldAt >= t.timing.clearAfter * 1000) {
        this.tracked.delete(key); // it never fired: nobody was told, nobody needs to be
      }
      return;
    }
    if (c.clear) {
      t.clearingSince ??= now;
      if (now - t.clearingSince >= t.timing.clearAfter * 1000) {
        t.alert.clearedAt = now;
        this.tracked.delete(key);
        out.push({ status: 'resolved', alert: { ...t.alert } });
        return;
      }
    } else {
      t.clearingSince = null;
    }
    const { escalateAfter } = t.timing;
    if (t.clearingSince === null && t.alert.acknowledgedAt === null && t.alert.escalatedAt === null && escalateAfter !== null
      && now - t.alert.startedAt >= escalateAfter * 1000) {
      t.alert.escalatedAt = now;
      out.push({ status: 'escalated', alert: { ...t.alert } });
    }
  }

  /** Someone answered: no escalation after this. Null when no firing alert has that id. */
  acknowledge(id: string, actor: string, now: number): Alert | null {
    for (const t of this.tracked.values()) {
      if (t.phase !== 'firing' || t.alert.id !== id) continue;
      if (t.alert.acknowledgedAt === null) Object.assign(t.alert, { acknowledgedAt: now, acknowledgedBy: actor });
      return { ...t.alert };
    }
    return null;
  }

  firing(): Alert[] {
    return [...this.tracked.values()].filter((t) => t.phase === 'firing').map((t) => ({ ...t.alert }))
      .sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function viewOf(a: Alert): AlertView {
  return {
    id: a.id, rule: a.rule, subject: a.subject, severity: a.severity, ownerRole: a.ownerRole, summary: a.summary, runbook: a.runbook,
    startedAt: iso(a.startedAt)!, acknowledgedAt: iso(a.acknowledgedAt), acknowledgedBy: a.acknowledgedBy, escalatedAt: iso(a.escalatedAt),
    clearedAt: iso(a.clearedAt), status: a.clearedAt === null ? 'firing' : 'resolved', value: a.value, threshold: a.threshold,
  };
}

/** What a webhook receives (docs/monitoring.md): the alert as it is at this notification. */
export function payloadOf(status: Transition['status'], a: Alert, hub: string) {
  return {
    id: a.id, status, rule: a.rule, subject: a.subject, severity: a.severity, ownerRole: a.ownerRole, summary: a.summary,
    runbook: a.runbook, startedAt: iso(a.startedAt)!, clearedAt: iso(a.clearedAt), value: a.value, threshold: a.threshold, hub,
  };
}
