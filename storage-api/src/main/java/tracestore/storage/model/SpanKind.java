package tracestore.storage.model;

/** The span kind. Zipkin spans without a kind, and OTel's SPAN_KIND_UNSPECIFIED, map to UNSPECIFIED. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  private static final SpanKind[] VALUES = values();

  /** The kind with this ordinal; the stored codecs write ordinals, so never reorder the constants. */
  public static SpanKind ofOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal >= VALUES.length) {
      throw new IllegalArgumentException("unknown span kind ordinal: " + ordinal);
    }
    return VALUES[ordinal];
  }
}
