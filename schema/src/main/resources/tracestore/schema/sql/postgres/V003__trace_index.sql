-- tracestore schema, version 3, PostgreSQL: one search-index row per (trace, service) per write batch.
--
-- Replaces service_index, operation_index and tag_index (about 2.1 rows per span between them) by
-- trace_index (about 0.3 rows per span): a row holds the service entry and, as parallel arrays, the
-- operation and tag entries of that service in that trace and batch. The write path was bound by the
-- number of rows per span, not by how they were sent (storage-jdbc/RATIONALE.md, BENCHMARKS.md).
--
-- The old index rows are not converted: operation_index and tag_index keep only hashes, from which
-- the service a row belongs to cannot be recovered in SQL. Traces written before this version stay
-- readable by id (chunks is unchanged) but are no longer found by search. tracestore had no release
-- whose data this affects when this version was written.

DROP TABLE service_index, operation_index, tag_index;

CREATE TABLE trace_index (
  service      text      NOT NULL,
  start_ns     bigint    NOT NULL,
  trace_id     uuid      NOT NULL,
  duration_ns  bigint,
  error        boolean,
  terms        bigint[]  NOT NULL,
  term_offsets integer[] NOT NULL,
  op_durations bigint[]  NOT NULL
) PARTITION BY RANGE (start_ns);
CREATE INDEX trace_index_service_idx ON trace_index (service, start_ns) INCLUDE (trace_id, duration_ns, error);
CREATE INDEX trace_index_start_idx ON trace_index USING brin (start_ns) WITH (autosummarize = on);
CREATE INDEX trace_index_terms_idx ON trace_index USING gin (terms);
COMMENT ON TABLE trace_index IS 'Search index: one row per (trace, service) per write batch, holding that service''s entry and its operation and tag entries. A row''s entries start within one second of the row and on the same day (rows are split otherwise), so a search reads rows from 250 ms before its range. Partitioned by day on start_ns.';
COMMENT ON COLUMN trace_index.service IS 'Service name (the span''s local service).';
COMMENT ON COLUMN trace_index.start_ns IS 'Earliest start of any entry in the row (the service entry''s start when the row has one), nanoseconds since the epoch; the partition key.';
COMMENT ON COLUMN trace_index.trace_id IS '128-bit trace id as 16 big-endian bytes.';
COMMENT ON COLUMN trace_index.duration_ns IS 'The service entry: longest duration of the service''s spans in the batch, nanoseconds; NULL when the row holds no service entry (then error is NULL too). The service entry starts at start_ns.';
COMMENT ON COLUMN trace_index.error IS 'The service entry: true when any of those spans has status ERROR; NULL when the row holds no service entry.';
COMMENT ON COLUMN trace_index.terms IS 'Operation entries first, then tag entries, one element each. Operation: XXH64 (seed 0x6f70) of the UTF-8 of service and operation joined by "="; tag: XXH64 (seed 0x7467) of service, key and value joined by "=" (the value truncated to the index policy''s bound); "\\" and "=" escaped by a backslash in service and key. Names are in operation_names and tag_names.';
COMMENT ON COLUMN trace_index.term_offsets IS 'Per element of terms: its entry''s start minus start_ns, nanoseconds (0 to 250,000,000).';
COMMENT ON COLUMN trace_index.op_durations IS 'Per operation entry (the first cardinality(op_durations) elements of terms): the longest duration of those spans in the batch, nanoseconds.';
COMMENT ON INDEX trace_index_service_idx IS 'Search by service over a time range; covers the service entry, so service searches read only the index; also serves operation and tag searches of common terms.';
COMMENT ON INDEX trace_index_start_idx IS 'Search over all services by time range. BRIN: rows arrive in about time order, so block ranges suffice, at almost no write cost.';
COMMENT ON INDEX trace_index_terms_idx IS 'Finds the rows holding an operation or tag hash.';
