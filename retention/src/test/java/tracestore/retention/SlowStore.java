package tracestore.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tracestore.storage.RollupStore;
import tracestore.storage.model.Span;

/** Slows every scan so concurrent runs overlap, and records which buckets were scanned. */
final class SlowStore extends DelegatingStore {
  private final List<Long> scanned = new ArrayList<>();

  SlowStore(RollupStore delegate) {
    super(delegate);
  }

  @Override
  public void scanRaw(long from, long to, Consumer<List<Span>> chunkSpans) {
    synchronized (this) {
      scanned.add(from);
    }
    try {
      Thread.sleep(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    super.scanRaw(from, to, chunkSpans);
  }

  synchronized List<Long> scannedBuckets() {
    return new ArrayList<>(scanned);
  }
}
