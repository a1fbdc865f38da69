package tracestore.storage;

import java.util.Objects;
import tracestore.storage.model.TraceId;

/**
 * The spans of one trace from one write batch, encoded and LZ4-compressed as one block: written by
 * {@link tracestore.storage.codec.ChunkEncoder}, read by {@link tracestore.storage.codec.ChunkDecoder}
 * (format in {@code storage-api/RATIONALE.md}). It is stored as one row keyed by (traceId, chunkId).
 *
 * @param traceId the trace all its spans belong to
 * @param chunkId a 64-bit hash of the encoded content (body and min start), so a replayed batch
 *     overwrites the same row
 * @param minStartEpochNanos the earliest span start, nanoseconds since the epoch
 * @param maxEndEpochNanos the latest span end, nanoseconds since the epoch
 * @param spanCount number of spans inside
 * @param payload the encoded chunk, header included; never modified after construction
 */
public record Chunk(
    TraceId traceId,
    long chunkId,
    long minStartEpochNanos,
    long maxEndEpochNanos,
    int spanCount,
    byte[] payload) {
  public Chunk {
    Objects.requireNonNull(traceId, "traceId == null");
    Objects.requireNonNull(payload, "payload == null");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c
        && c.traceId.equals(traceId)
        && c.chunkId == chunkId
        && c.minStartEpochNanos == minStartEpochNanos
        && c.maxEndEpochNanos == maxEndEpochNanos
        && c.spanCount == spanCount
        && java.util.Arrays.equals(c.payload, payload);
  }

  @Override
  public int hashCode() {
    return traceId.hashCode() * 31 + Long.hashCode(chunkId);
  }

  @Override
  public String toString() {
    return "Chunk{" + traceId + '/' + Long.toHexString(chunkId) + " spans=" + spanCount
        + " bytes=" + payload.length + '}';
  }
}
