package tracestore.storage.codec;

/**
 * Reads a stored {@link tracestore.storage.ChunkDictionary} payload by id from a backend, for {@link
 * ChunkDictionaries}.
 */
@FunctionalInterface
public interface DictionaryLoader {
  /**
   * Returns the stored payload of dictionary {@code id}, or null when the backend has none.
   *
   * @throws tracestore.storage.StorageException when the backend cannot answer
   */
  byte[] load(long id);
}
