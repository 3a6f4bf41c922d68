-- 009: which delivery sent each interchange to an x12 destination, by its control number (ISA13 = GS06, one number
-- per interchange): a partner's 997/999 names the group it answers (AK102) and a TA1 the interchange (TA101), often
-- hours later and over another channel, and that is how the answer finds the 850 it is about. Written in the
-- transaction that takes the number; after the counter wraps (999,999,999) the newer delivery replaces the older.
CREATE TABLE x12_interchanges (
  destination    TEXT    NOT NULL,
  control_number INTEGER NOT NULL,
  delivery_id    TEXT    NOT NULL,
  PRIMARY KEY (destination, control_number)
) WITHOUT ROWID;
