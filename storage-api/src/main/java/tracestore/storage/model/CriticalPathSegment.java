package tracestore.storage.model;

/**
 * A piece of the critical path: the time from {@code startEpochNanos} to {@code endEpochNanos}
 * (nanoseconds since the epoch) that the trace's latency waited on {@code node}'s own work.
 */
public record CriticalPathSegment(TraceNode node, long startEpochNanos, long endEpochNanos) {

  public Span span() {
    return node.span();
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }
}
