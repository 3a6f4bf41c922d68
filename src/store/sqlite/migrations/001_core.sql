-- 001: Tendon's operational record. Forward-only: never edit a migration once it has shipped; add the next.

-- Messages: every inbound unit exactly as received (raw is AES-256-GCM sealed: raw input may carry PHI).
CREATE TABLE messages (
  id            TEXT PRIMARY KEY,
  channel       TEXT NOT NULL,
  source_system TEXT NOT NULL,
  source_id     TEXT,
  content_type  TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  raw           BLOB NOT NULL,
  error         TEXT -- set when the message could not be turned into events (it was answered AE/AR/400)
);
-- Operators look for refused messages; they are few, so a partial index keeps the lookup free.
CREATE INDEX messages_refused ON messages(received_at) WHERE error IS NOT NULL;

-- Events: canonical facts. seq gives commit order; (source_system, idempotency_key) is the idempotent consumer.
CREATE TABLE events (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  type            TEXT NOT NULL,
  schema_version  INTEGER NOT NULL,
  message_id      TEXT NOT NULL REFERENCES messages(id),
  source_system   TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  correlation_id  TEXT NOT NULL,
  causation_id    TEXT,
  partition_key   TEXT NOT NULL,
  priority        INTEGER NOT NULL,
  facility        TEXT NOT NULL,
  occurred_at     TEXT NOT NULL,
  recorded_at     TEXT NOT NULL,
  revision        INTEGER NOT NULL,
  revision_of     TEXT,
  status          TEXT NOT NULL,
  payload         TEXT NOT NULL,
  UNIQUE (source_system, idempotency_key)
);
-- Trace by correlation id and replay by message are the two lookups that must stay fast at volume.
CREATE INDEX events_by_correlation ON events(correlation_id);
CREATE INDEX events_by_message ON events(message_id);
CREATE INDEX events_by_revision ON events(revision_of) WHERE revision_of IS NOT NULL;

-- Deliveries: the transactional outbox. seq is the order kept per (destination, partition_key).
CREATE TABLE deliveries (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  event_id        TEXT NOT NULL REFERENCES events(id),
  correlation_id  TEXT NOT NULL,
  destination     TEXT NOT NULL,
  action          TEXT NOT NULL,
  partition_key   TEXT NOT NULL,
  priority        INTEGER NOT NULL,
  idempotency_key TEXT NOT NULL, -- derived from the unique id: unique without an index of its own
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  body            TEXT NOT NULL,
  reverses        TEXT,
  remote_ref      TEXT,
  last_error      TEXT
);
-- The dispatcher loads what is unfinished at start; a partial index keeps that scan small as history grows.
CREATE INDEX deliveries_unfinished ON deliveries(seq) WHERE status IN ('pending', 'in_flight', 'retrying');
-- Operators list what needs them (dead, rejected, waiting) by destination. Delivered rows, the vast majority,
-- leave this index when they land, which keeps every outcome write cheap; a list of delivered rows walks seq.
CREATE INDEX deliveries_needing_attention ON deliveries(status, destination, seq) WHERE status NOT IN ('delivered', 'superseded');
-- Trace and event detail reach deliveries through their event (events are indexed by correlation id).
CREATE INDEX deliveries_by_event ON deliveries(event_id);

CREATE TABLE attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL,
  at          TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  status_code INTEGER,
  latency_ms  REAL NOT NULL,
  error       TEXT
);
CREATE INDEX attempts_by_delivery ON attempts(delivery_id);

CREATE TABLE exceptions (
  id             TEXT PRIMARY KEY,
  category       TEXT NOT NULL,
  status         TEXT NOT NULL,
  owner_role     TEXT NOT NULL,
  facility       TEXT NOT NULL,
  event_id       TEXT,
  delivery_id    TEXT,
  correlation_id TEXT NOT NULL,
  detail         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  resolved_at    TEXT,
  resolved_by    TEXT,
  resolution     TEXT
);
CREATE INDEX exceptions_by_status ON exceptions(status, category, facility);
CREATE INDEX exceptions_by_correlation ON exceptions(correlation_id);
CREATE INDEX exceptions_by_delivery ON exceptions(delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX exceptions_by_event ON exceptions(event_id) WHERE event_id IS NOT NULL;

-- The encrypted originals of PHI tokens.
CREATE TABLE phi_vault (
  token  TEXT PRIMARY KEY,
  sealed BLOB NOT NULL
);

-- On-hand per par location and item, as known from events (counts set it, movements change it).
CREATE TABLE stock (
  location   TEXT NOT NULL,
  item_id    TEXT NOT NULL,
  on_hand    REAL NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (location, item_id)
);

-- Every stock change Tendon applied, per event: on-hand is their sum, and a reprocess reverses its revision's moves.
CREATE TABLE stock_moves (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  location TEXT NOT NULL,
  item_id  TEXT NOT NULL,
  delta    REAL,
  set_to   REAL,
  at       TEXT NOT NULL
);
CREATE INDEX stock_moves_by_event ON stock_moves(event_id);

-- At most one open requisition per (location, item): the replenishment check never orders twice.
CREATE TABLE open_requisitions (
  location  TEXT NOT NULL,
  item_id   TEXT NOT NULL,
  event_id  TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  PRIMARY KEY (location, item_id)
);

-- Master data as last pulled from its system of record, and where each pull got to.
CREATE TABLE master_records (
  entity     TEXT NOT NULL,
  id         TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  data       TEXT NOT NULL,
  PRIMARY KEY (entity, id)
);
CREATE TABLE sync_cursors (
  entity TEXT PRIMARY KEY,
  cursor TEXT NOT NULL
);

-- Cross-references: a sending system's code → the canonical (ERP) item. History kept in audit.
CREATE TABLE xrefs (
  system     TEXT NOT NULL,
  code       TEXT NOT NULL,
  item_id    TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (system, code)
);

CREATE TABLE actors (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
  hash     TEXT PRIMARY KEY,
  actor_id TEXT NOT NULL REFERENCES actors(id)
);

CREATE TABLE destination_state (
  destination TEXT PRIMARY KEY,
  paused      INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
