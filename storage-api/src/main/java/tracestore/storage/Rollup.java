package tracestore.storage;

import java.util.Arrays;
import java.util.Objects;
import tracestore.storage.model.SpanKind;

/**
 * RED statistics of one (service, operation, kind) over one hour bucket.
 *
 * @param bucketStartEpochNanos the start of the hour, nanoseconds since the epoch
 * @param latencySketch a serialized mergeable latency sketch; opaque to storage
 */
public record Rollup(
    String service,
    String operation,
    SpanKind kind,
    long bucketStartEpochNanos,
    long count,
    long errorCount,
    byte[] latencySketch) {
  public Rollup {
    Objects.requireNonNull(latencySketch, "latencySketch == null");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rollup r
        && r.service.equals(service)
        && r.operation.equals(operation)
        && r.kind == kind
        && r.bucketStartEpochNanos == bucketStartEpochNanos
        && r.count == count
        && r.errorCount == errorCount
        && Arrays.equals(r.latencySketch, latencySketch);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, operation, kind, bucketStartEpochNanos, count, errorCount);
  }
}
