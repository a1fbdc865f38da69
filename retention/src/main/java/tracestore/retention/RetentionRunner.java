package tracestore.retention;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.storage.RollupStore;

/**
 * Runs the aggregation job periodically on its own single daemon thread, then deletes raw data
 * past raw retention, but only below the watermark: a bucket not yet aggregated is never deleted.
 *
 * <p>Lag is how far the watermark trails the wall clock. It is published by {@link #lagNanos()}
 * (for a gauge) and logged as a warning once it passes {@code lagWarnFraction} of the raw
 * retention, because a backend that expires raw data by TTL (Cassandra) would then drop spans
 * before they are aggregated.
 */
public final class RetentionRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionRunner.class);

  /** Warn when lag exceeds this share of raw retention. */
  public static final double LAG_WARN_FRACTION = 0.8;

  private final AggregationJob job;
  private final RollupStore store;
  private final LongSupplier clockNanos;
  private final AtomicLong lagNanos = new AtomicLong(-1);
  private final AtomicLong lastDeleted = new AtomicLong();
  private ScheduledExecutorService scheduler;

  public RetentionRunner(AggregationJob job, RollupStore store, LongSupplier clockNanos) {
    this.job = Objects.requireNonNull(job, "job == null");
    this.store = Objects.requireNonNull(store, "store == null");
    this.clockNanos = Objects.requireNonNull(clockNanos, "clockNanos == null");
  }

  /** Starts running every {@code period}, the first run after {@code initialDelay}. */
  public synchronized void start(Duration initialDelay, Duration period) {
    if (scheduler != null) throw new IllegalStateException("already started");
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tracestore-retention");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::safeRunOnce, initialDelay.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void safeRunOnce() {
    try {
      runOnce(ProgressListener.NONE);
    } catch (RuntimeException e) {
      LOG.warn("retention: run failed; retrying next period", e);
    }
  }

  /** One aggregation run, then the raw deletion it allows. */
  public Summary runOnce(ProgressListener listener) {
    Summary s = job.runDue(listener);
    if (!s.leaseLost()) {
      deleteRaw();
      deleteAggregates();
    }
    updateLag();
    if (s.buckets() > 0) LOG.info("retention: {}", s);
    return s;
  }

  /**
   * Deletes raw data older than raw retention and at or below the watermark. Returns what the
   * backend reports removed; 0 before the first aggregation.
   */
  public long deleteRaw() {
    OptionalLong wm = job.watermark();
    if (wm.isEmpty()) return 0;
    long cutoff = Math.min(wm.getAsLong(),
        Buckets.floor(clockNanos.getAsLong() - job.policy().longestRaw().toNanos()));
    long n = store.deleteRawBefore(cutoff);
    lastDeleted.set(n);
    if (n > 0) LOG.info("retention: deleted {} raw buckets or rows before {}", n, cutoff);
    return n;
  }

  /**
   * Deletes rollups, links and exemplars past their retention (the longest of the policy's
   * services). Returns the rows removed.
   */
  public long deleteAggregates() {
    long now = clockNanos.getAsLong();
    RetentionPolicy p = job.policy();
    long n = store.deleteRollupsBefore(Buckets.floor(now - p.longestRollups().toNanos()));
    n += store.deleteExemplarsBefore(Buckets.floor(now - p.longestExemplars().toNanos()));
    if (n > 0) LOG.info("retention: deleted {} rollup, link and exemplar rows past retention", n);
    return n;
  }

  /** Nanoseconds the watermark trails now, or -1 before the first run. */
  public long lagNanos() {
    return lagNanos.get();
  }

  private void updateLag() {
    OptionalLong wm = job.watermark();
    if (wm.isEmpty()) return;
    long lag = Math.max(0, clockNanos.getAsLong() - wm.getAsLong());
    lagNanos.set(lag);
    long raw = job.policy().longestRaw().toNanos();
    if (lag > raw * LAG_WARN_FRACTION) {
      LOG.warn("retention: aggregation lags {} behind, close to the raw retention of {}; where raw"
          + " data expires by TTL (Cassandra) spans would expire unaggregated",
          Duration.ofNanos(lag), Duration.ofNanos(raw));
    }
  }

  /** True when the lag passed {@link #LAG_WARN_FRACTION} of raw retention. */
  public boolean lagNearRawRetention() {
    long lag = lagNanos.get();
    return lag > job.policy().longestRaw().toNanos() * LAG_WARN_FRACTION;
  }

  @Override
  public synchronized void close() {
    if (scheduler == null) return;
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("retention: the running job did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler = null;
  }
}
