package tracestore.retention;

/** Hour buckets in nanoseconds since the epoch. */
final class Buckets {
  static final long HOUR_NANOS = 3_600_000_000_000L;

  private Buckets() {}

  static long floor(long epochNanos) {
    return Math.floorDiv(epochNanos, HOUR_NANOS) * HOUR_NANOS;
  }

  static long ceil(long epochNanos) {
    long f = floor(epochNanos);
    return f == epochNanos ? f : f + HOUR_NANOS;
  }
}
