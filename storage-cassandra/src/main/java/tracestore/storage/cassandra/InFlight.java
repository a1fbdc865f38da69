package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tracestore.storage.OverCapacityException;

/**
 * Bounds the statements in flight for the whole storage with a semaphore of {@code maxInFlight}
 * permits.
 *
 * <p>A write takes a window of {@code min(statements, window)} permits and keeps at most that many of
 * its statements in flight, sending the next as each completes. When the permits are not there, the
 * write waits for them off the caller's thread (retrying every millisecond on a scheduler) for at
 * most {@code acquireTimeout}, then fails with {@link OverCapacityException}; at most {@code
 * maxWaiting} writes wait at once, beyond that the write fails at once. So memory and the node's
 * queue stay bounded, and ingest learns of overload as a retryable 429/503.
 *
 * <p>A driver callback only counts the acknowledgement and sends the write's next statement (both
 * non-blocking); when the write's last statement is acknowledged it hands the completion to {@code
 * executor} (ours, bounded), so continuations never run or block on the driver's I/O threads.
 */
final class InFlight {
  private final CqlSession session;
  private final Semaphore permits;
  private final int maxInFlight;
  private final int window;
  private final long acquireTimeoutNanos;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Executor executor;
  private final ScheduledExecutorService scheduler;

  InFlight(
      CqlSession session,
      int maxInFlight,
      int window,
      Duration acquireTimeout,
      int maxWaiting,
      Executor executor,
      ScheduledExecutorService scheduler) {
    this.session = session;
    this.permits = new Semaphore(maxInFlight);
    this.maxInFlight = maxInFlight;
    this.window = Math.min(window, maxInFlight);
    this.acquireTimeoutNanos = acquireTimeout.toNanos();
    this.maxWaiting = maxWaiting;
    this.executor = executor;
    this.scheduler = scheduler;
  }

  /** Statements in flight now, for metrics and tests. */
  int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  /**
   * Executes every statement; the future completes when all are acknowledged, or exceptionally with
   * the first failure once the statements already sent have finished.
   */
  CompletableFuture<Void> executeAll(List<? extends Statement<?>> statements, String what) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (statements.isEmpty()) {
      done.complete(null);
      return done;
    }
    int want = Math.min(statements.size(), window);
    if (permits.tryAcquire(want)) {
      new Run(statements, want, done, what).start();
    } else if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      done.completeExceptionally(overCapacity(what));
    } else {
      long deadline = System.nanoTime() + acquireTimeoutNanos;
      try {
        scheduler.schedule(() -> retryAcquire(statements, want, done, what, deadline), 1, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        waiting.decrementAndGet();
        done.completeExceptionally(Failures.map(e, what));
      }
    }
    return done;
  }

  private void retryAcquire(
      List<? extends Statement<?>> statements, int want, CompletableFuture<Void> done, String what, long deadline) {
    if (permits.tryAcquire(want)) {
      waiting.decrementAndGet();
      new Run(statements, want, done, what).start();
    } else if (System.nanoTime() - deadline >= 0) {
      waiting.decrementAndGet();
      done.completeExceptionally(overCapacity(what));
    } else {
      try {
        scheduler.schedule(() -> retryAcquire(statements, want, done, what, deadline), 1, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        waiting.decrementAndGet();
        done.completeExceptionally(Failures.map(e, what));
      }
    }
  }

  private OverCapacityException overCapacity(String what) {
    return new OverCapacityException(
        what + ": " + maxInFlight + " Cassandra requests already in flight and " + waiting.get()
            + " writes waiting for more than " + TimeUnit.NANOSECONDS.toMillis(acquireTimeoutNanos)
            + " ms; retry later",
        null);
  }

  /** One write's statements, sent through its window of permits. */
  private final class Run {
    private final List<? extends Statement<?>> statements;
    private final int permitsHeld;
    private final CompletableFuture<Void> done;
    private final String what;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger outstanding;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Run(List<? extends Statement<?>> statements, int permitsHeld, CompletableFuture<Void> done, String what) {
      this.statements = statements;
      this.permitsHeld = permitsHeld;
      this.done = done;
      this.what = what;
      this.outstanding = new AtomicInteger(statements.size());
    }

    void start() {
      for (int i = 0; i < permitsHeld; i++) sendNext();
    }

    private void sendNext() {
      int size = statements.size();
      if (failure.get() != null) {
        // stop sending: whatever no one has taken yet is never sent, accounted for exactly once
        int from = next.getAndSet(size);
        if (from < size && outstanding.addAndGet(from - size) == 0) handOffFinish();
        return;
      }
      int i = next.getAndIncrement();
      if (i >= size) return;
      try {
        session.executeAsync(statements.get(i)).whenComplete((rs, err) -> completed(err));
      } catch (RuntimeException e) { // a closed session may throw instead of failing the stage
        completed(e);
      }
    }

    /**
     * Runs on the driver's I/O thread: only counting and sending the next statement (non-blocking),
     * so a write costs no thread hand-off per statement. Completing the stage is handed off.
     */
    private void completed(Throwable err) {
      if (err != null) failure.compareAndSet(null, err);
      if (outstanding.decrementAndGet() == 0) {
        handOffFinish();
      } else {
        sendNext();
      }
    }

    /** Once per write: the stage's continuations (index flushes, the caller's) run on our executor. */
    private void handOffFinish() {
      try {
        executor.execute(this::finish);
      } catch (RejectedExecutionException e) {
        finish(); // our pool is shutting down: finish here, it is quick and never blocks
      }
    }

    private void finish() {
      permits.release(permitsHeld);
      Throwable err = failure.get();
      if (err == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(Failures.map(err, what));
      }
    }
  }
}
