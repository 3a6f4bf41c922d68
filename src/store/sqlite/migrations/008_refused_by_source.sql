-- 008: a refused message is found by its own source id (an MSH-10 answered AE or AR, an ISA13 answered with a TA1):
-- the interface team asks about the message a sender says was refused, and it has no events to search by. Only
-- refused messages are indexed, so the index stays as small as they are few. COLLATE NOCASE as search_keys.
CREATE INDEX messages_refused_by_source ON messages(source_id COLLATE NOCASE) WHERE error IS NOT NULL;
