package tracestore.storage.codec;

import static tracestore.storage.codec.ChunkFormat.*;

import java.util.List;
import java.util.Objects;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Decodes stored chunks written by {@link ChunkEncoder}. Stateless and thread-safe.
 *
 * <p>Stored bytes are treated as untrusted. Every check runs before the allocation it guards: the
 * header's lengths are checked against the payload's real length, against a 64 MiB cap and against
 * LZ4's largest possible expansion (255:1); the checksum is verified before decompressing, with
 * LZ4's safe decompressor only; every count in the body is checked against the bytes left. A
 * failure is a {@link CorruptChunkException} naming the problem and its offset. Decoding time is
 * linear in the payload size.
 */
public final class ChunkDecoder {
  private static final LZ4SafeDecompressor LZ4 = ChunkFormat.safeDecompressor();
  private static final XXHash32 HASH32 = ChunkFormat.hash32();
  private static final String[] NO_STRINGS = new String[0];

  private ChunkDecoder() {}

  /**
   * Reads and verifies the header, including the checksum over the header and the compressed block,
   * without decompressing. Cost: one hash pass over the payload.
   *
   * @throws CorruptChunkException when the framing is wrong or the checksum does not match
   */
  public static ChunkHeader readHeader(byte[] payload) {
    Objects.requireNonNull(payload, "payload == null");
    int length = payload.length;
    if (length < HEADER_LENGTH) {
      throw CorruptChunkException.inPayload(
          "truncated: " + length + " bytes, the header alone needs " + HEADER_LENGTH, length);
    }
    int magic = (int) INT.get(payload, OFF_MAGIC);
    if (magic != MAGIC) {
      throw CorruptChunkException.inPayload(
          "bad magic 0x" + Integer.toHexString(magic) + " (expected 0x" + Integer.toHexString(MAGIC)
              + ")", OFF_MAGIC);
    }
    int version = payload[OFF_VERSION] & 0xFF;
    if (version != VERSION && version != VERSION_1 && version != VERSION_3) {
      throw CorruptChunkException.inPayload(
          "unsupported format version " + version + " (this decoder reads " + VERSION_1 + " to "
              + VERSION_3 + ")",
          OFF_VERSION);
    }
    int headerLength = ChunkFormat.headerLength(version);
    if (length < headerLength) {
      throw CorruptChunkException.inPayload(
          "truncated: " + length + " bytes, the format-" + version + " header alone needs "
              + headerLength, length);
    }
    if (payload[OFF_FLAGS] != 0) {
      throw CorruptChunkException.inPayload(
          "unknown header flags 0x" + Integer.toHexString(payload[OFF_FLAGS] & 0xFF), OFF_FLAGS);
    }
    int compressed = (int) INT.get(payload, OFF_COMPRESSED);
    if (compressed != length - headerLength) {
      throw CorruptChunkException.inPayload(
          "declared compressed length " + compressed + " but " + (length - headerLength)
              + " bytes follow the header (truncated or padded)", OFF_COMPRESSED);
    }
    int uncompressed = (int) INT.get(payload, OFF_UNCOMPRESSED);
    if (uncompressed < 1 || uncompressed > MAX_UNCOMPRESSED) {
      throw CorruptChunkException.inPayload(
          "declared uncompressed length " + uncompressed + " is outside [1, " + MAX_UNCOMPRESSED
              + "]", OFF_UNCOMPRESSED);
    }
    if (uncompressed > (long) compressed * LZ4_MAX_RATIO) {
      throw CorruptChunkException.inPayload(
          "declared uncompressed length " + uncompressed + " is more than LZ4 can expand "
              + compressed + " compressed bytes to", OFF_UNCOMPRESSED);
    }
    int spanCount = (int) INT.get(payload, OFF_SPAN_COUNT);
    if (spanCount < 1 || spanCount > uncompressed / MIN_SPAN_BYTES) {
      throw CorruptChunkException.inPayload(
          "span count " + spanCount + " is impossible for a body of " + uncompressed + " bytes",
          OFF_SPAN_COUNT);
    }
    long minStart = (long) LONG.get(payload, OFF_MIN_START);
    if (minStart < 0) {
      throw CorruptChunkException.inPayload("negative min start " + minStart, OFF_MIN_START);
    }
    long maxEnd = (long) LONG.get(payload, OFF_MAX_END);
    if (maxEnd < minStart) {
      throw CorruptChunkException.inPayload(
          "max end " + maxEnd + " is before min start " + minStart, OFF_MAX_END);
    }
    int checksumAt = headerLength - 4;
    int stored = (int) INT.get(payload, checksumAt);
    int actual = ChunkFormat.checksum(HASH32, payload, version, compressed);
    if (stored != actual) {
      throw CorruptChunkException.inPayload(
          "checksum mismatch: stored 0x" + Integer.toHexString(stored) + ", computed 0x"
              + Integer.toHexString(actual), checksumAt);
    }
    long dictionary = version == VERSION_3 ? (long) LONG.get(payload, OFF_DICTIONARY) : 0;
    return new ChunkHeader(
        version, spanCount, minStart, maxEnd, uncompressed, compressed, stored, dictionary);
  }

  /**
   * Decodes every span of the chunk, in the encoder's canonical order (start time, then span id).
   *
   * @throws CorruptChunkException when the payload is damaged, hostile or inconsistent
   */
  public static List<Span> decode(byte[] payload) {
    return decode(payload, null);
  }

  /**
   * Like {@link #decode(byte[])}, and also checks that the chunk belongs to {@code expected}, the
   * trace id of the row it was read from: a chunk filed under the wrong key is corrupt data, not
   * spans of the requested trace.
   *
   * @param expected the trace id the caller asked for, or null to accept any
   * @throws CorruptChunkException when the payload is damaged, hostile, inconsistent, or holds
   *     another trace
   */
  public static List<Span> decode(byte[] payload, TraceId expected) {
    return decode(payload, expected, ChunkDictionaries.none());
  }

  /**
   * Like {@link #decode(byte[], TraceId)}, resolving the strings of a chunk that references a
   * {@link tracestore.storage.ChunkDictionary} (format 3) through {@code dictionaries}, which loads
   * it from the store on first use and keeps it decoded. Every read path of a store that accepts
   * batches with dictionaries must use this method.
   *
   * @throws CorruptChunkException when the payload is damaged, hostile, inconsistent, holds another
   *     trace, or references a dictionary {@code dictionaries} does not hold
   * @throws tracestore.storage.StorageException when loading a dictionary fails
   */
  public static List<Span> decode(byte[] payload, TraceId expected, ChunkDictionaries dictionaries) {
    Objects.requireNonNull(dictionaries, "dictionaries == null");
    ChunkHeader header = readHeader(payload);
    // Resolved before decompressing: a chunk whose dictionary is missing fails without the work.
    String[] dictionary =
        header.dictionaryId() == 0 ? NO_STRINGS : dictionaries.get(header.dictionaryId()).strings();
    int at = header.headerLength();
    byte[] body = new byte[header.uncompressedLength()];
    int n;
    try {
      n = LZ4.decompress(payload, at, header.compressedLength(), body, 0, body.length);
    } catch (LZ4Exception e) {
      throw new CorruptChunkException(
          "corrupt chunk: the LZ4 block does not decompress to " + body.length + " bytes ("
              + e.getMessage() + ") at payload offset " + at, e);
    }
    if (n != body.length) {
      throw CorruptChunkException.inPayload(
          "the LZ4 block decompresses to " + n + " bytes, the header says " + body.length, at);
    }
    return header.formatVersion() == VERSION_1
        ? new BodyDecoderV1(body, header, expected).decode()
        : new BodyDecoder(body, header, expected, dictionary).decode();
  }
}
