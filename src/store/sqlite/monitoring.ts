// The SQLite side of monitoring (engine/monitor.ts): alerts and the notifications they owe (migration 006), and
// the few counts the monitor reads every few seconds. Each read is an index range: a million delivered rows or a
// long alert history cost it nothing.
import type { SQLInputValue } from 'node:sqlite';
import type { AlertNotification, Store, StoredAlert, Tx } from '../store.ts';
import type { Row } from './rows.ts';

type Run = (sql: string, ...p: SQLInputValue[]) => unknown;
type All = (sql: string, ...p: SQLInputValue[]) => Row[];
type Get = (sql: string, ...p: SQLInputValue[]) => Row | undefined;

export function monitoringWrites(run: Run): Pick<Tx, 'saveAlert' | 'queueAlertNotification' | 'recordAlertNotification'> {
  return {
    async saveAlert(a) {
      run(
        `INSERT INTO alerts (id, rule, subject, severity, owner_role, summary, runbook, value, threshold, started_at, cleared_at,
           acknowledged_at, acknowledged_by, escalated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, owner_role = excluded.owner_role, summary = excluded.summary,
           value = excluded.value, threshold = excluded.threshold, cleared_at = excluded.cleared_at, acknowledged_at = excluded.acknowledged_at,
           acknowledged_by = excluded.acknowledged_by, escalated_at = excluded.escalated_at`,
        a.id, a.rule, a.subject, a.severity, a.ownerRole, a.summary, a.runbook, a.value, a.threshold, a.startedAt, a.clearedAt,
        a.acknowledgedAt, a.acknowledgedBy, a.escalatedAt,
      );
    },
    async queueAlertNotification(n) {
      run(
        `INSERT INTO alert_notifications (alert_id, status, role, payload, created_at, next_attempt_at) VALUES (?,?,?,?,?,?)
         ON CONFLICT (alert_id, status, role) DO NOTHING`,
        n.alertId, n.status, n.role, JSON.stringify(n.payload), n.createdAt, n.nextAttemptAt,
      );
    },
    async recordAlertNotification(id, r) {
      run(`UPDATE alert_notifications SET attempts = ?, next_attempt_at = ?, notified_at = ?, outcome = ?, last_error = ? WHERE id = ?`,
        r.attempts, r.nextAttemptAt, r.notifiedAt, r.outcome, r.lastError, id);
    },
  };
}

type MonitoringReads = Pick<Store, 'countWorkflows' | 'deliveryProblems' | 'listAlerts' | 'getAlert' | 'unsentAlertNotifications'>;

export function monitoringReads(all: All, get: Get): MonitoringReads {
  return {
    async countWorkflows(f) {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      if (f.type) (where.push('type = ?'), params.push(f.type));
      if (f.status) (where.push('status = ?'), params.push(f.status));
      if (f.stage) (where.push('stage = ?'), params.push(f.stage));
      // By type and status the planner would rather walk the primary key, every instance ever made of the type.
      const index = f.type && f.status ? 'INDEXED BY workflows_by_status' : '';
      return Number(get(`SELECT count(*) AS n FROM workflows ${index} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, ...params)!.n);
    },
    async deliveryProblems() {
      // The partial index deliveries_needing_attention is used only when its own condition is in the query, word for word.
      const rows = all(`SELECT destination, status, count(*) AS n FROM deliveries
        WHERE status NOT IN ('delivered', 'superseded') AND status IN ('dead', 'rejected') GROUP BY destination, status`);
      const by = new Map<string, { destination: string; dead: number; rejected: number }>();
      for (const r of rows) {
        const destination = String(r.destination);
        const entry = by.get(destination) ?? { destination, dead: 0, rejected: 0 };
        entry[String(r.status) as 'dead' | 'rejected'] = Number(r.n);
        by.set(destination, entry);
      }
      return [...by.values()];
    },
    async listAlerts(f) {
      const limit = Math.min(f.limit ?? 100, 10_000);
      // Open alerts are few and have their own index; sorted here, so the history is never walked to find them.
      if (f.open) return all(`SELECT * FROM alerts WHERE cleared_at IS NULL`).map(toAlert).sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
      return all(`SELECT * FROM alerts ORDER BY started_at DESC LIMIT ?`, limit).map(toAlert);
    },
    async getAlert(id) {
      const row = get(`SELECT * FROM alerts WHERE id = ?`, id);
      return row ? toAlert(row) : null;
    },
    async unsentAlertNotifications(limit) {
      return all(`SELECT * FROM alert_notifications WHERE notified_at IS NULL ORDER BY id LIMIT ?`, limit).map(toNotification);
    },
  };
}

const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toAlert = (r: Row): StoredAlert => ({
  id: String(r.id), rule: String(r.rule), subject: String(r.subject), severity: String(r.severity), ownerRole: String(r.owner_role),
  summary: String(r.summary), runbook: String(r.runbook), value: numOrNull(r.value), threshold: numOrNull(r.threshold),
  startedAt: String(r.started_at), clearedAt: strOrNull(r.cleared_at), acknowledgedAt: strOrNull(r.acknowledged_at),
  acknowledgedBy: strOrNull(r.acknowledged_by), escalatedAt: strOrNull(r.escalated_at),
});

const toNotification = (r: Row): AlertNotification => ({
  id: Number(r.id), alertId: String(r.alert_id), status: String(r.status) as AlertNotification['status'], role: String(r.role),
  payload: JSON.parse(String(r.payload)) as Record<string, unknown>, createdAt: String(r.created_at), attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at), notifiedAt: strOrNull(r.notified_at), outcome: strOrNull(r.outcome) as AlertNotification['outcome'],
  lastError: strOrNull(r.last_error),
});
