package tracestore.storage.codec;

/**
 * The fixed header of a stored chunk, readable without decompressing (see {@link
 * ChunkDecoder#readHeader(byte[])}). A header returned by the decoder has passed the checksum.
 *
 * @param formatVersion the chunk format version (2, or 3 when it names a dictionary; 1 is still read)
 * @param spanCount number of spans in the chunk, at least 1
 * @param minStartEpochNanos the earliest span start, nanoseconds since the epoch
 * @param maxEndEpochNanos the latest span end (start + duration, which the model keeps from
 *     overflowing), nanoseconds since the epoch
 * @param uncompressedLength length of the encoded body before LZ4, bytes
 * @param compressedLength length of the LZ4 block that follows the header, bytes
 * @param checksum XXHash32 over the header fields and the compressed block
 * @param dictionaryId the {@link tracestore.storage.ChunkDictionary} the chunk's strings refer to
 *     (format 3), or 0 for none (formats 1 and 2 never name one)
 */
public record ChunkHeader(
    int formatVersion,
    int spanCount,
    long minStartEpochNanos,
    long maxEndEpochNanos,
    int uncompressedLength,
    int compressedLength,
    int checksum,
    long dictionaryId) {
  /** The bytes before the LZ4 block: 38, or 46 in format 3. */
  public int headerLength() {
    return ChunkFormat.headerLength(formatVersion);
  }
}
