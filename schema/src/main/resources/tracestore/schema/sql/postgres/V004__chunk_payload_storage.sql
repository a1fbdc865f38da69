-- tracestore schema, version 4, PostgreSQL: chunk payloads are stored without PostgreSQL's compression.
--
-- The payload is already LZ4-compressed, so pglz (the default for bytea, STORAGE EXTENDED) never
-- shrinks it, yet every row over about 2 kB paid a failed pglz attempt before being moved out of
-- line; pglz_compress was the postgres function seen most often in a perf profile of the write path
-- (BENCHMARKS.md). EXTERNAL skips that attempt and changes nothing else: a large payload still goes
-- to TOAST, uncompressed, as it already did after the failed attempt. Partitions created later take
-- the column's storage from the parent table.

ALTER TABLE chunks ALTER COLUMN payload SET STORAGE EXTERNAL;
