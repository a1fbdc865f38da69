package tracestore.ingest.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import tracestore.storage.SpanWriter;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;

/**
 * Wraps a real writer: fails the first {@code failures} writes with the given exception, can hold
 * writes until {@link #open()}, and records the most writes it saw in flight at once.
 */
public final class FlakyWriter implements SpanWriter {
  private final SpanWriter delegate;
  private final AtomicInteger failuresLeft;
  private final StorageException failure;
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();

  public FlakyWriter(SpanWriter delegate, int failures, StorageException failure) {
    this.delegate = delegate;
    this.failuresLeft = new AtomicInteger(failures);
    this.failure = failure;
  }

  public FlakyWriter(SpanWriter delegate) {
    this(delegate, 0, null);
  }

  /** Holds every write until {@link #open()}. */
  public FlakyWriter close() {
    gate = new CompletableFuture<>();
    return this;
  }

  public void open() {
    gate.complete(null);
  }

  @Override
  public CompletionStage<Void> write(WriteBatch batch) {
    calls.incrementAndGet();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    if (failuresLeft.getAndDecrement() > 0) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(failure);
    }
    return gate.thenCompose(v -> delegate.write(batch))
        .whenComplete((v, e) -> inFlight.decrementAndGet());
  }
}
