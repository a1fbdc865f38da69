-- tracestore schema, version 1, PostgreSQL 13+.
--
-- Conventions: every time is a bigint of nanoseconds since the Unix epoch (UTC); every duration is a
-- bigint of nanoseconds. Trace ids are uuid (the 16 big-endian bytes of the 128-bit id, never hex text).
-- Span kinds are smallints holding tracestore.storage.model.SpanKind ordinals (0 unspecified, 1 internal,
-- 2 server, 3 client, 4 producer, 5 consumer).
--
-- The raw tables (chunks and the three *_index tables) are range-partitioned by day on start_ns. The
-- partitions themselves are not created here: the backend creates each day's partition ahead of time
-- (and on demand for late or early data), and retention drops whole partitions.
--
-- Only chunks has a unique key. The index tables have none: the backend writes a trace's index rows
-- in the same transaction as its chunk, and only when that chunk was new (INSERT ... ON CONFLICT DO
-- NOTHING RETURNING), so a replayed batch adds no index rows. Without unique keys the index rows can
-- be bulk-loaded with COPY, and their indexes are plain (non-unique) b-trees.

CREATE TABLE chunks (
  trace_id   uuid     NOT NULL,
  chunk_id   bigint   NOT NULL,
  start_ns   bigint   NOT NULL,
  end_ns     bigint   NOT NULL,
  span_count integer  NOT NULL,
  payload    bytea    NOT NULL,
  PRIMARY KEY (trace_id, chunk_id, start_ns)
) PARTITION BY RANGE (start_ns);
CREATE INDEX chunks_start_idx ON chunks (start_ns);
COMMENT ON TABLE chunks IS 'Stored spans: one row per chunk, i.e. the spans of one trace from one write batch, encoded and LZ4-compressed by the storage-api chunk codec. Partitioned by day on start_ns.';
COMMENT ON COLUMN chunks.trace_id IS '128-bit trace id as 16 big-endian bytes.';
COMMENT ON COLUMN chunks.chunk_id IS '64-bit hash of the encoded chunk; a replayed batch has the same id, so rewriting it stores nothing twice.';
COMMENT ON COLUMN chunks.start_ns IS 'Earliest span start in the chunk, nanoseconds since the epoch; the partition key.';
COMMENT ON COLUMN chunks.end_ns IS 'Latest span end (start + duration) in the chunk, nanoseconds since the epoch.';
COMMENT ON COLUMN chunks.span_count IS 'Number of spans encoded in payload.';
COMMENT ON COLUMN chunks.payload IS 'The encoded chunk, header included (format version, counts, checksum), LZ4-compressed; bytes.';
COMMENT ON INDEX chunks_start_idx IS 'Raw scans by time for the rollup jobs (RollupStore.scanRaw).';

CREATE TABLE service_index (
  service     text     NOT NULL,
  start_ns    bigint   NOT NULL,
  trace_id    uuid     NOT NULL,
  duration_ns bigint   NOT NULL,
  error       boolean  NOT NULL
) PARTITION BY RANGE (start_ns);
CREATE INDEX service_index_search_idx ON service_index (service, start_ns, trace_id);
CREATE INDEX service_index_start_idx ON service_index (start_ns);
COMMENT ON TABLE service_index IS 'Search by service: one row per (trace, service) per write batch. Partitioned by day on start_ns.';
COMMENT ON COLUMN service_index.service IS 'Service name (the span''s local service).';
COMMENT ON COLUMN service_index.start_ns IS 'Earliest start of the service''s spans in that batch, nanoseconds since the epoch.';
COMMENT ON COLUMN service_index.trace_id IS '128-bit trace id as 16 big-endian bytes.';
COMMENT ON COLUMN service_index.duration_ns IS 'Longest duration of the service''s spans in that batch, nanoseconds.';
COMMENT ON COLUMN service_index.error IS 'True when any of those spans has status ERROR.';
COMMENT ON INDEX service_index_search_idx IS 'Search by service over a time range.';
COMMENT ON INDEX service_index_start_idx IS 'Search over all services by time range.';

CREATE TABLE operation_index (
  op_hash     bigint   NOT NULL,
  start_ns    bigint   NOT NULL,
  trace_id    uuid     NOT NULL,
  duration_ns bigint   NOT NULL
) PARTITION BY RANGE (start_ns);
CREATE INDEX operation_index_search_idx ON operation_index (op_hash, start_ns, trace_id);
COMMENT ON INDEX operation_index_search_idx IS 'Search by service and operation over a time range.';
COMMENT ON TABLE operation_index IS 'Search by service and operation (span name): one row per (trace, service, operation, kind) per write batch. The names are in operation_names; here only their hash, which halved this table (BENCHMARKS.md). Partitioned by day on start_ns.';
COMMENT ON COLUMN operation_index.op_hash IS 'XXH64 (seed 0x6f70) of the UTF-8 of service and operation joined by "=", with "\\" and "=" escaped by a backslash in the service.';
COMMENT ON COLUMN operation_index.start_ns IS 'Earliest start of those spans in that batch, nanoseconds since the epoch.';
COMMENT ON COLUMN operation_index.trace_id IS '128-bit trace id as 16 big-endian bytes.';
COMMENT ON COLUMN operation_index.duration_ns IS 'Longest duration of those spans in that batch, nanoseconds; filtered by minDuration/maxDuration.';

CREATE TABLE tag_index (
  start_ns  bigint   NOT NULL,
  trace_id  uuid     NOT NULL,
  tags      bigint[] NOT NULL
) PARTITION BY RANGE (start_ns);
CREATE INDEX tag_index_tags_idx ON tag_index USING gin (tags);
COMMENT ON TABLE tag_index IS 'Search by tag: one row per (trace, service, start) per write batch, holding a hash of every indexable tag of that service in the trace whose earliest tagged span starts then; the remote service is the key peer.service. A GIN index over the hashes; chosen over one b-tree row per tag and over GIN on the tag text by measurement (see BENCHMARKS.md). Partitioned by day on start_ns.';
COMMENT ON COLUMN tag_index.start_ns IS 'Earliest start of the spans carrying each of these tags in that batch, nanoseconds since the epoch.';
COMMENT ON COLUMN tag_index.trace_id IS '128-bit trace id as 16 big-endian bytes.';
COMMENT ON COLUMN tag_index.tags IS 'One element per tag: the XXH64 (seed 0x7467) of the UTF-8 of service, key and value joined by "=", with "\\" and "=" escaped by a backslash in service and key; the value truncated to the index policy''s bound. The names themselves are in tag_names.';
COMMENT ON INDEX tag_index_tags_idx IS 'Finds the rows holding a tag hash.';

CREATE TABLE service_names (
  service text NOT NULL PRIMARY KEY
);
COMMENT ON TABLE service_names IS 'Every service name seen, for listing and autocomplete. Written through an in-process cache.';
COMMENT ON COLUMN service_names.service IS 'Service name.';

CREATE TABLE operation_names (
  service   text     NOT NULL,
  operation text     NOT NULL,
  kind      smallint NOT NULL,
  PRIMARY KEY (service, operation, kind)
);
COMMENT ON TABLE operation_names IS 'Operations seen per service with their span kind. Written through an in-process cache.';
COMMENT ON COLUMN operation_names.service IS 'Service name.';
COMMENT ON COLUMN operation_names.operation IS 'Operation (span name).';
COMMENT ON COLUMN operation_names.kind IS 'Span kind ordinal (see the file header).';

CREATE TABLE remote_service_names (
  service        text NOT NULL,
  remote_service text NOT NULL,
  PRIMARY KEY (service, remote_service)
);
COMMENT ON TABLE remote_service_names IS 'Remote services called by each service (from the peer.service tag). Written through an in-process cache.';
COMMENT ON COLUMN remote_service_names.service IS 'Calling service name.';
COMMENT ON COLUMN remote_service_names.remote_service IS 'Called (remote) service name.';

CREATE TABLE tag_names (
  tag_key   text NOT NULL,
  tag_value text NOT NULL,
  PRIMARY KEY (tag_key, tag_value)
);
COMMENT ON TABLE tag_names IS 'Indexed tag keys and their values, for autocomplete. Written through an in-process cache.';
COMMENT ON COLUMN tag_names.tag_key IS 'Tag key.';
COMMENT ON COLUMN tag_names.tag_value IS 'Tag value as text, truncated to the index policy''s bound.';

CREATE TABLE rollups (
  service         text     NOT NULL,
  operation       text     NOT NULL,
  kind            smallint NOT NULL,
  bucket_ns       bigint   NOT NULL,
  span_count      bigint   NOT NULL,
  error_count     bigint   NOT NULL,
  latency_sketch  bytea    NOT NULL,
  PRIMARY KEY (service, bucket_ns, operation, kind)
);
CREATE INDEX rollups_bucket_idx ON rollups (bucket_ns);
COMMENT ON TABLE rollups IS 'RED statistics per (service, operation, kind, hour), written by overwrite so reruns are idempotent.';
COMMENT ON COLUMN rollups.service IS 'Service name.';
COMMENT ON COLUMN rollups.operation IS 'Operation (span name).';
COMMENT ON COLUMN rollups.kind IS 'Span kind ordinal (see the file header).';
COMMENT ON COLUMN rollups.bucket_ns IS 'Start of the hour bucket, nanoseconds since the epoch.';
COMMENT ON COLUMN rollups.span_count IS 'Number of spans in the bucket.';
COMMENT ON COLUMN rollups.error_count IS 'Number of those spans with status ERROR.';
COMMENT ON COLUMN rollups.latency_sketch IS 'Serialized mergeable latency sketch; opaque to storage; bytes.';
COMMENT ON INDEX rollups_bucket_idx IS 'Reads of all services over a time range.';

CREATE TABLE dependency_links (
  parent    text   NOT NULL,
  child     text   NOT NULL,
  bucket_ns bigint NOT NULL,
  calls     bigint NOT NULL,
  errors    bigint NOT NULL,
  PRIMARY KEY (bucket_ns, parent, child)
);
COMMENT ON TABLE dependency_links IS 'Calls between services per hour, written by overwrite.';
COMMENT ON COLUMN dependency_links.parent IS 'Calling service name.';
COMMENT ON COLUMN dependency_links.child IS 'Called service name.';
COMMENT ON COLUMN dependency_links.bucket_ns IS 'Start of the hour bucket, nanoseconds since the epoch.';
COMMENT ON COLUMN dependency_links.calls IS 'Number of calls in the bucket.';
COMMENT ON COLUMN dependency_links.errors IS 'Number of those calls that failed.';

CREATE TABLE watermarks (
  job      text   NOT NULL PRIMARY KEY,
  epoch_ns bigint NOT NULL
);
COMMENT ON TABLE watermarks IS 'Progress of each retention job.';
COMMENT ON COLUMN watermarks.job IS 'Job name.';
COMMENT ON COLUMN watermarks.epoch_ns IS 'End of the last completed bucket, nanoseconds since the epoch.';

CREATE TABLE leases (
  name       text   NOT NULL PRIMARY KEY,
  owner      text   NOT NULL,
  expires_ns bigint NOT NULL
);
COMMENT ON TABLE leases IS 'Leases that keep two schedulers from running the same job at once.';
COMMENT ON COLUMN leases.name IS 'Lease name (usually the job).';
COMMENT ON COLUMN leases.owner IS 'Identity of the holder (host and process).';
COMMENT ON COLUMN leases.expires_ns IS 'Database clock time when the lease lapses unless renewed, nanoseconds since the epoch.';
