package tracestore.storage;

import tracestore.storage.model.TraceId;

/**
 * "Trace {@code traceId} has spans of {@code service}": one entry per (trace, service) per batch.
 *
 * @param startEpochNanos the earliest start of that service's spans in the batch
 * @param durationNanos the longest duration of that service's spans in the batch
 * @param error whether any of those spans is an error
 */
public record ServiceIndexEntry(
    String service, TraceId traceId, long startEpochNanos, long durationNanos, boolean error) {}
