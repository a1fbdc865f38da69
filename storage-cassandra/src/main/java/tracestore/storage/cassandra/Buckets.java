package tracestore.storage.cassandra;

/**
 * The time bucket of an index row: the epoch hour of its start. One hour bounds a partition by time
 * and keeps a week-long search to 168 partitions per predicate; see RATIONALE.md.
 */
final class Buckets {
  static final long BUCKET_NANOS = 3_600_000_000_000L;

  private Buckets() {}

  static int of(long epochNanos) {
    return (int) Math.floorDiv(epochNanos, BUCKET_NANOS);
  }

  /** First nanosecond of the bucket. */
  static long start(int bucket) {
    return bucket * BUCKET_NANOS;
  }

  /** Last nanosecond of the bucket, inclusive. */
  static long end(int bucket) {
    return start(bucket) + BUCKET_NANOS - 1;
  }
}
