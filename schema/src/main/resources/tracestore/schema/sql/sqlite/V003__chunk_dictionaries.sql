-- tracestore schema, version 3, SQLite: string dictionaries that chunks reference.
--
-- A chunk may reference one dictionary of the strings many traces share, by id, instead of repeating
-- them (storage-api ChunkDictionary). The id is a hash of the payload, so equal ids hold equal bytes:
-- a row is inserted once and its payload never changes. Retention (storage-jdbc/RATIONALE.md) deletes
-- a dictionary once used_until_ns is at or before the time before which it deleted the chunks.

CREATE TABLE chunk_dictionaries (
  -- String dictionaries referenced by chunks, by content hash; written before the chunks that
  -- reference them, in the same transaction.
  id            INTEGER NOT NULL PRIMARY KEY, -- 64-bit hash of payload (never 0); equal ids hold equal bytes
  used_until_ns INTEGER NOT NULL,             -- end of the UTC day of the latest chunk start in any write carrying it, ns since the epoch; only raised
  payload       BLOB    NOT NULL              -- the encoded dictionary (storage-api chunk codec), never modified
);
