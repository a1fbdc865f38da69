package tracestore.storage.cassandra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;

/**
 * Group commit for index entries: the entries of writes that arrive while earlier index rows are
 * still being written are merged, and go out together once a flush slot frees up.
 *
 * <p>Why: the node's cost is mostly per row and per statement, and an index row is one segment per
 * (service, hour) per flush. Merging the entries of several write batches makes each segment hold
 * more traces, so rows and statements per span fall as load rises. Nothing waits on a timer: when a slot is free (always, under
 * light load) a write's entries are flushed at once, so the merge costs no latency when there is
 * nothing to merge.
 *
 * <p>A flush's future completes when all its rows are acknowledged, or with the failure of any;
 * every write whose entries it carried then fails (retryably, as the driver error says). A merged
 * flush holds at most about {@link #MAX_MERGED_SPANS} spans of entries; beyond, another slot opens.
 * Thread-safe.
 */
final class IndexGroupCommit {
  /** Flushes in flight at once in the normal case. */
  static final int SLOTS = 1;

  /** Past this many spans waiting, a flush starts even without a free slot, so waits stay bounded. */
  static final int MAX_MERGED_SPANS = 16_000;

  /** Entries waiting for one flush, and the future of that flush. */
  static final class Pending {
    final List<ServiceIndexEntry> services = new ArrayList<>();
    final List<OperationIndexEntry> operations = new ArrayList<>();
    final List<TagIndexEntry> tags = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    int spans;
    int batches;

    void add(WriteBatch b) {
      services.addAll(b.serviceEntries());
      operations.addAll(b.operationEntries());
      tags.addAll(b.tagEntries());
      spans += b.spanCount();
      batches++;
    }
  }

  private final Function<Pending, CompletableFuture<Void>> flush;
  private Pending waiting;
  private int flushing;

  /** @param flush writes one pending group's rows; its future completes when they are acknowledged */
  IndexGroupCommit(Function<Pending, CompletableFuture<Void>> flush) {
    this.flush = flush;
  }

  /** Adds the batch's index entries; the future completes once the flush carrying them is acknowledged. */
  CompletableFuture<Void> add(WriteBatch batch) {
    Pending start;
    CompletableFuture<Void> done;
    synchronized (this) {
      if (waiting == null) waiting = new Pending();
      waiting.add(batch);
      done = waiting.done;
      start = takeIfStartable();
    }
    if (start != null) run(start);
    return done;
  }

  /** Under the lock: the waiting group, if a flush may start now. */
  private Pending takeIfStartable() {
    if (waiting == null || (flushing >= SLOTS && waiting.spans < MAX_MERGED_SPANS)) return null;
    Pending p = waiting;
    waiting = null;
    flushing++;
    return p;
  }

  private void run(Pending p) {
    CompletableFuture<Void> written;
    try {
      written = flush.apply(p);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete(
        (v, err) -> {
          Pending next;
          synchronized (this) {
            flushing--;
            next = takeIfStartable();
          }
          if (err == null) p.done.complete(null);
          else p.done.completeExceptionally(err);
          if (next != null) run(next);
        });
  }
}
