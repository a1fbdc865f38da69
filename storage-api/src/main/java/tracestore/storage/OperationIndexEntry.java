package tracestore.storage;

import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * "Trace {@code traceId} has a span {@code operation} of {@code service}": one per (trace, service,
 * operation) per batch.
 *
 * @param startEpochNanos earliest start among those spans in the batch
 * @param durationNanos longest duration among those spans in the batch
 */
public record OperationIndexEntry(
    String service,
    String operation,
    SpanKind kind,
    TraceId traceId,
    long startEpochNanos,
    long durationNanos) {}
