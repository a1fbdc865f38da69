package tracestore.ingest;

/**
 * Per-request and per-span limits the decoders enforce. Immutable; validated on construction.
 *
 * <ul>
 *   <li>More than {@code maxSpansPerRequest} spans: the whole request is rejected (413).
 *   <li>More than {@code maxTagsPerSpan} tags: the extra tags are dropped and counted in the
 *       reserved tag {@value DecodedSpans#DROPPED_TAGS_KEY}.
 *   <li>A tag key longer than {@code maxTagKeyLength} characters: that tag is dropped and counted
 *       the same way.
 *   <li>A string tag value longer than {@code maxTagValueLength} characters: it is cut to that
 *       length and {@value DecodedSpans#TRUNCATION_MARKER} is appended.
 * </ul>
 *
 * <p>The same rules apply to resource attributes, log (event) fields and link attributes.
 */
public record SpanLimits(
    int maxSpansPerRequest, int maxTagsPerSpan, int maxTagKeyLength, int maxTagValueLength) {

  /** 10,000 spans per request, 128 tags per span, keys of 256 characters, values of 4,096. */
  public static final SpanLimits DEFAULTS = new SpanLimits(10_000, 128, 256, 4_096);

  public SpanLimits {
    positive("maxSpansPerRequest", maxSpansPerRequest);
    positive("maxTagsPerSpan", maxTagsPerSpan);
    positive("maxTagKeyLength", maxTagKeyLength);
    positive("maxTagValueLength", maxTagValueLength);
  }

  private static void positive(String name, int value) {
    if (value <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
  }
}
