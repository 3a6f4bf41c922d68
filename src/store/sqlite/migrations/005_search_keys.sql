-- 005: the search index. Operators look a trace up by a business key, not only by its correlation id: a PO number,
-- an HL7 message's MSH-10 (or another channel's source id), an item, a lot, a serial, a patient's keyed token. One
-- row per (kind, value, correlation id), written in the ingest transaction (model/search-keys.ts says which keys an
-- event has). `WHERE kind = ? AND value = ?` is a range of the primary key, and WITHOUT ROWID keeps the row in the
-- key itself: one B-tree, one small insert per key. `at` (epoch ms, not ISO text: the table has millions of rows)
-- is when an event last named the key in that transaction, for newest first. Values are matched whatever their
-- case (COLLATE NOCASE): an operator types "po-4711" for "PO-4711". Correlation ids need no row: the events'
-- own index finds them.
CREATE TABLE search_keys (
  kind           TEXT NOT NULL, -- po | msh10 | source | item | lot | serial | patient
  value          TEXT NOT NULL COLLATE NOCASE,
  correlation_id TEXT NOT NULL,
  at             INTEGER NOT NULL,
  PRIMARY KEY (kind, value, correlation_id)
) WITHOUT ROWID;

-- Backfill: traffic ingested before this migration gets its keys here, by the same rules as searchKeysOf and
-- messageSearchKeys, in SQL (test: src/store/sqlite/search.test.ts checks the two agree). It reads every event once
-- per kind of key, so on a large store it takes a while, once, at the first start of this version.
INSERT INTO search_keys (kind, value, correlation_id, at)
SELECT kind, value, correlation_id, CAST(round(unixepoch(max(at), 'subsec') * 1000) AS INTEGER)
FROM (
  SELECT kind, trim(value) AS value, correlation_id, at FROM (
    SELECT 'po' AS kind, json_extract(payload, '$.poNumber') AS value, correlation_id, recorded_at AS at FROM events
    UNION ALL
    SELECT 'item', CASE type WHEN 'item.upserted' THEN json_extract(payload, '$.id') WHEN 'price.updated' THEN json_extract(payload, '$.itemId')
      ELSE json_extract(payload, '$.item.code') END, correlation_id, recorded_at FROM events
    UNION ALL
    SELECT 'item', CASE type WHEN 'item.upserted' THEN json_extract(payload, '$.gtin') WHEN 'price.updated' THEN NULL
      ELSE json_extract(payload, '$.item.gtin') END, correlation_id, recorded_at FROM events
    UNION ALL
    SELECT 'lot', json_extract(payload, '$.lot'), correlation_id, recorded_at FROM events
    UNION ALL
    SELECT 'serial', json_extract(payload, '$.serial'), correlation_id, recorded_at FROM events
    UNION ALL
    SELECT 'patient', json_extract(payload, '$.patient.token'), correlation_id, recorded_at FROM events
    UNION ALL
    SELECT k.kind, json_extract(l.value, k.path), e.correlation_id, e.recorded_at
    FROM events e, json_each(e.payload, '$.lines') l,
      (SELECT 'item' AS kind, '$.item.code' AS path UNION ALL SELECT 'item', '$.item.gtin' UNION ALL SELECT 'lot', '$.lot'
       UNION ALL SELECT 'serial', '$.serial') k
    WHERE json_type(e.payload, '$.lines') = 'array'
    UNION ALL
    SELECT CASE m.content_type WHEN 'application/hl7-v2' THEN 'msh10' ELSE 'source' END, m.source_id, e.correlation_id, e.recorded_at
    FROM events e JOIN messages m ON m.id = e.message_id
  )
  WHERE typeof(value) = 'text' AND trim(value) <> ''
)
GROUP BY kind, value COLLATE NOCASE, correlation_id;
