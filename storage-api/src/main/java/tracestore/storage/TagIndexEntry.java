package tracestore.storage;

import tracestore.storage.model.TraceId;

/**
 * "Trace {@code traceId} has a span of {@code service} tagged {@code key=value}": one per (trace,
 * service, key, value) per batch, for indexable keys only, with the value as text truncated to the
 * index policy's bound. A span's remote service is indexed as the key {@link #REMOTE_SERVICE_KEY}.
 *
 * @param startEpochNanos earliest start among those spans in the batch
 * @param listed whether the value also goes to the autocomplete names ({@link
 *     TraceReader#tagValues}); false once the key's cardinality guard is full. The entry is
 *     searchable either way.
 */
public record TagIndexEntry(
    String service, String key, String value, TraceId traceId, long startEpochNanos, boolean listed) {
  /** A listed entry. */
  public TagIndexEntry(String service, String key, String value, TraceId traceId, long startEpochNanos) {
    this(service, key, value, traceId, startEpochNanos, true);
  }

  /** OTel's name for Zipkin's remote endpoint service; the key remote-service search uses. */
  public static final String REMOTE_SERVICE_KEY = "peer.service";
}
