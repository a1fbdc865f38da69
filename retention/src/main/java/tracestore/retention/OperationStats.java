package tracestore.retention;

import tracestore.storage.model.SpanKind;

/**
 * RED statistics of a service, or of one of its operations, over a range.
 *
 * @param operation the operation, or empty for the whole service
 * @param kind the span kind, or null for the whole service
 * @param ratePerSecond spans per second over the range's length
 * @param errorRate errors divided by count, 0 when there are no spans
 * @param p50Nanos median duration, nanoseconds, within {@link LatencySketch#RELATIVE_ERROR}
 */
public record OperationStats(String service, String operation, SpanKind kind, long count,
    long errors, double ratePerSecond, double errorRate, long p50Nanos, long p95Nanos,
    long p99Nanos) {}
