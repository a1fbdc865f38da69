package tracestore.storage.model;

/** Big-endian long access for id bytes. */
final class Bytes {
  private Bytes() {}

  static long readLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[at + i] & 0xffL);
    return v;
  }

  static void writeLong(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }
}
