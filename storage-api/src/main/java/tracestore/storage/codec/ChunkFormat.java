package tracestore.storage.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Constants of chunk format version 1, shared by the encoder and the decoder. The layout is described
 * in {@code storage-api/RATIONALE.md}; every multi-byte fixed field is big-endian.
 */
final class ChunkFormat {
  private ChunkFormat() {}

  /** "TSCK": tracestore chunk. */
  static final int MAGIC = 0x5453434B;

  static final int VERSION = 1;

  // Header offsets.
  static final int OFF_MAGIC = 0;
  static final int OFF_VERSION = 4;
  static final int OFF_FLAGS = 5;
  static final int OFF_SPAN_COUNT = 6;
  static final int OFF_MIN_START = 10;
  static final int OFF_MAX_END = 18;
  static final int OFF_UNCOMPRESSED = 26;
  static final int OFF_COMPRESSED = 30;
  static final int OFF_CHECKSUM = 34;
  static final int HEADER_LENGTH = 38;

  /** The largest body we write or accept, bytes. A larger batch must be split by the caller. */
  static final int MAX_UNCOMPRESSED = 64 << 20;

  /** LZ4 cannot expand data by more than this factor, so a larger claim is a lie. */
  static final int LZ4_MAX_RATIO = 255;

  /** The deepest array-in-array nesting of tag values that we write or accept. */
  static final int MAX_ARRAY_DEPTH = 16;

  /**
   * The fewest body bytes one span can take: 8 (span id) + 1 each for parent, flags, name, service,
   * start delta, duration, origin, tag count.
   */
  static final int MIN_SPAN_BYTES = 16;

  /** A tag is at least its key/type varint (booleans have no value bytes). */
  static final int MIN_TAG_BYTES = 1;

  // Tag value types, in the low 3 bits of the tag's key varint (and as the element byte in arrays).
  static final int T_STRING = 0;
  static final int T_LONG = 1;
  static final int T_DOUBLE = 2;
  static final int T_FALSE = 3;
  static final int T_TRUE = 4;
  static final int T_ARRAY = 5;
  static final int TYPE_BITS = 3;
  static final int TYPE_MASK = 7;

  // Span flags varint: kind in bits 0-2, status in bits 3-4, then presence bits.
  static final int F_KIND_MASK = 0x7;
  static final int F_STATUS_SHIFT = 3;
  static final int F_STATUS_MASK = 0x3;
  static final int F_REMOTE_SERVICE = 1 << 5;
  static final int F_STATUS_MESSAGE = 1 << 6;
  static final int F_LOGS = 1 << 7;
  static final int F_LINKS = 1 << 8;
  static final int F_KNOWN = (1 << 9) - 1;

  // Parent reference: 0 = root, 1 = explicit 8-byte id follows, n >= 2 = id of the (n-2)th span.
  static final int P_ROOT = 0;
  static final int P_EXPLICIT = 1;
  static final int P_INDEX_BASE = 2;

  static final int CHECKSUM_SEED = 0x7C0DEC01;
  static final long CHUNK_ID_SEED = 0L;

  static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();
  private static final XXHashFactory XX = XXHashFactory.fastestInstance();

  static LZ4Compressor compressor() {
    return LZ4.fastCompressor();
  }

  /**
   * Only the safe decompressor: it bounds every read and write by the lengths given, which is what
   * untrusted stored bytes need (CVE-2025-12183, CVE-2025-66566 concern the others and old versions).
   */
  static LZ4SafeDecompressor safeDecompressor() {
    return LZ4.safeDecompressor();
  }

  static XXHash32 hash32() {
    return XX.hash32();
  }

  static XXHash64 hash64() {
    return XX.hash64();
  }

  /** The header checksum: XXHash32 of the compressed block, seeded by the hash of header[0, 34). */
  static int checksum(XXHash32 h, byte[] payload, int compressedLength) {
    int headerHash = h.hash(payload, 0, OFF_CHECKSUM, CHECKSUM_SEED);
    return h.hash(payload, HEADER_LENGTH, compressedLength, headerHash);
  }
}
