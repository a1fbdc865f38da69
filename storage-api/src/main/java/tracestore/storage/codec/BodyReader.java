package tracestore.storage.codec;

/**
 * A bounds-checked cursor over a decompressed chunk body. Every read checks the bytes remaining and
 * throws {@link CorruptChunkException} naming the field and offset; every count is checked against
 * the bytes remaining before the caller allocates anything for it.
 */
final class BodyReader {
  private final byte[] buf;
  private final int limit;
  private int pos;

  BodyReader(byte[] buf, int limit) {
    this(buf, 0, limit);
  }

  /** A cursor over {@code buf[start, limit)}; offsets in errors stay those of the whole body. */
  BodyReader(byte[] buf, int start, int limit) {
    this.buf = buf;
    this.pos = start;
    this.limit = limit;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return limit - pos;
  }

  byte[] array() {
    return buf;
  }

  CorruptChunkException corrupt(String what) {
    return CorruptChunkException.inBody(what, pos);
  }

  private void need(int n, String what) {
    if (limit - pos < n) {
      throw corrupt("truncated " + what + " (needs " + n + " bytes, " + (limit - pos) + " left)");
    }
  }

  int readByte(String what) {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  long readLongBE(String what) {
    need(8, what);
    long v = (long) ChunkFormat.LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  /** A non-negative int varint: at most 5 bytes, value at most {@link Integer#MAX_VALUE}. */
  int readVarInt(String what) {
    int p = pos;
    if (p < limit) {
      int b = buf[p];
      if (b >= 0) { // the common case: one byte
        pos = p + 1;
        return b;
      }
    }
    return readVarIntSlow(what);
  }

  private int readVarIntSlow(String what) {
    int start = pos;
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos >= limit) throw corrupt("truncated varint for " + what);
      int b = buf[pos++];
      result |= (b & 0x7F) << shift;
      if (b >= 0) {
        if (shift == 28 && (b & 0x78) != 0) {
          pos = start;
          throw corrupt("varint for " + what + " exceeds 31 bits");
        }
        return result;
      }
    }
    pos = start;
    throw corrupt("varint for " + what + " is longer than 5 bytes");
  }

  /** An unsigned long varint: at most 10 bytes. */
  long readVarLong(String what) {
    if (limit - pos < 10) return readVarLongSlow(what);
    // Fast path: ten bytes are there, so no per-byte bounds check is needed.
    byte[] b = buf;
    int p = pos;
    long result = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      int x = b[p++];
      result |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        pos = p;
        return result;
      }
    }
    int last = b[p++];
    if (last != 0 && last != 1) return readVarLongSlow(what); // reports the error
    pos = p;
    return result | ((long) last << 63);
  }

  private long readVarLongSlow(String what) {
    int start = pos;
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= limit) throw corrupt("truncated varint for " + what);
      int b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        if (shift == 63 && b > 1) {
          pos = start;
          throw corrupt("varint for " + what + " exceeds 64 bits");
        }
        return result;
      }
    }
    pos = start;
    throw corrupt("varint for " + what + " is longer than 10 bytes");
  }

  long readZigZag(String what) {
    long v = readVarLong(what);
    return (v >>> 1) ^ -(v & 1);
  }

  /**
   * A count of items that each take at least {@code minBytesEach} bytes; rejected when the bytes
   * left cannot hold that many, so a hostile count never drives an allocation.
   */
  int readCount(String what, int minBytesEach) {
    int at = pos;
    int n = readVarInt(what);
    int left = limit - pos;
    if ((long) n * minBytesEach > left) {
      pos = at;
      throw corrupt(
          what + " " + n + " cannot fit in the " + left + " bytes left (at least " + minBytesEach
              + " per item)");
    }
    return n;
  }

  /** Reserves {@code n} bytes and returns their start offset. */
  int skip(int n, String what) {
    need(n, what);
    int at = pos;
    pos += n;
    return at;
  }
}
