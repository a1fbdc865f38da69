package tracestore.ingest.pipeline;

import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.storage.SpanWriter;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.model.Span;

/**
 * The write pipeline between the receivers and a {@link SpanWriter}.
 *
 * <p>{@link #submit} puts a request's spans on a queue bounded by bytes (refusing with {@link
 * RejectedException} when full). One batcher thread cuts the queue into batches of at most {@code
 * maxBatchSpans} spans or {@code maxBatchBytes} bytes. A partial batch is flushed as soon as the
 * queue is empty and a write slot is free (group commit: no added latency when the store keeps
 * up, bigger batches when it does not), and at the latest {@code flushInterval} after its first
 * span, when it then waits for a slot. Each batch is encoded by the {@link BatchEncoder} and
 * written with at most {@code maxConcurrentWrites} writes in flight; when they are all busy the
 * batcher waits and the queue fills, which is the backpressure. A write failing with a retryable
 * {@link StorageException} is repeated after an exponential, jittered backoff
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
  /** Batches split per request after a permanent failure, written before new work; guarded by lock. */
  private final ArrayDeque<Batch> isolated = new ArrayDeque<>();
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
      metrics.rejected(refusal.reason().name().toLowerCase(Locale.ROOT), spans.size());
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

  /**
   * Queues one batch per request part of {@code b} for the batcher, ahead of new work. Their bytes
   * stay pending: together they are {@code b}'s.
   */
  private void split(Batch b) {
    List<Batch> parts = new ArrayList<>(b.owners.size());
    int at = 0;
    for (int i = 0; i < b.owners.size(); i++) {
      Batch part = new Batch();
      for (int j = 0; j < b.counts.get(i); j++, at++) {
        part.add(b.owners.get(i), b.spans.get(at), SpanSize.estimate(b.spans.get(at)));
      }
      parts.add(part);
    }
    lock.lock();
    try {
      isolated.addAll(parts);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  private Batch pollIsolated() {
    lock.lock();
    try {
      return isolated.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  private boolean hasIsolated() {
    lock.lock();
    try {
      return !isolated.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Frees a write slot and wakes the batcher, which may hold a partial batch for it. */
  private void releasePermit() {
    writePermits.release();
    lock.lock();
    try {
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
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
    } catch (ExecutionException e) {
      LOG.warn("ingest pipeline drain failed", e.getCause());
    } finally {
      batcher.interrupt();
      scheduler.shutdownNow();
    }
  }

  /**
   * Takes the next request, waiting at most {@code waitNanos}; null on timeout, when drained, or
   * when {@code haveBatch} and a write slot is free (group commit: an idle writer takes what there
   * is instead of waiting for the flush interval).
   */
  private Request take(long waitNanos, boolean haveBatch) throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && isolated.isEmpty() && !closed) {
        if (haveBatch && writePermits.availablePermits() > 0) return null;
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
      return closed && queue.isEmpty() && isolated.isEmpty();
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
          Batch retry = pollIsolated();
          if (retry != null) {
            write(retry);
            continue;
          }
          if (current == null) {
            long wait =
                batch.isEmpty() ? TimeUnit.DAYS.toNanos(1) : batch.flushAtNanos - System.nanoTime();
            current = take(wait, !batch.isEmpty());
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
        // Every accepted span is in a write now; wait until all writes have ended. A write that
        // failed meanwhile may have split its batch: then write those parts too.
        writePermits.acquire(config.maxConcurrentWrites());
        boolean more = hasIsolated();
        writePermits.release(config.maxConcurrentWrites());
        if (more) {
          run();
          return;
        }
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
      write(b);
    }

    private void write(Batch b) throws InterruptedException {
      long skipped = b.dropFinished();
      if (skipped > 0) pendingBytes.addAndGet(-skipped);
      if (b.isEmpty()) return;
      writePermits.acquire();
      metrics.batch(b.spans.size(), b.bytes);
      BatchWrite w;
      try {
        w = new BatchWrite(encoder.encode(b.spans), b);
      } catch (RuntimeException e) {
        if (b.owners.size() > 1) {
          split(b); // find the request that cannot be encoded; the others still get written
        } else {
          LOG.warn("cannot encode a batch of {} spans", b.spans.size(), e);
          pendingBytes.addAndGet(-b.bytes);
          b.fail(e, "invalid");
        }
        releasePermit();
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
    releasePermit();
  }

  /** One batch's write, with its retries. Holds one write permit until it ends. */
  private final class BatchWrite {
    final WriteBatch writeBatch;
    final Batch batch;
    int attempts;

    BatchWrite(WriteBatch writeBatch, Batch batch) {
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
                      StorageException.retryable(
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
      volatile ScheduledFuture<?> timer;
      private final AtomicBoolean decided =
          new AtomicBoolean();

      Attempt(long start) {
        this.start = start;
      }

      void done(Throwable error) {
        if (!decided.compareAndSet(false, true)) return;
        ScheduledFuture<?> t = timer;
        if (t != null) t.cancel(false);
        long nanos = System.nanoTime() - start;
        metrics.write(nanos, error == null);
        if (error == null) {
          pendingBytes.addAndGet(-batch.bytes); // before the acks, so an acked caller sees it
          batch.written();
          releasePermit();
          return;
        }
        Throwable cause = unwrap(error);
        if (!batch.anyLive()) {
          // Every request of this batch already has its answer (deadline): nobody waits for it.
          finished(batch);
          return;
        }
        if (isRetryable(cause)) {
          batch.failedAttempt(cause);
          long delay = backoffNanos(attempts);
          if (System.nanoTime() + delay - batch.earliestDeadline() < 0) {
            metrics.retry();
            try {
              scheduler.schedule(BatchWrite.this::attempt, delay, TimeUnit.NANOSECONDS);
              return;
            } catch (RejectedExecutionException shuttingDown) {
              // the pipeline is stopping: leave the answer to the deadline
            }
          }
          // No time left for another try: the deadline timers answer these requests.
          finished(batch);
          return;
        }
        if (batch.owners.size() > 1) {
          // One request may poison a batch shared with others: write each request's part alone.
          LOG.info("a write of {} spans from {} requests failed ({}); writing each request alone",
              batch.spans.size(), batch.owners.size(), cause.toString());
          split(batch);
          releasePermit();
          return;
        }
        LOG.warn("a write of {} spans failed and is not retried", batch.spans.size(), cause);
        pendingBytes.addAndGet(-batch.bytes);
        batch.fail(cause, cause instanceof IllegalArgumentException ? "invalid" : "storage_error");
        releasePermit();
      }
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static boolean isRetryable(Throwable t) {
    return t instanceof StorageException se && se.isRetryable();
  }

  /** Exponential backoff with "equal jitter": half fixed, half random. */
  long backoffNanos(int attempt) {
    long base = config.initialBackoff().toNanos();
    long max = config.maxBackoff().toNanos();
    long exp = attempt >= 30 ? max : Math.min(max, base << Math.min(attempt - 1, 30));
    long half = Math.max(1, exp / 2);
    return half + ThreadLocalRandom.current().nextLong(half);
  }
}
