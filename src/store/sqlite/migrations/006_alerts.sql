-- 006: alerts (engine/monitor.ts, monitoring/alerts.ts). An alert is one incident of (rule, subject), from when it
-- fired until it cleared; it is written when it fires, is acknowledged, escalates and clears, so that a restart
-- neither tells its start again nor loses its clear. At most one alert per (rule, subject) is open.
CREATE TABLE alerts (
  id              TEXT PRIMARY KEY,
  rule            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  severity        TEXT NOT NULL,
  owner_role      TEXT NOT NULL,
  summary         TEXT NOT NULL,
  runbook         TEXT NOT NULL,
  value           REAL,
  threshold       REAL,
  started_at      TEXT NOT NULL,
  cleared_at      TEXT,
  acknowledged_at TEXT,
  acknowledged_by TEXT,
  escalated_at    TEXT
);
CREATE UNIQUE INDEX alerts_open ON alerts(rule, subject) WHERE cleared_at IS NULL;
CREATE INDEX alerts_by_start ON alerts(started_at);

-- Each notification an alert owes a role's webhook, written in the transaction that changed the alert: the sender
-- retries it until the receiver takes it (a receiver's outage delays it, never loses it), and marks it sent.
CREATE TABLE alert_notifications (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id        TEXT NOT NULL,
  status          TEXT NOT NULL, -- firing | resolved | escalated
  role            TEXT NOT NULL, -- whose route it goes to
  payload         TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL, -- epoch ms
  notified_at     TEXT,
  outcome         TEXT, -- sent | unrouted (no route for the role: kept, visible, not sent)
  last_error      TEXT,
  UNIQUE (alert_id, status, role)
);
CREATE INDEX alert_notifications_unsent ON alert_notifications(id) WHERE notified_at IS NULL;

-- The monitor counts open exceptions per category with the oldest, and those past a category's target per
-- facility, every few seconds: this index answers both from the index alone (the table is never read).
CREATE INDEX exceptions_open_age ON exceptions(status, category, created_at, facility);
