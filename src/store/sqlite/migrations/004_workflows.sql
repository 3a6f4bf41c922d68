-- 004: durable workflows. An instance is a pure reducer's state per (type, business key); every input it took is
-- kept with the effects it produced, in the transaction that applied them, so a history can be replayed and
-- checked (a reducer that is not deterministic shows as a difference). A running instance keeps the definition
-- version it started with.
CREATE TABLE workflows (
  type            TEXT NOT NULL,
  key             TEXT NOT NULL,
  version         INTEGER NOT NULL,
  status          TEXT NOT NULL, -- running | completed | cancelled
  stage           TEXT NOT NULL, -- the reducer's own word for where it is (awaiting-ack, matched, ...)
  facility        TEXT NOT NULL,
  correlation_id  TEXT NOT NULL,
  origin_event_id TEXT NOT NULL REFERENCES events(id), -- the deliveries of a step not caused by an event carry it
  state           TEXT NOT NULL,
  steps           INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (type, key)
) WITHOUT ROWID;
CREATE INDEX workflows_by_status ON workflows(type, status, updated_at);

CREATE TABLE workflow_steps (
  type    TEXT NOT NULL,
  key     TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  version INTEGER NOT NULL,
  at      TEXT NOT NULL,
  input   TEXT NOT NULL,
  effects TEXT NOT NULL,
  PRIMARY KEY (type, key, seq)
) WITHOUT ROWID;

-- Other names an instance answers to: a PO number once the ERP gave it, the draft a supplier's lines gather in.
CREATE TABLE workflow_refs (
  type TEXT NOT NULL,
  ref  TEXT NOT NULL,
  key  TEXT NOT NULL,
  PRIMARY KEY (type, ref)
) WITHOUT ROWID;

-- Durable timers: one per (instance, name); firing deletes the row in the transaction that runs the step, so a
-- timer fires once, and a crash before commit fires it again after restart.
CREATE TABLE workflow_timers (
  type   TEXT NOT NULL,
  key    TEXT NOT NULL,
  name   TEXT NOT NULL,
  due_at INTEGER NOT NULL, -- epoch milliseconds
  PRIMARY KEY (type, key, name)
) WITHOUT ROWID;
CREATE INDEX workflow_timers_due ON workflow_timers(due_at);

-- The deliveries a workflow asked for, by the name it gave them: their outcome comes back to it as an input, and a
-- later step can reverse one by name (the cancelling 850 of an order). A flow's delivery a workflow only follows in
-- case it fails (a charge) carries `start`: the input that starts the instance if it does; a delivery that lands
-- costs no instance at all.
CREATE TABLE workflow_deliveries (
  delivery_id TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  key         TEXT NOT NULL,
  name        TEXT NOT NULL,
  start       TEXT
) WITHOUT ROWID;
CREATE INDEX workflow_deliveries_by_name ON workflow_deliveries(type, key, name);

-- A process exception points at the workflow instance whose decision it waits for.
ALTER TABLE exceptions ADD COLUMN workflow_type TEXT;
ALTER TABLE exceptions ADD COLUMN workflow_key TEXT;
CREATE INDEX exceptions_by_workflow ON exceptions(workflow_type, workflow_key) WHERE workflow_type IS NOT NULL;
