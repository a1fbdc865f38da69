-- tracestore schema, version 1, SQLite 3.35+ (the embedded default).
--
-- The same tables as PostgreSQL without partitions. Conventions: every time is an INTEGER of
-- nanoseconds since the Unix epoch (UTC); every duration is an INTEGER of nanoseconds. Trace ids are
-- 16-byte BLOBs (the big-endian bytes of the 128-bit id, never hex text). Span kinds are INTEGERs
-- holding tracestore.storage.model.SpanKind ordinals (0 unspecified, 1 internal, 2 server, 3 client,
-- 4 producer, 5 consumer). Booleans are INTEGER 0/1. The index tables are WITHOUT ROWID tables whose
-- primary key is the whole entry, so the table is its own search index and a rewrite is a no-op. The comments inside each CREATE TABLE are kept
-- by SQLite in sqlite_schema.sql, so they travel with the database file.

CREATE TABLE chunks (
  -- Stored spans: one row per chunk (the spans of one trace from one write batch, LZ4-compressed).
  trace_id   BLOB    NOT NULL, -- 128-bit trace id, 16 big-endian bytes
  chunk_id   INTEGER NOT NULL, -- 64-bit hash of the encoded chunk; replays rewrite the same key
  start_ns   INTEGER NOT NULL, -- earliest span start, ns since the epoch
  end_ns     INTEGER NOT NULL, -- latest span end, ns since the epoch
  span_count INTEGER NOT NULL, -- spans encoded in payload
  payload    BLOB    NOT NULL, -- the encoded chunk, header included, LZ4-compressed
  PRIMARY KEY (trace_id, chunk_id)
);
-- Raw scans by time for the rollup jobs and retention deletes.
CREATE INDEX chunks_start_idx ON chunks (start_ns);

CREATE TABLE service_index (
  -- Search by service: one row per (trace, service) per write batch.
  service     TEXT    NOT NULL, -- service name
  start_ns    INTEGER NOT NULL, -- earliest start of the service's spans in the batch, ns since the epoch
  trace_id    BLOB    NOT NULL, -- 128-bit trace id, 16 big-endian bytes
  duration_ns INTEGER NOT NULL, -- longest duration of those spans, ns
  error       INTEGER NOT NULL, -- 1 when any of those spans has status ERROR
  PRIMARY KEY (service, start_ns, trace_id, duration_ns, error)
) WITHOUT ROWID;
-- Search over all services by time range.
CREATE INDEX service_index_start_idx ON service_index (start_ns);

CREATE TABLE operation_index (
  -- Search by service and operation: one row per (trace, service, operation, kind) per write batch.
  -- The names are in operation_names; here only their hash.
  op_hash     INTEGER NOT NULL, -- XXH64 (seed 0x6f70) of the UTF-8 of service=operation, '\' and '=' escaped by '\' in the service
  start_ns    INTEGER NOT NULL, -- earliest start of those spans in the batch, ns since the epoch
  trace_id    BLOB    NOT NULL, -- 128-bit trace id, 16 big-endian bytes
  duration_ns INTEGER NOT NULL, -- longest duration of those spans, ns
  PRIMARY KEY (op_hash, start_ns, trace_id, duration_ns)
) WITHOUT ROWID;

CREATE TABLE tag_index (
  -- Search by tag: one row per (trace, service, key, value) per write batch, indexable keys only;
  -- the remote service is the key peer.service. The tag is stored as a hash (the names are in
  -- tag_names), which made this table several times smaller than keying the text.
  tag_hash  INTEGER NOT NULL, -- XXH64 (seed 0x7467) of the UTF-8 of service=key=value, '\' and '=' escaped by '\' in service and key
  start_ns  INTEGER NOT NULL, -- earliest start of the tagged spans in the batch, ns since the epoch
  trace_id  BLOB    NOT NULL, -- 128-bit trace id, 16 big-endian bytes
  PRIMARY KEY (tag_hash, start_ns, trace_id)
) WITHOUT ROWID;
-- Retention deletes by time.
CREATE INDEX tag_index_start_idx ON tag_index (start_ns);
CREATE INDEX operation_index_start_idx ON operation_index (start_ns);

CREATE TABLE service_names (
  -- Every service name seen; written through an in-process cache.
  service TEXT NOT NULL PRIMARY KEY -- service name
) WITHOUT ROWID;

CREATE TABLE operation_names (
  -- Operations seen per service with their span kind; written through an in-process cache.
  service   TEXT    NOT NULL, -- service name
  operation TEXT    NOT NULL, -- operation (span name)
  kind      INTEGER NOT NULL, -- span kind ordinal
  PRIMARY KEY (service, operation, kind)
) WITHOUT ROWID;

CREATE TABLE remote_service_names (
  -- Remote services called by each service (from the peer.service tag).
  service        TEXT NOT NULL, -- calling service name
  remote_service TEXT NOT NULL, -- called service name
  PRIMARY KEY (service, remote_service)
) WITHOUT ROWID;

CREATE TABLE tag_names (
  -- Indexed tag keys and their values, for autocomplete.
  tag_key   TEXT NOT NULL, -- tag key
  tag_value TEXT NOT NULL, -- tag value as text, truncated to the index policy's bound
  PRIMARY KEY (tag_key, tag_value)
) WITHOUT ROWID;

CREATE TABLE rollups (
  -- RED statistics per (service, operation, kind, hour), written by overwrite.
  service        TEXT    NOT NULL, -- service name
  operation      TEXT    NOT NULL, -- operation (span name)
  kind           INTEGER NOT NULL, -- span kind ordinal
  bucket_ns      INTEGER NOT NULL, -- start of the hour bucket, ns since the epoch
  span_count     INTEGER NOT NULL, -- spans in the bucket
  error_count    INTEGER NOT NULL, -- of which status ERROR
  latency_sketch BLOB    NOT NULL, -- serialized mergeable latency sketch, opaque to storage
  PRIMARY KEY (service, bucket_ns, operation, kind)
) WITHOUT ROWID;
-- Reads of all services over a time range.
CREATE INDEX rollups_bucket_idx ON rollups (bucket_ns);

CREATE TABLE dependency_links (
  -- Calls between services per hour, written by overwrite.
  parent    TEXT    NOT NULL, -- calling service name
  child     TEXT    NOT NULL, -- called service name
  bucket_ns INTEGER NOT NULL, -- start of the hour bucket, ns since the epoch
  calls     INTEGER NOT NULL, -- calls in the bucket
  errors    INTEGER NOT NULL, -- of which failed
  PRIMARY KEY (bucket_ns, parent, child)
) WITHOUT ROWID;

CREATE TABLE watermarks (
  -- Progress of each retention job.
  job      TEXT    NOT NULL PRIMARY KEY, -- job name
  epoch_ns INTEGER NOT NULL              -- end of the last completed bucket, ns since the epoch
) WITHOUT ROWID;

CREATE TABLE leases (
  -- Leases that keep two schedulers from running the same job at once.
  name       TEXT    NOT NULL PRIMARY KEY, -- lease name
  owner      TEXT    NOT NULL,             -- holder identity (host and process)
  expires_ns INTEGER NOT NULL              -- when the lease lapses unless renewed, ns since the epoch
) WITHOUT ROWID;
