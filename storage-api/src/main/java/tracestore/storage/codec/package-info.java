/**
 * The stored chunk format: {@link tracestore.storage.codec.ChunkEncoder} turns the spans of one trace
 * into a versioned, checksummed, LZ4-compressed {@link tracestore.storage.Chunk}, and {@link
 * tracestore.storage.codec.ChunkDecoder} reads it back, failing fast with {@link
 * tracestore.storage.codec.CorruptChunkException} on damaged or hostile bytes. The byte layout and the
 * reasons behind it are in {@code storage-api/RATIONALE.md}.
 */
package tracestore.storage.codec;
