package tracestore.storage;

import java.util.Arrays;

/**
 * A string dictionary that chunks may reference instead of repeating, in every trace, the strings
 * many traces share (pod names, instance ids, SQL, routes, thread names). It is content-addressed:
 * {@code id} is a hash of {@code payload}, so writing the same dictionary twice stores it once.
 *
 * <p>A {@link WriteBatch} carries every dictionary its chunks reference. Backends store each one,
 * keyed by id and never overwritten with other bytes, before any chunk of the same batch, and keep it
 * while chunks may reference it. Readers load it by id (see {@code ChunkDictionaries}).
 *
 * @param id a 64-bit hash of {@code payload}; never 0 (0 means "no dictionary" in a chunk header)
 * @param payload the encoded dictionary (format in {@code storage-api/RATIONALE.md}); never modified
 *     after construction
 */
public record ChunkDictionary(long id, byte[] payload) {
  public ChunkDictionary {
    if (id == 0) throw new IllegalArgumentException("dictionary id 0 is reserved for none");
    if (payload == null || payload.length == 0) {
      throw new IllegalArgumentException("dictionary payload is empty");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkDictionary d && d.id == id && Arrays.equals(d.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "ChunkDictionary{" + Long.toHexString(id) + " bytes=" + payload.length + '}';
  }
}
