-- 002: named counters that only move forward, for numbers a partner must never see twice (X12 interchange control
-- numbers, ISA13/GS06). A value is taken inside the transaction that uses it, so a number is spent exactly when
-- what carries it is committed, and a restart continues after the last one. Nine digits: after 999,999,999 a
-- counter starts again at 1 (the X12 control number's own width).
CREATE TABLE sequences (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 999999999)
) WITHOUT ROWID;
