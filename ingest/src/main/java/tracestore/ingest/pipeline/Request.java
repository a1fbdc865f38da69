package tracestore.ingest.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import tracestore.storage.model.Span;

/**
 * One submitted request: its spans, its single outcome, and how many of its spans are not yet
 * durable. Its spans may be split over several batches; the outcome completes normally only when
 * the last of them is written, and exceptionally at the first failure or at the deadline.
 */
final class Request {
  final List<Span> spans;
  final long bytes;
  final long deadlineNanos;
  final CompletableFuture<Void> result = new CompletableFuture<>();
  private final AtomicInteger unwritten;
  private final AtomicBoolean decided = new AtomicBoolean();
  private final IngestMetrics metrics;
  private volatile ScheduledFuture<?> deadlineTimer;
  private volatile Throwable lastFailure;

  Request(List<Span> spans, long bytes, long deadlineNanos, IngestMetrics metrics) {
    this.spans = spans;
    this.bytes = bytes;
    this.deadlineNanos = deadlineNanos;
    this.unwritten = new AtomicInteger(spans.size());
    this.metrics = metrics;
  }

  void deadlineTimer(ScheduledFuture<?> timer) {
    deadlineTimer = timer;
    if (decided.get()) timer.cancel(false);
  }

  boolean isDone() {
    return decided.get();
  }

  /** {@code count} more spans of this request are durable. */
  void written(int count) {
    if (unwritten.addAndGet(-count) == 0 && decided.compareAndSet(false, true)) {
      // Count before completing, so whoever sees the outcome also sees the metric.
      metrics.accepted(spans.size());
      cancelTimer();
      result.complete(null);
    }
  }

  /** Remembers a retryable failure, reported if the deadline passes. */
  void failedAttempt(Throwable t) {
    lastFailure = t;
  }

  void fail(Throwable t, String reason) {
    if (decided.compareAndSet(false, true)) {
      metrics.rejected(reason, spans.size());
      cancelTimer();
      result.completeExceptionally(t);
    }
  }

  void deadlineExceeded(long deadlineMillis) {
    Throwable last = lastFailure;
    fail(
        new DeadlineExceededException(
            spans.size() + " spans were not all stored within " + deadlineMillis + " ms"
                + (last == null ? "" : "; last storage error: " + last.getMessage()),
            last),
        "deadline");
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = deadlineTimer;
    if (t != null) t.cancel(false);
  }
}
