package tracestore.storage;

import tracestore.storage.model.TraceId;

/** One search hit: a trace and its earliest start among the matching index entries (epoch nanos). */
public record TraceHit(TraceId traceId, long startEpochNanos) {}
