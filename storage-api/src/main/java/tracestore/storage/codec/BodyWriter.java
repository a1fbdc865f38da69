package tracestore.storage.codec;

import java.util.Arrays;

/**
 * A growable byte buffer with varint writes, reused across chunks by one {@link ChunkEncoder}. It
 * never grows past {@link ChunkFormat#MAX_UNCOMPRESSED}, and {@link #reset()} drops a buffer that
 * one unusually large chunk grew beyond {@code retainBytes}, so a worker does not pin that memory.
 */
final class BodyWriter {
  private final int initialBytes;
  private final int retainBytes;
  private byte[] buf;
  private int pos;

  BodyWriter(int initialBytes, int retainBytes) {
    this.initialBytes = initialBytes;
    this.retainBytes = retainBytes;
    this.buf = new byte[initialBytes];
  }

  void reset() {
    if (buf.length > retainBytes) buf = new byte[initialBytes];
    pos = 0;
  }

  byte[] array() {
    return buf;
  }

  int length() {
    return pos;
  }

  private void ensure(int more) {
    long need = (long) pos + more;
    if (need <= buf.length) return;
    if (need > ChunkFormat.MAX_UNCOMPRESSED) {
      throw new IllegalArgumentException(
          "chunk body would exceed "
              + ChunkFormat.MAX_UNCOMPRESSED
              + " bytes; split the spans of this trace over several chunks");
    }
    long grown = Math.max(need, (long) buf.length * 2);
    buf = Arrays.copyOf(buf, (int) Math.min(grown, ChunkFormat.MAX_UNCOMPRESSED));
  }

  void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  void writeLongBE(long v) {
    ensure(8);
    ChunkFormat.LONG.set(buf, pos, v);
    pos += 8;
  }

  void writeBytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** Appends the first {@code n} bytes of {@code b}. */
  void writeBytes(byte[] b, int n) {
    writeBytes(b, 0, n);
  }

  /** Appends {@code n} bytes of {@code b} from {@code from}. */
  void writeBytes(byte[] b, int from, int n) {
    ensure(n);
    System.arraycopy(b, from, buf, pos, n);
    pos += n;
  }

  /** Unsigned LEB128 of a non-negative int: 1 to 5 bytes. */
  void writeVarInt(int v) {
    if (buf.length - pos < 5) ensure(5);
    byte[] b = buf;
    int p = pos;
    while ((v & ~0x7F) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    pos = p;
  }

  /** Unsigned LEB128 of a long read as unsigned: 1 to 10 bytes. */
  void writeVarLong(long v) {
    if (buf.length - pos < 10) ensure(10);
    byte[] b = buf;
    int p = pos;
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    pos = p;
  }

  /** Zigzag then LEB128, so small negative numbers stay short. */
  void writeZigZag(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }
}
