-- tracestore schema, version 5, PostgreSQL: string dictionaries that chunks reference.
--
-- A chunk may reference one dictionary of the strings many traces share, by id, instead of repeating
-- them (storage-api ChunkDictionary). The id is a hash of the payload, so equal ids hold equal bytes:
-- a row is inserted once and its payload never changes. The table is not partitioned: it holds one row
-- per dictionary, a few per service and day at most.
--
-- Retention (storage-jdbc/RATIONALE.md): used_until_ns is the end of the UTC day of the latest chunk
-- start among the write batches that carried the dictionary, raised by those writes and never lowered.
-- Every chunk referencing the dictionary therefore starts before used_until_ns, and the retention
-- that drops a day's chunk partitions deletes the dictionaries whose used_until_ns is at or before the
-- start of the oldest day it keeps.

CREATE TABLE chunk_dictionaries (
  id            bigint NOT NULL PRIMARY KEY,
  used_until_ns bigint NOT NULL,
  payload       bytea  NOT NULL
);
COMMENT ON TABLE chunk_dictionaries IS 'String dictionaries referenced by chunks, by content hash; written before the chunks that reference them, in the same transaction, and deleted by raw retention once no kept chunk can reference them.';
COMMENT ON COLUMN chunk_dictionaries.id IS '64-bit hash of payload (never 0); the id chunks reference. Equal ids hold equal bytes.';
COMMENT ON COLUMN chunk_dictionaries.used_until_ns IS 'End (exclusive) of the UTC day of the latest chunk start in any write that carried this dictionary, nanoseconds since the epoch; every referencing chunk starts before it. Only ever raised.';
COMMENT ON COLUMN chunk_dictionaries.payload IS 'The encoded dictionary (storage-api chunk codec); bytes, never modified.';
