package tracestore.storage.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHash64;
import tracestore.storage.ChunkDictionary;

/**
 * A decoded string dictionary: the strings a format-3 chunk may name by index instead of storing
 * them (see {@link ChunkDictionary} for its life cycle, {@code storage-api/RATIONALE.md} for the
 * stored format). Immutable and thread-safe.
 *
 * <p>Stored form: a 22-byte header, then one LZ4 block of the strings, each as a varint of the UTF-8
 * bytes it shares with the previous string, a varint of the bytes that follow, and those bytes.
 * The id is the XXHash64 of the whole payload (1 if that hash is 0), so it names the bytes exactly
 * and a reader can verify that the row it loaded is the dictionary it asked for.
 */
public final class StringDictionary {
  /** "TSDC": tracestore dictionary. */
  static final int MAGIC = 0x54534443;

  static final int VERSION = 1;
  static final int OFF_VERSION = 4;
  static final int OFF_FLAGS = 5;
  static final int OFF_COUNT = 6;
  static final int OFF_UNCOMPRESSED = 10;
  static final int OFF_COMPRESSED = 14;
  static final int OFF_CHECKSUM = 18;
  static final int HEADER_LENGTH = 22;

  /** At most this many strings; a chunk's string-table entry names one in at most 3 bytes. */
  public static final int MAX_STRINGS = 65_536;
  /** No string longer than this (UTF-8 bytes) is stored in a dictionary. */
  public static final int MAX_STRING_BYTES = 4_096;
  /** The largest uncompressed block, and the most string bytes a dictionary may expand to. */
  public static final int MAX_BYTES = 4 << 20;

  private static final int CHECKSUM_SEED = 0x7C0D1C70;
  private static final long ID_SEED = 0x7C0D1C7L;
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final XXHash32 HASH32 = ChunkFormat.hash32();
  private static final XXHash64 HASH64 = ChunkFormat.hash64();

  private final long id;
  private final byte[] payload;
  private final String[] strings;
  private final ChunkDictionary stored;
  /** Built on first use: decoders never need it, only the encoder that writes with it. */
  private volatile HashMap<String, Integer> index;

  private StringDictionary(long id, byte[] payload, String[] strings) {
    this.id = id;
    this.payload = payload;
    this.strings = strings;
    this.stored = new ChunkDictionary(id, payload);
  }

  /**
   * A dictionary of {@code strings}, in that order (index 0 first). Put the most used strings
   * first: a chunk names the first {@link #SHORT_ENTRIES} in two bytes, the others in three.
   *
   * @throws IllegalArgumentException when a string repeats, is longer than {@value
   *     #MAX_STRING_BYTES} UTF-8 bytes or is not well-formed UTF-16, or when the list is empty or
   *     exceeds {@value #MAX_STRINGS} strings or {@value #MAX_BYTES} bytes
   */
  public static StringDictionary of(List<String> strings) {
    Objects.requireNonNull(strings, "strings == null");
    if (strings.isEmpty()) throw new IllegalArgumentException("a dictionary needs at least one string");
    if (strings.size() > MAX_STRINGS) {
      throw new IllegalArgumentException(
          strings.size() + " strings; a dictionary holds at most " + MAX_STRINGS);
    }
    HashSet<String> seen = new HashSet<>();
    BodyWriter w = new BodyWriter(16 << 10, Integer.MAX_VALUE);
    byte[] previous = new byte[0];
    for (String s : strings) {
      Objects.requireNonNull(s, "dictionary string == null");
      if (!seen.add(s)) throw new IllegalArgumentException("dictionary string repeats: " + s);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > MAX_STRING_BYTES) {
        throw new IllegalArgumentException(
            "dictionary string of " + utf8.length + " bytes; at most " + MAX_STRING_BYTES);
      }
      if (!new String(utf8, StandardCharsets.UTF_8).equals(s)) {
        throw new IllegalArgumentException("dictionary string is not well-formed UTF-16: " + s);
      }
      int shared = Arrays.mismatch(previous, utf8);
      if (shared < 0) shared = utf8.length;
      shared = Math.min(shared, Math.min(previous.length, utf8.length));
      w.writeVarInt(shared);
      w.writeVarInt(utf8.length - shared);
      w.writeBytes(utf8, shared, utf8.length - shared);
      previous = utf8;
      if (w.length() > MAX_BYTES) {
        throw new IllegalArgumentException("dictionary exceeds " + MAX_BYTES + " bytes");
      }
    }
    LZ4Compressor lz4 = ChunkFormat.compressor();
    int len = w.length();
    byte[] out = new byte[HEADER_LENGTH + lz4.maxCompressedLength(len)];
    int clen = lz4.compress(w.array(), 0, len, out, HEADER_LENGTH, out.length - HEADER_LENGTH);
    INT.set(out, 0, MAGIC);
    out[OFF_VERSION] = VERSION;
    out[OFF_FLAGS] = 0;
    INT.set(out, OFF_COUNT, strings.size());
    INT.set(out, OFF_UNCOMPRESSED, len);
    INT.set(out, OFF_COMPRESSED, clen);
    byte[] payload = Arrays.copyOf(out, HEADER_LENGTH + clen);
    INT.set(payload, OFF_CHECKSUM, checksum(payload, clen));
    return new StringDictionary(idOf(payload), payload, strings.toArray(new String[0]));
  }

  /**
   * How many entries a chunk names in two bytes: entry varints below 2^14 hold indexes below 4,096,
   * and the well-known strings come first.
   */
  public static final int SHORT_ENTRIES = 4_096 - WellKnownStrings.TABLE.length;

  /**
   * True for the strings every chunk names without a dictionary ({@code WellKnownStrings}): a
   * dictionary holding one would waste an entry.
   */
  public static boolean isWellKnown(String s) {
    return WellKnownStrings.indexOf(s) >= 0;
  }

  /** The id a payload is stored under: its XXHash64, never 0. */
  public static long idOf(byte[] payload) {
    long h = HASH64.hash(payload, 0, payload.length, ID_SEED);
    return h == 0 ? 1 : h;
  }

  /**
   * Decodes a stored dictionary, treating its bytes as untrusted: the same checks as a chunk's
   * (lengths against the payload and caps before allocating, checksum before decompressing, safe
   * LZ4 only, counts against the bytes left).
   *
   * @param id the id the payload was stored under; it must be the payload's hash
   * @throws CorruptChunkException naming the problem, when the payload is damaged or is not {@code id}
   */
  public static StringDictionary decode(long id, byte[] payload) {
    Objects.requireNonNull(payload, "payload == null");
    String name = "corrupt dictionary " + Long.toHexString(id) + ": ";
    int length = payload.length;
    if (length < HEADER_LENGTH) {
      throw new CorruptChunkException(name + "truncated: " + length + " bytes, the header alone needs "
          + HEADER_LENGTH);
    }
    long actualId = idOf(payload);
    if (actualId != id) {
      throw new CorruptChunkException(
          name + "the stored bytes hash to " + Long.toHexString(actualId) + " (wrong row or damaged)");
    }
    int magic = (int) INT.get(payload, 0);
    if (magic != MAGIC) {
      throw new CorruptChunkException(name + "bad magic 0x" + Integer.toHexString(magic));
    }
    if (payload[OFF_VERSION] != VERSION) {
      throw new CorruptChunkException(
          name + "unsupported dictionary version " + (payload[OFF_VERSION] & 0xFF) + " (this reader reads "
              + VERSION + ")");
    }
    if (payload[OFF_FLAGS] != 0) {
      throw new CorruptChunkException(
          name + "unknown flags 0x" + Integer.toHexString(payload[OFF_FLAGS] & 0xFF));
    }
    int compressed = (int) INT.get(payload, OFF_COMPRESSED);
    if (compressed != length - HEADER_LENGTH) {
      throw new CorruptChunkException(name + "declared compressed length " + compressed + " but "
          + (length - HEADER_LENGTH) + " bytes follow the header");
    }
    int uncompressed = (int) INT.get(payload, OFF_UNCOMPRESSED);
    if (uncompressed < 2 || uncompressed > MAX_BYTES
        || uncompressed > (long) compressed * ChunkFormat.LZ4_MAX_RATIO) {
      throw new CorruptChunkException(name + "declared uncompressed length " + uncompressed
          + " is outside [2, " + MAX_BYTES + "] or more than LZ4 can expand " + compressed
          + " bytes to");
    }
    int count = (int) INT.get(payload, OFF_COUNT);
    // Every string takes at least its two length varints.
    if (count < 1 || count > MAX_STRINGS || count > uncompressed / 2) {
      throw new CorruptChunkException(
          name + "string count " + count + " is impossible for a block of " + uncompressed + " bytes");
    }
    int stored = (int) INT.get(payload, OFF_CHECKSUM);
    int actual = checksum(payload, compressed);
    if (stored != actual) {
      throw new CorruptChunkException(name + "checksum mismatch: stored 0x"
          + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(actual));
    }
    byte[] block = new byte[uncompressed];
    try {
      int n = ChunkFormat.safeDecompressor()
          .decompress(payload, HEADER_LENGTH, compressed, block, 0, uncompressed);
      if (n != uncompressed) {
        throw new CorruptChunkException(
            name + "the block decompresses to " + n + " bytes, the header says " + uncompressed);
      }
    } catch (LZ4Exception e) {
      throw new CorruptChunkException(name + "the LZ4 block does not decompress (" + e.getMessage() + ")", e);
    }
    try {
      return new StringDictionary(id, payload, readStrings(block, count));
    } catch (CorruptChunkException e) {
      throw new CorruptChunkException(name + e.getMessage().replaceFirst("^corrupt chunk: ", ""), e);
    }
  }

  private static String[] readStrings(byte[] block, int count) {
    BodyReader r = new BodyReader(block, block.length);
    String[] strings = new String[count];
    byte[] previous = new byte[64];
    int previousLength = 0;
    long expanded = 0;
    for (int i = 0; i < count; i++) {
      int at = r.position();
      int shared = r.readVarInt("shared prefix length");
      int suffix = r.readVarInt("string length");
      if (shared > previousLength) {
        throw CorruptChunkException.inBody("shared prefix of " + shared + " bytes, but the previous string has "
            + previousLength, at);
      }
      if (suffix > r.remaining() || shared + suffix > MAX_STRING_BYTES) {
        throw CorruptChunkException.inBody("string of " + shared + " + " + suffix
            + " bytes: longer than " + MAX_STRING_BYTES + " or than the bytes left", at);
      }
      int length = shared + suffix;
      expanded += length;
      if (expanded > MAX_BYTES) {
        throw CorruptChunkException.inBody("strings expand to more than " + MAX_BYTES + " bytes", at);
      }
      int from = r.skip(suffix, "string");
      if (previous.length < length) previous = Arrays.copyOf(previous, Math.max(length, previous.length * 2));
      System.arraycopy(block, from, previous, shared, suffix);
      previousLength = length;
      strings[i] = new String(previous, 0, length, StandardCharsets.UTF_8);
    }
    if (r.remaining() != 0) throw r.corrupt(r.remaining() + " trailing bytes after the strings");
    return strings;
  }

  private static int checksum(byte[] payload, int compressed) {
    int headerHash = HASH32.hash(payload, 0, OFF_CHECKSUM, CHECKSUM_SEED);
    return HASH32.hash(payload, HEADER_LENGTH, compressed, headerHash);
  }

  /** The id chunks name this dictionary by: the payload's hash, never 0. */
  public long id() {
    return id;
  }

  public int size() {
    return strings.length;
  }

  /** String {@code i}, 0 &lt;= i &lt; {@link #size()}. */
  public String get(int i) {
    return strings[i];
  }

  /** The stored payload's length, bytes. */
  public int payloadBytes() {
    return payload.length;
  }

  /** What a {@link tracestore.storage.WriteBatch} carries so that backends store it. */
  public ChunkDictionary stored() {
    return stored;
  }

  /** The index of {@code s}, or -1. */
  public int indexOf(String s) {
    HashMap<String, Integer> m = index;
    if (m == null) {
      m = new HashMap<>(strings.length * 2);
      for (int i = 0; i < strings.length; i++) m.putIfAbsent(strings[i], i);
      index = m;
    }
    Integer i = m.get(s);
    return i == null ? -1 : i;
  }

  /** For the body decoder: the strings themselves, never modified. */
  String[] strings() {
    return strings;
  }

  @Override
  public String toString() {
    return "StringDictionary{" + Long.toHexString(id) + ", " + strings.length + " strings, "
        + payload.length + " bytes}";
  }
}
