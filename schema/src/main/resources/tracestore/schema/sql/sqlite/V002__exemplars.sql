-- tracestore schema, version 2, SQLite: exemplar traces kept past raw retention.

CREATE TABLE exemplars (
  -- Whole traces kept as examples of a (service, operation, hour), written by overwrite.
  service     TEXT    NOT NULL, -- service name
  operation   TEXT    NOT NULL, -- operation (span name)
  bucket_ns   INTEGER NOT NULL, -- start of the hour bucket, ns since the epoch
  trace_id    BLOB    NOT NULL, -- 128-bit trace id, 16 big-endian bytes
  reason      INTEGER NOT NULL, -- 0 error, 1 slow (Exemplar.Reason ordinal)
  duration_ns INTEGER NOT NULL, -- duration of the span that made the trace an exemplar, ns
  payload     BLOB    NOT NULL, -- the whole trace as one encoded chunk
  PRIMARY KEY (service, bucket_ns, operation, reason, trace_id)
) WITHOUT ROWID;
-- Reads of all services over a time range, and deletion past exemplar retention.
CREATE INDEX exemplars_bucket_idx ON exemplars (bucket_ns);
