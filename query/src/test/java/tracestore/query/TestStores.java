package tracestore.query;

import java.util.List;
import tracestore.storage.IndexPolicy;
import tracestore.storage.TraceReader;
import tracestore.storage.WriteBatches;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.model.Span;

/** storage-api's in-memory reference store, loaded through the real write path (chunks + index). */
final class TestStores {
  private TestStores() {}

  static TraceReader readerWith(List<Span> spans) {
    InMemoryStorage storage = new InMemoryStorage();
    storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(spans)).toCompletableFuture().join();
    return storage.reader();
  }
}
