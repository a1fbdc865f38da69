package tracestore.storage;

import tracestore.storage.model.SpanKind;

/** An operation (span name) of a service, with the span kind it was seen with. */
public record Operation(String service, String name, SpanKind kind) {}
