package tracestore.storage.model;

/**
 * A 128-bit trace id as two longs. A 64-bit id is left-padded: {@code high == 0}.
 *
 * <p>The all-zero id is invalid everywhere (OTel and Zipkin agree), so {@link #parse} rejects it.
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {

  /** Parses 16 or 32 hex characters. The error names the offending input. */
  public static TraceId parse(CharSequence hex) {
    if (hex == null) throw new IllegalArgumentException("trace id == null");
    int len = hex.length();
    TraceId id;
    if (len == 32) {
      id = new TraceId(Hex.parse(hex, 0, 16, "trace id"), Hex.parse(hex, 16, 16, "trace id"));
    } else if (len == 16) {
      id = new TraceId(0, Hex.parse(hex, 0, 16, "trace id"));
    } else {
      throw new IllegalArgumentException(
          "trace id must be 16 or 32 hex characters, got " + len + ": \"" + hex + "\"");
    }
    if (id.isZero()) throw new IllegalArgumentException("trace id is all zeros: \"" + hex + "\"");
    return id;
  }

  /** Reads 16 big-endian bytes (8 are accepted as a 64-bit id). */
  public static TraceId fromBytes(byte[] bytes) {
    if (bytes == null || (bytes.length != 16 && bytes.length != 8)) {
      throw new IllegalArgumentException(
          "trace id must be 8 or 16 bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    if (bytes.length == 8) return new TraceId(0, Bytes.readLong(bytes, 0));
    return new TraceId(Bytes.readLong(bytes, 0), Bytes.readLong(bytes, 8));
  }

  public boolean isZero() {
    return high == 0 && low == 0;
  }

  /** 16 big-endian bytes, the stored form. */
  public byte[] toBytes() {
    byte[] out = new byte[16];
    Bytes.writeLong(out, 0, high);
    Bytes.writeLong(out, 8, low);
    return out;
  }

  /** 32 lower-case hex characters. */
  public String toHex() {
    char[] out = new char[32];
    Hex.write(high, out, 0);
    Hex.write(low, out, 16);
    return new String(out);
  }

  @Override
  public int compareTo(TraceId o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
