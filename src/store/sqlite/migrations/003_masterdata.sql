-- Serial numbers in use: a serialised item (an implant) is used once. The row is claimed in the transaction that
-- accepts the use and removed by the return that frees it, so a second use of the same serial is held.
CREATE TABLE serial_uses (
  item_id  TEXT NOT NULL,
  serial   TEXT NOT NULL,
  event_id TEXT NOT NULL,
  used_at  TEXT NOT NULL,
  PRIMARY KEY (item_id, serial)
) WITHOUT ROWID;

-- Every change of a cross-reference, with who made it, when and why: a mapping that moves is auditable.
CREATE TABLE xref_history (
  id          INTEGER PRIMARY KEY,
  system      TEXT NOT NULL,
  code        TEXT NOT NULL,
  old_item_id TEXT,
  new_item_id TEXT NOT NULL,
  actor       TEXT NOT NULL,
  reason      TEXT,
  at          TEXT NOT NULL
);
CREATE INDEX xref_history_by_code ON xref_history(system, code);

-- Where a master record came from: the ERP (the system of record, whose pull always wins) or another source (an
-- item master over MFN^M16, a CSV load), which may add records the ERP does not have but never overwrites its.
ALTER TABLE master_records ADD COLUMN source TEXT NOT NULL DEFAULT 'erp';
