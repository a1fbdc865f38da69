package tracestore.ingest.pipeline;

import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.storage.SpanWriter;
import tracestore.storage.model.Span;

/**
 * The write pipeline between the receivers and a {@link SpanWriter}.
 *
 * <p>{@link #submit} puts a request's spans on a queue bounded by bytes (refusing with {@link
 * RejectedException} when full). One batcher thread cuts the queue into batches of at most {@code
 * maxBatchSpans} spans or {@code maxBatchBytes} bytes, flushing a partial batch {@code
 * flushInterval} after its first span. Each batch is encoded by the {@link BatchEncoder} and
 * written with at most {@code maxConcurrentWrites} writes in flight; when they are all busy the
 * batcher waits and the queue fills, which is the backpressure. A write failing with a retryable
 * {@link tracestore.storage.StorageException} is repeated after an exponential, jittered backoff
 * while its requests still have time.
 *
 * <p>The stage {@link #submit} returns completes normally only once every span of that request is
 * durable; exceptionally with {@link DeadlineExceededException} when that did not happen within
 * {@code requestDeadline}, or with the storage's permanent failure. Each request gets exactly one
 * outcome, so nothing is half-acknowledged.
 *
 * <p>Threads: one batcher thread and one scheduler thread (deadlines, retry delays, attempt
 * timeouts), both owned here. Write completions run on the writer's threads and do no blocking
 * work. Thread-safe.
 */
public final class IngestPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  private final SpanWriter writer;
  private final BatchEncoder encoder;
  private final PipelineConfig config;
  private final IngestMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private boolean closed; // guarded by lock

  private final Semaphore writePermits;
  final ScheduledThreadPoolExecutor scheduler;
  private final Thread batcher;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  private IngestPipeline(
      SpanWriter writer, BatchEncoder encoder, PipelineConfig config, IngestMetrics metrics) {
    this.writer = Objects.requireNonNull(writer, "writer == null");
    this.encoder = Objects.requireNonNull(encoder, "encoder == null");
    this.config = Objects.requireNonNull(config, "config == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    this.writePermits = new Semaphore(config.maxConcurrentWrites());
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tracestore-ingest-scheduler");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    Gauge.builder("tracestore.ingest.queue.bytes", pendingBytes, AtomicLong::get)
        .description("Estimated bytes of accepted spans not yet written")
        .baseUnit("bytes")
        .register(metrics.registry());
    Gauge.builder("tracestore.ingest.queue.requests", this, IngestPipeline::queuedRequests)
        .description("Requests waiting for the batcher")
        .register(metrics.registry());
    batcher = new Thread(new Batcher(), "tracestore-ingest-batcher");
    batcher.setDaemon(true);
    batcher.start();
  }

  /** Starts a pipeline; {@link #close()} stops its threads. */
  public static IngestPipeline start(
      SpanWriter writer, BatchEncoder encoder, PipelineConfig config, IngestMetrics metrics) {
    return new IngestPipeline(writer, encoder, config, metrics);
  }

  public PipelineConfig config() {
    return config;
  }

  /**
   * Queues the spans of one request.
   *
   * @param spans the request's valid spans; not modified, and retained until written
   * @return completes when all spans are durable, or exceptionally (see the class doc); refusals
   *     ({@link RejectedException}) are returned as an already failed stage, never thrown
   */
  public CompletionStage<Void> submit(List<Span> spans) {
    if (spans.isEmpty()) return CompletableFuture.completedFuture(null);
    long bytes = SpanSize.estimate(spans);
    long now = System.nanoTime();
    Request r = new Request(spans, bytes, now + config.requestDeadline().toNanos(), metrics);
    RejectedException refusal = null;
    lock.lock();
    try {
      if (closed) {
        refusal = reject(RejectedException.Reason.CLOSED, "ingest is shutting down");
      } else if (bytes > config.maxQueueBytes()) {
        refusal =
            reject(
                RejectedException.Reason.TOO_LARGE,
                "request of about " + bytes + " bytes exceeds the whole queue (maxQueueBytes="
                    + config.maxQueueBytes() + ")");
      } else if (pendingBytes.get() + bytes > config.maxQueueBytes()) {
        refusal =
            reject(
                RejectedException.Reason.QUEUE_FULL,
                "ingest queue is full (" + pendingBytes.get() + " of " + config.maxQueueBytes()
                    + " bytes pending); retry later");
      } else {
        pendingBytes.addAndGet(bytes);
        queue.addLast(r);
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
    if (refusal != null) {
      metrics.rejected(refusal.reason().name().toLowerCase(java.util.Locale.ROOT), spans.size());
      return CompletableFuture.failedFuture(refusal);
    }
    long deadlineMillis = config.requestDeadline().toMillis();
    r.deadlineTimer(
        scheduler.schedule(
            () -> r.deadlineExceeded(deadlineMillis), r.deadlineNanos - now, TimeUnit.NANOSECONDS));
    return r.result.copy();
  }

  private RejectedException reject(RejectedException.Reason reason, String message) {
    return new RejectedException(reason, message, config.retryAfter());
  }

  /** Estimated bytes accepted but not yet written or failed. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  private double queuedRequests() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting (later submits fail with {@code CLOSED}), writes everything already accepted,
   * and completes once every accepted request has its outcome. Idempotent.
   */
  public CompletionStage<Void> closeAsync() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    return closeFuture.copy();
  }

  /**
   * {@link #closeAsync()} and waits for it, at most the request deadline plus one flush interval
   * (by then every accepted request has its outcome); then stops the threads.
   */
  @Override
  public void close() {
    try {
      closeAsync()
          .toCompletableFuture()
          .get(
              config.requestDeadline().plus(config.flushInterval()).plusSeconds(1).toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("ingest pipeline did not drain in time; stopping anyway");
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("ingest pipeline drain failed", e.getCause());
    } finally {
      batcher.interrupt();
      scheduler.shutdownNow();
    }
  }

  /** Takes the next request, waiting at most {@code waitNanos}; null on timeout or when drained. */
  private Request take(long waitNanos) throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        if (waitNanos <= 0) return null;
        waitNanos = notEmpty.awaitNanos(waitNanos);
      }
      return queue.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  private boolean drained() {
    lock.lock();
    try {
      return closed && queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** The single batcher loop. */
  private final class Batcher implements Runnable {
    private Batch batch = new Batch();

    @Override
    public void run() {
      try {
        Request current = null;
        int offset = 0;
        while (true) {
          if (current == null) {
            long wait =
                batch.isEmpty() ? TimeUnit.DAYS.toNanos(1) : batch.flushAtNanos - System.nanoTime();
            current = take(wait);
            offset = 0;
            if (current == null) {
              if (!batch.isEmpty()) flush();
              else if (drained()) break;
              continue;
            }
          }
          while (offset < current.spans.size() && !batch.isFull()) {
            Span s = current.spans.get(offset++);
            batch.add(current, s, SpanSize.estimate(s));
          }
          if (offset == current.spans.size()) current = null;
          if (batch.isFull() || System.nanoTime() - batch.flushAtNanos >= 0) flush();
        }
        // Every accepted span is in a write now; wait until all writes have ended.
        writePermits.acquire(config.maxConcurrentWrites());
        writePermits.release(config.maxConcurrentWrites());
        closeFuture.complete(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeFuture.completeExceptionally(e);
      } catch (RuntimeException | Error e) {
        LOG.error("ingest batcher died", e);
        closeFuture.completeExceptionally(e);
        throw e;
      }
    }

    private void flush() throws InterruptedException {
      Batch b = batch;
      batch = new Batch();
      long skipped = b.dropFinished();
      if (skipped > 0) pendingBytes.addAndGet(-skipped);
      if (b.isEmpty()) return;
      writePermits.acquire();
      metrics.batch(b.spans.size(), b.bytes);
      BatchWrite w;
      try {
        w = new BatchWrite(encoder.encode(b.spans), b);
      } catch (RuntimeException e) {
        LOG.warn("cannot encode a batch of {} spans", b.spans.size(), e);
        pendingBytes.addAndGet(-b.bytes);
        b.fail(e, "invalid");
        writePermits.release();
        return;
      }
      w.attempt();
    }
  }

  /** Spans cut from the queue, with the request each one came from. */
  private final class Batch {
    final ArrayList<Span> spans = new ArrayList<>();
    final ArrayList<Request> owners = new ArrayList<>();
    final ArrayList<Integer> counts = new ArrayList<>();
    long bytes;
    long flushAtNanos;

    boolean isEmpty() {
      return spans.isEmpty();
    }

    boolean isFull() {
      return spans.size() >= config.maxBatchSpans() || bytes >= config.maxBatchBytes();
    }

    void add(Request r, Span s, long size) {
      if (spans.isEmpty()) flushAtNanos = System.nanoTime() + config.flushInterval().toNanos();
      spans.add(s);
      bytes += size;
      int last = owners.size() - 1;
      if (last >= 0 && owners.get(last) == r) {
        counts.set(last, counts.get(last) + 1);
      } else {
        owners.add(r);
        counts.add(1);
      }
    }

    /** Removes spans whose request already has its outcome; returns their bytes. */
    long dropFinished() {
      boolean any = false;
      for (Request r : owners) any |= r.isDone();
      if (!any) return 0;
      Batch kept = new Batch();
      int at = 0;
      for (int i = 0; i < owners.size(); i++) {
        Request r = owners.get(i);
        for (int j = 0; j < counts.get(i); j++, at++) {
          if (!r.isDone()) kept.add(r, spans.get(at), SpanSize.estimate(spans.get(at)));
        }
      }
      long dropped = bytes - kept.bytes;
      spans.clear();
      spans.addAll(kept.spans);
      owners.clear();
      owners.addAll(kept.owners);
      counts.clear();
      counts.addAll(kept.counts);
      bytes = kept.bytes;
      return dropped;
    }

    boolean anyLive() {
      for (Request r : owners) if (!r.isDone()) return true;
      return false;
    }

    long earliestDeadline() {
      long min = Long.MAX_VALUE;
      boolean first = true;
      for (Request r : owners) {
        if (r.isDone()) continue;
        if (first || r.deadlineNanos - min < 0) min = r.deadlineNanos;
        first = false;
      }
      return min;
    }

    void written() {
      for (int i = 0; i < owners.size(); i++) owners.get(i).written(counts.get(i));
    }

    void failedAttempt(Throwable t) {
      for (Request r : owners) r.failedAttempt(t);
    }

    void fail(Throwable t, String reason) {
      for (Request r : owners) r.fail(t, reason);
    }
  }

  private void finished(Batch b) {
    pendingBytes.addAndGet(-b.bytes);
    writePermits.release();
  }

  /** One batch's write, with its retries. Holds one write permit until it ends. */
  private final class BatchWrite {
    final tracestore.storage.WriteBatch writeBatch;
    final Batch batch;
    int attempts;

    BatchWrite(tracestore.storage.WriteBatch writeBatch, Batch batch) {
      this.writeBatch = writeBatch;
      this.batch = batch;
    }

    void attempt() {
      attempts++;
      long start = System.nanoTime();
      Attempt a = new Attempt(start);
      CompletionStage<Void> stage;
      try {
        stage = writer.write(writeBatch);
      } catch (RuntimeException e) {
        a.done(e);
        return;
      }
      long timeout = Math.max(0, batch.earliestDeadline() - start);
      a.timer =
          scheduler.schedule(
              () ->
                  a.done(
                      tracestore.storage.StorageException.retryable(
                          "write did not complete within " + Duration.ofNanos(timeout).toMillis()
                              + " ms",
                          null)),
              timeout,
              TimeUnit.NANOSECONDS);
      stage.whenComplete((v, e) -> a.done(e));
    }

    /** One try; the first of (write result, attempt timeout) decides it. */
    private final class Attempt {
      final long start;
      volatile java.util.concurrent.ScheduledFuture<?> timer;
      private final java.util.concurrent.atomic.AtomicBoolean decided =
          new java.util.concurrent.atomic.AtomicBoolean();

      Attempt(long start) {
        this.start = start;
      }

      void done(Throwable error) {
        if (!decided.compareAndSet(false, true)) return;
        java.util.concurrent.ScheduledFuture<?> t = timer;
        if (t != null) t.cancel(false);
        long nanos = System.nanoTime() - start;
        metrics.write(nanos, error == null);
        if (error == null) {
          pendingBytes.addAndGet(-batch.bytes); // before the acks, so an acked caller sees it
          batch.written();
          writePermits.release();
          return;
        }
        Throwable cause = unwrap(error);
        if (isRetryable(cause) && batch.anyLive()) {
          batch.failedAttempt(cause);
          long delay = backoffNanos(attempts);
          if (System.nanoTime() + delay - batch.earliestDeadline() < 0) {
            metrics.retry();
            try {
              scheduler.schedule(BatchWrite.this::attempt, delay, TimeUnit.NANOSECONDS);
              return;
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
              // fall through: fail below
            }
          }
          // No time left for another try: the deadline timers answer these requests.
          finished(batch);
          return;
        }
        pendingBytes.addAndGet(-batch.bytes);
        batch.fail(cause, cause instanceof IllegalArgumentException ? "invalid" : "storage_error");
        writePermits.release();
      }
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static boolean isRetryable(Throwable t) {
    return t instanceof tracestore.storage.StorageException se && se.isRetryable();
  }

  /** Exponential backoff with "equal jitter": half fixed, half random. */
  long backoffNanos(int attempt) {
    long base = config.initialBackoff().toNanos();
    long max = config.maxBackoff().toNanos();
    long exp = attempt >= 30 ? max : Math.min(max, base << Math.min(attempt - 1, 30));
    long half = Math.max(1, exp / 2);
    return half + java.util.concurrent.ThreadLocalRandom.current().nextLong(half);
  }
}
