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
 * Constants of the chunk format, shared by the encoder and the decoders. The encoder writes version
 * 2 (columnar span section); the decoder also reads version 1. The layouts are described in {@code
 * storage-api/RATIONALE.md}; every multi-byte fixed field is big-endian.
 */
final class ChunkFormat {
  private ChunkFormat() {}

  /** "TSCK": tracestore chunk. */
  static final int MAGIC = 0x5453434B;

  /** The version the encoder writes for a chunk without a dictionary. */
  static final int VERSION = 2;

  /** The version the encoder writes for a chunk that names a {@link StringDictionary}. */
  static final int VERSION_3 = 3;

  /** The previous version, row-oriented, still readable. */
  static final int VERSION_1 = 1;

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
  /** Format 3: the dictionary id takes the checksum's place, and the checksum follows it. */
  static final int OFF_DICTIONARY = 34;
  static final int OFF_CHECKSUM_V3 = 42;
  static final int HEADER_LENGTH_V3 = 46;

  static int headerLength(int version) {
    return version == VERSION_3 ? HEADER_LENGTH_V3 : HEADER_LENGTH;
  }

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

  /** Tags at positions 0 to 62 of a layout can be marked as repeated in a span's repeat mask. */
  static final int MAX_REPEAT_BITS = 63;

  /** A format-2 tag layout is at least its tag count. */
  static final int MIN_LAYOUT_BYTES = 1;

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

  // Format 2 string-table entry: a varint whose low 2 bits say what follows.
  /** (UTF-8 length << 2): the bytes follow. */
  static final int S_LITERAL = 0;
  /** (index << 2) | 1: a {@link WellKnownStrings} entry, nothing follows. */
  static final int S_KNOWN = 1;
  /** Exactly 2: a canonical lowercase UUID string, its 16 bytes follow. */
  static final int S_UUID = 2;
  /**
   * (suffix length << 2) | 3, then a varint n >= 3: the first n UTF-8 bytes of the previous entry
   * (which must be a literal or prefixed one) and then the suffix bytes that follow.
   */
  static final int S_PREFIXED = 3;
  static final int S_KIND_BITS = 2;
  static final int S_KIND_MASK = 3;

  /**
   * Format 2 span columns, in body order. Each span's fields are split over them (the span id in
   * one, its start in another...), so that LZ4 sees long runs of alike bytes.
   */
  static final int C_IDS = 0; // span ids, 8 bytes each
  static final int C_PARENTS = 1; // parent references (explicit parent ids inline)
  static final int C_SHAPES = 2; // origins; per span flags, name, service, origin, layout...
  static final int C_STARTS = 3; // start deltas
  static final int C_DURATIONS = 4; // durations
  static final int C_KEYS = 5; // resource tag keys, tag layouts, array structure
  static final int C_STRINGS = 6; // string tag values (string-table references)
  static final int C_NUMBERS = 7; // long (zigzag) and double (8 bytes) tag values
  static final int C_EVENTS = 8; // logs and links, row by row
  static final int COLUMNS = 9;

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

  /**
   * The header checksum: XXHash32 of the compressed block, seeded by the hash of the header bytes
   * before the checksum ([0, 34) in formats 1 and 2, [0, 42) in format 3).
   */
  static int checksum(XXHash32 h, byte[] payload, int version, int compressedLength) {
    int headerLength = headerLength(version);
    int headerHash = h.hash(payload, 0, headerLength - 4, CHECKSUM_SEED);
    return h.hash(payload, headerLength, compressedLength, headerHash);
  }
}
