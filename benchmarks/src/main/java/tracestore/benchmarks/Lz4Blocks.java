package tracestore.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** LZ4 for the baselines, framed like our chunks: a 4-byte uncompressed length, then one block. */
final class Lz4Blocks {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4SafeDecompressor DECOMPRESSOR =
      LZ4Factory.fastestInstance().safeDecompressor();

  private Lz4Blocks() {}

  static byte[] compress(byte[] raw) {
    byte[] out = new byte[4 + COMPRESSOR.maxCompressedLength(raw.length)];
    INT.set(out, 0, raw.length);
    int n = COMPRESSOR.compress(raw, 0, raw.length, out, 4, out.length - 4);
    return java.util.Arrays.copyOf(out, 4 + n);
  }

  static byte[] decompress(byte[] framed) {
    int len = (int) INT.get(framed, 0);
    byte[] out = new byte[len];
    DECOMPRESSOR.decompress(framed, 4, framed.length - 4, out, 0, len);
    return out;
  }
}
