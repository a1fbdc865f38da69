package tracestore.storage.model;

/**
 * Reserved tag keys that carry the Zipkin v2 fields the model has no field for: endpoint addresses
 * and ports, {@code shared} and {@code debug}. Zipkin ingest writes them; the Zipkin query API reads
 * them back into {@code localEndpoint}/{@code remoteEndpoint} and the flags, and leaves them out of
 * the rendered {@code tags}. They live here, in storage-api, so both directions share one list
 * (ingest and query may not depend on each other).
 *
 * <p>Values: addresses are text as Zipkin normalises them; ports are {@link TagValue.Int}; the
 * flags are {@link TagValue.Bool} {@code true}, present only when set.
 *
 * <p>The rest of the mapping needs no reserved key: {@code localEndpoint.serviceName} is {@link
 * Span#service()}, {@code remoteEndpoint.serviceName} is {@link Span#remoteService()}, annotations
 * are {@link SpanLog}s (value = name, no fields), microseconds become nanoseconds, Zipkin tags are
 * string tags (an {@code error} tag stays a tag). See docs/ingest.md.
 */
public final class ZipkinTags {
  public static final String LOCAL_IPV4 = "zipkin.local.ipv4";
  public static final String LOCAL_IPV6 = "zipkin.local.ipv6";
  public static final String LOCAL_PORT = "zipkin.local.port";
  public static final String REMOTE_IPV4 = "zipkin.remote.ipv4";
  public static final String REMOTE_IPV6 = "zipkin.remote.ipv6";
  public static final String REMOTE_PORT = "zipkin.remote.port";

  /** Present (true) only when the span is {@code shared}. */
  public static final String SHARED = "zipkin.shared";

  /** Present (true) only when the span is {@code debug}. */
  public static final String DEBUG = "zipkin.debug";

  private ZipkinTags() {}

  /** True for the keys above, which renderers show as Zipkin fields rather than tags. */
  public static boolean isReserved(String key) {
    switch (key) {
      case LOCAL_IPV4:
      case LOCAL_IPV6:
      case LOCAL_PORT:
      case REMOTE_IPV4:
      case REMOTE_IPV6:
      case REMOTE_PORT:
      case SHARED:
      case DEBUG:
        return true;
      default:
        return false;
    }
  }
}
