package tracestore.storage;

import java.util.List;

/**
 * What one write stores: chunks plus their index entries, already deduplicated per trace (see {@code
 * WriteBatches}, which derives a batch from spans). Names (services, operations, tag keys and
 * values, remote services) are implied by the entries; backends write them through a cache.
 *
 * <p>{@code dictionaries} are the string dictionaries the chunks reference (see {@link
 * ChunkDictionary}); backends store them before the chunks, and the write completes only once both
 * are durable.
 */
public record WriteBatch(
    List<Chunk> chunks,
    List<ServiceIndexEntry> serviceEntries,
    List<OperationIndexEntry> operationEntries,
    List<TagIndexEntry> tagEntries,
    List<ChunkDictionary> dictionaries) {
  public WriteBatch {
    dictionaries = List.copyOf(dictionaries);
    chunks = List.copyOf(chunks);
    serviceEntries = List.copyOf(serviceEntries);
    operationEntries = List.copyOf(operationEntries);
    tagEntries = List.copyOf(tagEntries);
  }

  /** A batch whose chunks reference no dictionary. */
  public WriteBatch(
      List<Chunk> chunks,
      List<ServiceIndexEntry> serviceEntries,
      List<OperationIndexEntry> operationEntries,
      List<TagIndexEntry> tagEntries) {
    this(chunks, serviceEntries, operationEntries, tagEntries, List.of());
  }

  public int spanCount() {
    int n = 0;
    for (Chunk c : chunks) n += c.spanCount();
    return n;
  }

  public boolean isEmpty() {
    return chunks.isEmpty();
  }
}
