package tracestore.storage;

/** Calls from {@code parent} to {@code child} service within one hour bucket. */
public record DependencyLink(
    String parent, String child, long bucketStartEpochNanos, long calls, long errors) {}
