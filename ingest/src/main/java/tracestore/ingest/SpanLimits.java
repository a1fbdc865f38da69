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
 *   <li>A trace with more than {@code maxSpansPerTrace} spans (counted across requests by one
 *       process): the span past the cap is stored marked {@value TraceBudget#TRUNCATED_KEY}, later
 *       ones are rejected ({@link TraceBudget}).
 * </ul>
 *
 * <p>The same rules apply to resource attributes, log (event) fields and link attributes.
 */
public record SpanLimits(
    int maxSpansPerRequest,
    int maxTagsPerSpan,
    int maxTagKeyLength,
    int maxTagValueLength,
    int maxSpansPerTrace) {

  /** Default cap on the spans of one trace: far above real requests, far below a runaway loop. */
  public static final int DEFAULT_MAX_SPANS_PER_TRACE = 50_000;

  /**
   * 10,000 spans per request, 128 tags per span, keys of 256 characters, values of 4,096, 50,000
   * spans per trace.
   */
  public static final SpanLimits DEFAULTS = new SpanLimits(10_000, 128, 256, 4_096, DEFAULT_MAX_SPANS_PER_TRACE);

  /** With the default spans-per-trace cap. */
  public SpanLimits(int maxSpansPerRequest, int maxTagsPerSpan, int maxTagKeyLength, int maxTagValueLength) {
    this(maxSpansPerRequest, maxTagsPerSpan, maxTagKeyLength, maxTagValueLength, DEFAULT_MAX_SPANS_PER_TRACE);
  }

  public SpanLimits {
    positive("maxSpansPerTrace", maxSpansPerTrace);
    positive("maxSpansPerRequest", maxSpansPerRequest);
    positive("maxTagsPerSpan", maxTagsPerSpan);
    positive("maxTagKeyLength", maxTagKeyLength);
    positive("maxTagValueLength", maxTagValueLength);
  }

  /** These limits with another spans-per-trace cap. */
  public SpanLimits withMaxSpansPerTrace(int max) {
    return new SpanLimits(maxSpansPerRequest, maxTagsPerSpan, maxTagKeyLength, maxTagValueLength, max);
  }

  private static void positive(String name, int value) {
    if (value <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
  }
}
