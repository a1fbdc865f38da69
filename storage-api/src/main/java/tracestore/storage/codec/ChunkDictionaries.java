package tracestore.storage.codec;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dictionaries a backend's chunks may reference, loaded through its {@link DictionaryLoader}
 * and kept once loaded: a dictionary's id is a hash of its content, so a cached one never goes stale.
 * One instance per backend; thread-safe.
 */
public final class ChunkDictionaries {
  private static final ChunkDictionaries NONE = new ChunkDictionaries(id -> null);

  private final DictionaryLoader loader;
  private final ConcurrentHashMap<Long, byte[]> loaded = new ConcurrentHashMap<>();

  public ChunkDictionaries(DictionaryLoader loader) {
    this.loader = Objects.requireNonNull(loader, "loader == null");
  }

  /** For callers without a store: a chunk that references a dictionary fails to decode. */
  public static ChunkDictionaries none() {
    return NONE;
  }

  /**
   * The stored payload of dictionary {@code id}.
   *
   * @throws CorruptChunkException when the backend has no such dictionary
   */
  byte[] payload(long id) {
    byte[] p = loaded.get(id);
    if (p != null) return p;
    p = loader.load(id);
    if (p == null) {
      throw new CorruptChunkException(
          "corrupt chunk: it references dictionary " + Long.toHexString(id)
              + ", which the store does not hold");
    }
    loaded.putIfAbsent(id, p);
    return p;
  }
}
