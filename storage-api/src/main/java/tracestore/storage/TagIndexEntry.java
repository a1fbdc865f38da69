package tracestore.storage;

import tracestore.storage.model.TraceId;

/**
 * "Trace {@code traceId} has a span of {@code service} tagged {@code key=value}": one per (trace,
 * service, key, value) per batch, for indexable keys only, with the value as text truncated to the
 * index policy's bound. A span's remote service is indexed as the key {@link #REMOTE_SERVICE_KEY}.
 *
 * @param startEpochNanos earliest start among those spans in the batch
 */
public record TagIndexEntry(
    String service, String key, String value, TraceId traceId, long startEpochNanos) {
  /** OTel's name for Zipkin's remote endpoint service; the key remote-service search uses. */
  public static final String REMOTE_SERVICE_KEY = "peer.service";
}
