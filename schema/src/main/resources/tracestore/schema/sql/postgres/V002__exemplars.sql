-- tracestore schema, version 2, PostgreSQL: exemplar traces kept past raw retention.

CREATE TABLE exemplars (
  service     text     NOT NULL,
  operation   text     NOT NULL,
  bucket_ns   bigint   NOT NULL,
  trace_id    uuid     NOT NULL,
  reason      smallint NOT NULL,
  duration_ns bigint   NOT NULL,
  payload     bytea    NOT NULL,
  PRIMARY KEY (service, bucket_ns, operation, reason, trace_id)
);
CREATE INDEX exemplars_bucket_idx ON exemplars (bucket_ns);
COMMENT ON TABLE exemplars IS 'Whole traces kept as examples (errors, slowest) of a (service, operation, hour), written by overwrite; they outlive raw retention.';
COMMENT ON COLUMN exemplars.service IS 'Service name.';
COMMENT ON COLUMN exemplars.operation IS 'Operation (span name).';
COMMENT ON COLUMN exemplars.bucket_ns IS 'Start of the hour bucket, nanoseconds since the epoch.';
COMMENT ON COLUMN exemplars.trace_id IS '128-bit trace id as 16 big-endian bytes.';
COMMENT ON COLUMN exemplars.reason IS '0 error, 1 slow (tracestore.storage.Exemplar.Reason ordinal).';
COMMENT ON COLUMN exemplars.duration_ns IS 'Duration of the span that made the trace an exemplar, nanoseconds.';
COMMENT ON COLUMN exemplars.payload IS 'The whole trace as one encoded chunk (storage-api chunk codec); bytes.';
COMMENT ON INDEX exemplars_bucket_idx IS 'Reads of all services over a time range; deletion past exemplar retention.';
