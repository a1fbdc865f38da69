package tracestore.storage.codec;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The dictionaries a backend's chunks may reference, loaded through its {@link DictionaryLoader}
 * on first use and kept decoded: a dictionary's id is a hash of its content, so a cached one never
 * goes stale, and a chunk's dictionary lookups are array indexes. One instance per backend;
 * thread-safe. At most {@link #DEFAULT_MAX_CACHED} (or the given bound) dictionaries are kept; past
 * that the oldest loaded is dropped and loaded again when next needed. Two threads missing the same
 * id at once may both load it; both get equal dictionaries.
 */
public final class ChunkDictionaries {
  /** Enough for every dictionary a process writes over weeks at the default rotation policy. */
  public static final int DEFAULT_MAX_CACHED = 64;

  private static final ChunkDictionaries NONE = new ChunkDictionaries(id -> null);

  private final DictionaryLoader loader;
  private final int maxCached;
  private final ConcurrentHashMap<Long, StringDictionary> loaded = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> order = new ConcurrentLinkedQueue<>();

  /** With room for {@link #DEFAULT_MAX_CACHED} decoded dictionaries. */
  public ChunkDictionaries(DictionaryLoader loader) {
    this(loader, DEFAULT_MAX_CACHED);
  }

  /** @param maxCached how many decoded dictionaries to keep, at least 1 */
  public ChunkDictionaries(DictionaryLoader loader, int maxCached) {
    this.loader = Objects.requireNonNull(loader, "loader == null");
    if (maxCached < 1) throw new IllegalArgumentException("maxCached < 1: " + maxCached);
    this.maxCached = maxCached;
  }

  /** For callers without a store: a chunk that references a dictionary fails to decode. */
  public static ChunkDictionaries none() {
    return NONE;
  }

  /**
   * Dictionary {@code id}, decoded; loaded and verified (its bytes must hash to {@code id}) on
   * first use.
   *
   * @throws CorruptChunkException when the backend has no such dictionary, or its stored bytes are
   *     damaged
   * @throws tracestore.storage.StorageException when the loader fails
   */
  public StringDictionary get(long id) {
    StringDictionary d = loaded.get(id);
    if (d != null) return d;
    byte[] payload = loader.load(id);
    if (payload == null) {
      throw new CorruptChunkException(
          "corrupt chunk: it references dictionary " + Long.toHexString(id)
              + ", which the store does not hold");
    }
    d = StringDictionary.decode(id, payload);
    if (loaded.putIfAbsent(id, d) == null) {
      order.add(id);
      while (loaded.size() > maxCached) {
        Long oldest = order.poll();
        if (oldest == null) break;
        loaded.remove(oldest);
      }
    }
    return d;
  }

  /** How many decoded dictionaries are cached now. */
  public int cachedCount() {
    return loaded.size();
  }
}
