package tracestore.storage.model;

/**
 * A 64-bit span id. {@link Span} keeps ids as primitive longs to stay allocation-free; this record
 * is for parsing and formatting. Zero means absent (for a parent: the span is a root).
 */
public record SpanId(long value) {

  /** Parses exactly 16 hex characters; rejects zero. The error names the offending input. */
  public static SpanId parse(CharSequence hex) {
    if (hex == null) throw new IllegalArgumentException("span id == null");
    if (hex.length() != 16) {
      throw new IllegalArgumentException(
          "span id must be 16 hex characters, got " + hex.length() + ": \"" + hex + "\"");
    }
    long v = Hex.parse(hex, 0, 16, "span id");
    if (v == 0) throw new IllegalArgumentException("span id is all zeros: \"" + hex + "\"");
    return new SpanId(v);
  }

  /** 16 lower-case hex characters. */
  public static String toHex(long value) {
    return Hex.toHex(value);
  }

  public String toHex() {
    return Hex.toHex(value);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
