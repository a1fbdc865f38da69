-- tracestore schema, version 7, PostgreSQL: one search-index row per (service, write batch).
--
-- V003 wrote one trace_index row per (trace, service) per batch (about 0.29 rows per span); the GIN
-- over its terms and the b-tree over (service, start_ns) were the largest part of the write path's
-- PostgreSQL CPU (BENCHMARKS.md). A row now holds, for one service, the parts of every trace of the
-- batch (a part is what a V003 row held: one trace's service entry and its operation and tag
-- elements) as parallel arrays: about 0.035 rows per span, and the GIN indexes each distinct term of
-- a row once, however many of the batch's traces carry it. Searches unnest the candidate rows and
-- check every entry exactly (storage-jdbc/RATIONALE.md).
--
-- V003's rows are converted, not dropped: each becomes a row of one part, so traces stored before
-- this version stay searchable. Each daily partition is recreated under its name with its bounds,
-- keeping rows up to 8160 bytes inline, uncompressed (as V006 does for chunks; the backend creates
-- new partitions the same way): pglz on these arrays cost about 0.4 PostgreSQL CPU-s per million
-- spans, for about 25 bytes per span at rest.

DROP INDEX trace_index_service_idx, trace_index_start_idx, trace_index_terms_idx;
ALTER TABLE trace_index RENAME TO trace_index_v3;

CREATE TABLE trace_index (
  service      text      NOT NULL,
  start_ns     bigint    NOT NULL,
  trace_ids    uuid[]    NOT NULL,
  part_offsets integer[] NOT NULL,
  durations    bigint[]  NOT NULL,
  errors       boolean[] NOT NULL,
  terms        bigint[]  NOT NULL,
  term_parts   integer[] NOT NULL,
  term_offsets integer[] NOT NULL,
  op_durations bigint[]  NOT NULL
) PARTITION BY RANGE (start_ns);
CREATE INDEX trace_index_service_idx ON trace_index (service, start_ns);
CREATE INDEX trace_index_start_idx ON trace_index USING brin (start_ns) WITH (autosummarize = on);
CREATE INDEX trace_index_terms_idx ON trace_index USING gin (terms);

DO $$
DECLARE
  part record;
BEGIN
  FOR part IN
    SELECT c.oid::regclass AS rel, c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = to_regclass('trace_index_v3')
  LOOP
    EXECUTE format('ALTER TABLE %s RENAME TO %I', part.rel, 'v3_' || part.name);
    EXECUTE format('CREATE TABLE %I PARTITION OF trace_index %s WITH (toast_tuple_target = 8160)',
                   part.name, part.bound);
  END LOOP;
END
$$;

INSERT INTO trace_index
SELECT service, start_ns, ARRAY[trace_id], ARRAY[0], ARRAY[coalesce(duration_ns, -1)],
       ARRAY[coalesce(error, false)], terms, array_fill(1, ARRAY[cardinality(terms)]), term_offsets,
       op_durations
FROM trace_index_v3;
DROP TABLE trace_index_v3;

COMMENT ON TABLE trace_index IS 'Search index: one row per service per write batch (split so that its parts start within 250 ms of the row, on its day), holding the parts of every trace of the batch: a part is one trace''s service entry and its operation and tag entries. Every entry of a row starts within 500 ms after the row, on the same day, so a search reads rows from 500 ms before its range. Partitioned by day on start_ns.';
COMMENT ON COLUMN trace_index.service IS 'Service name (the span''s local service).';
COMMENT ON COLUMN trace_index.start_ns IS 'Earliest start of any part of the row, nanoseconds since the epoch; the partition key.';
COMMENT ON COLUMN trace_index.trace_ids IS 'Per part: its 128-bit trace id (uuid, 16 big-endian bytes). A trace may have several parts in a row.';
COMMENT ON COLUMN trace_index.part_offsets IS 'Per part: its start (its service entry''s start when it has one) minus start_ns, nanoseconds (0 to 250,000,000).';
COMMENT ON COLUMN trace_index.durations IS 'Per part: its service entry, the longest duration of the service''s spans of that trace in the batch, nanoseconds; -1 when the part holds no service entry.';
COMMENT ON COLUMN trace_index.errors IS 'Per part: true when its service entry has a span with status ERROR; false when it has none.';
COMMENT ON COLUMN trace_index.terms IS 'Operation elements of every part first, then tag elements, one element each; a term occurs at most once per part. Operation: XXH64 (seed 0x6f70) of the UTF-8 of service and operation joined by "="; tag: XXH64 (seed 0x7467) of service, key and value joined by "=" (the value truncated to the index policy''s bound); "\\" and "=" escaped by a backslash in service and key. Names are in operation_names and tag_names.';
COMMENT ON COLUMN trace_index.term_parts IS 'Per element of terms: the index (from 1) of its part in trace_ids.';
COMMENT ON COLUMN trace_index.term_offsets IS 'Per element of terms: its entry''s start minus start_ns, nanoseconds (0 to 500,000,000).';
COMMENT ON COLUMN trace_index.op_durations IS 'Per operation element (the first cardinality(op_durations) elements of terms): the longest duration of those spans of its trace in the batch, nanoseconds.';
COMMENT ON INDEX trace_index_service_idx IS 'Candidate rows of a service over a time range: service searches, and operation and tag searches of common terms.';
COMMENT ON INDEX trace_index_start_idx IS 'Search over all services by time range. BRIN: rows arrive in about time order, so block ranges suffice, at almost no write cost.';
COMMENT ON INDEX trace_index_terms_idx IS 'Finds the rows holding an operation or tag hash.';
