package tracestore.storage.model;

/**
 * Reserved tag keys that carry the Zipkin v2 fields the model has no field for. Zipkin ingest writes
 * them, and the Zipkin query API reads them back into endpoints and flags (and leaves them out of
 * the rendered {@code tags}). One place, so both directions agree.
 *
 * <p>The endpoint keys are OpenTelemetry semantic-convention attributes, so OTLP spans that carry
 * them also show their addresses in Zipkin's UI. Values: addresses are IPv4 or IPv6 text; ports are
 * {@link TagValue.Int}; flags are {@link TagValue.Bool} {@code true} (absent means false).
 *
 * <p>Mapping of the rest (no reserved keys needed): {@code localEndpoint.serviceName} is {@link
 * Span#service()}, {@code remoteEndpoint.serviceName} is {@link Span#remoteService()}, annotations
 * are {@link SpanLog}s (value = name, no fields), timestamps and durations are converted between
 * micros and nanos, an {@code error} tag stays a tag.
 */
public final class ZipkinTags {
  /** {@code localEndpoint.ipv4} or {@code ipv6}. */
  public static final String LOCAL_ADDRESS = "network.local.address";

  /** {@code localEndpoint.port}. */
  public static final String LOCAL_PORT = "network.local.port";

  /** {@code remoteEndpoint.ipv4} or {@code ipv6}. */
  public static final String REMOTE_ADDRESS = "network.peer.address";

  /** {@code remoteEndpoint.port}. */
  public static final String REMOTE_PORT = "network.peer.port";

  /** Zipkin's {@code shared} flag: this span joins one started by another host. */
  public static final String SHARED = "zipkin.shared";

  /** Zipkin's {@code debug} flag. */
  public static final String DEBUG = "zipkin.debug";

  private ZipkinTags() {}

  /** True for the keys above, which renderers show as fields rather than tags. */
  public static boolean isReserved(String key) {
    switch (key) {
      case LOCAL_ADDRESS:
      case LOCAL_PORT:
      case REMOTE_ADDRESS:
      case REMOTE_PORT:
      case SHARED:
      case DEBUG:
        return true;
      default:
        return false;
    }
  }
}
