-- tracestore schema, version 4, SQLite: one search index row per (trace, service) per write batch,
-- and an FTS5 index of the rows' terms, instead of V001's one row per entry in three tables
-- (service_index, operation_index, tag_index: about 3.2 rows per span, each a b-tree insert at a
-- random place). The rows are PostgreSQL's trace_index rows (storage-jdbc TraceRows); SQLite has
-- no arrays, so the terms and the per-term columns are fixed-width text (see the columns).
--
-- V001's index rows are not converted: they hold only hashes, from which a row's service cannot
-- be recovered. Traces stored before V004 stay readable by id but are not found by search.

DROP TABLE service_index;
DROP TABLE operation_index;
DROP TABLE tag_index;

CREATE TABLE trace_index (
  -- Search: one row per (trace, service) per write batch, holding the service entry (when the row
  -- starts with it) and that service's operation and tag entries starting within 250 ms after it.
  id           INTEGER PRIMARY KEY, -- the row start start_ns, plus 0 to 999,999 when another row took that value: rows in time order, so a time range is an id range
  service      TEXT    NOT NULL, -- service name
  start_ns     INTEGER NOT NULL, -- start of the row's service entry, or of its earliest entry, ns since the epoch
  trace_id     BLOB    NOT NULL, -- 128-bit trace id, 16 big-endian bytes
  duration_ns  INTEGER,          -- the service entry's longest duration, ns; NULL when the row has no service entry
  error        INTEGER,          -- 1 when a span of the service entry has status ERROR; NULL without a service entry
  terms        TEXT    NOT NULL, -- per term 16 lowercase hex digits of its hash and a space: operation hashes (XXH64 seed 0x6f70 of service=operation) first, then tag hashes (XXH64 seed 0x7467 of service=key=value), each term at most once
  term_offsets TEXT    NOT NULL, -- per term 9 decimal digits: its entry's start minus start_ns, ns (0 to 250,000,000)
  op_durations TEXT    NOT NULL  -- per operation term 19 decimal digits: the entry's longest duration, ns
);
-- Searches by service (the service entries), in time order.
CREATE INDEX trace_index_service_idx ON trace_index (service, start_ns) WHERE duration_ns IS NOT NULL;

-- The terms of every row, inverted: FTS5 keeps per term a list of row ids, compressed, appended per
-- transaction and merged in the background, which costs far less per term than a b-tree insert.
-- External content (trace_index.terms), no positions, no document sizes: it stores ids only.
CREATE VIRTUAL TABLE trace_terms USING fts5(terms, content = 'trace_index', content_rowid = 'id',
  detail = none, columnsize = 0, tokenize = 'ascii');

-- The FTS index follows the rows: the writer inserts each row's terms (an insert trigger measured
-- six times as costly), and this trigger tells it each deleted row's terms.
CREATE TRIGGER trace_index_deleted AFTER DELETE ON trace_index WHEN old.terms <> '' BEGIN
  INSERT INTO trace_terms (trace_terms, rowid, terms) VALUES ('delete', old.id, old.terms);
END;
