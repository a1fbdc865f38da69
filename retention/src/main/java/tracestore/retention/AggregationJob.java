package tracestore.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.TraceReader;
import tracestore.storage.codec.ChunkEncoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Aggregates each closed hour bucket once: scans its raw chunks, writes rollups, dependency links
 * and exemplar traces by overwrite, then advances the watermark past it.
 *
 * <ul>
 *   <li>A bucket is due once its end plus the policy's grace lies in the past.
 *   <li>Rows are written by overwrite and the watermark only after all rows of a bucket, so a job
 *       killed halfway and run again ends with the rows of one clean run.
 *   <li>A lease (renewed before every bucket) keeps two jobs against one database from processing
 *       the same bucket; the loser stops at once. After taking the lease the watermark is read
 *       again, so a bucket finished by the previous holder is skipped.
 *   <li>A span belongs to the bucket of its chunk's earliest start (the {@code scanRaw} contract),
 *       so each stored span counts exactly once. A link is counted when parent and child spans are
 *       in chunks of the same bucket.
 * </ul>
 *
 * Thread-safe as long as one run is active per instance; runs are serialised by the caller.
 */
public final class AggregationJob {
  /** The watermark and lease name of this job. */
  public static final String JOB = "aggregate";

  private static final Logger LOG = LoggerFactory.getLogger(AggregationJob.class);

  private final RollupStore store;
  private final TraceReader reader;
  private final RetentionPolicy policy;
  private final String owner;
  private final LongSupplier clockNanos;
  private final Duration leaseTtl;
  private final long maxTrackedSpans;
  private final int exemplarsPerReason;

  private AggregationJob(Builder b) {
    this.store = b.store;
    this.reader = b.reader;
    this.policy = b.policy;
    this.owner = b.owner;
    this.clockNanos = b.clockNanos;
    this.leaseTtl = b.leaseTtl;
    this.maxTrackedSpans = b.maxTrackedSpans;
    this.exemplarsPerReason = b.exemplarsPerReason;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public RetentionPolicy policy() {
    return policy;
  }

  /** The end of the last aggregated bucket, or empty before the first run. Nanoseconds. */
  public OptionalLong watermark() {
    return store.watermark(JOB);
  }

  /** The end of the latest bucket that is due now (closed and past the grace), nanoseconds. */
  public long dueUntil() {
    return Buckets.floor(clockNanos.getAsLong() - policy.grace().toNanos());
  }

  /**
   * Where a first run starts: the oldest bucket raw retention may still hold. Nanoseconds.
   */
  public long initialWatermark() {
    return Buckets.floor(clockNanos.getAsLong() - policy.longestRaw().toNanos());
  }

  /** Aggregates every due bucket after the watermark. */
  public Summary runDue(ProgressListener listener) {
    long from = watermark().orElse(initialWatermark());
    return run(from, dueUntil(), false, true, listener);
  }

  /**
   * Aggregates the buckets overlapping [from, to), nanoseconds, clipped to the due buckets. Buckets
   * at or below the watermark are aggregated again (overwrite). The watermark advances only while
   * the processed buckets continue it without a gap. With {@code dryRun} nothing is written.
   */
  public Summary run(long fromEpochNanos, long toEpochNanos, boolean dryRun,
      ProgressListener listener) {
    return run(Buckets.floor(fromEpochNanos), Math.min(Buckets.ceil(toEpochNanos), dueUntil()),
        dryRun, false, listener);
  }

  private Summary run(long from, long to, boolean dryRun, boolean skipDone,
      ProgressListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    long started = System.nanoTime();
    int total = (int) Math.max(0, (to - from) / Buckets.HOUR_NANOS);
    listener.started(total, from, to);
    Summary.Builder sum = new Summary.Builder(dryRun);
    boolean leased = false;
    try {
      int i = 0;
      for (long bucket = from; bucket < to; bucket += Buckets.HOUR_NANOS, i++) {
        if (!dryRun) {
          if (!store.tryLease(JOB, owner, leaseTtl)) {
            LOG.info("retention: lease {} is held by another scheduler; stopping", JOB);
            sum.leaseLost = true;
            break;
          }
          leased = true;
        }
        OptionalLong wm = store.watermark(JOB);
        if (skipDone && wm.isPresent() && bucket + Buckets.HOUR_NANOS <= wm.getAsLong()) {
          listener.bucketDone(i + 1, total, bucket, 0);
          continue;
        }
        BucketOutput out = aggregate(bucket);
        if (!dryRun) {
          write(out);
          long end = bucket + Buckets.HOUR_NANOS;
          long current = store.watermark(JOB).orElse(from);
          if (current >= bucket && current < end) store.setWatermark(JOB, end);
        }
        sum.add(out);
        listener.bucketDone(i + 1, total, bucket, out.spans);
      }
    } finally {
      if (leased) {
        try {
          store.releaseLease(JOB, owner);
        } catch (RuntimeException e) {
          LOG.warn("retention: releasing lease {} failed; it lapses after {}", JOB, leaseTtl, e);
        }
      }
    }
    Summary s = sum.build(System.nanoTime() - started);
    listener.finished(s);
    return s;
  }

  /** The rollups, links and exemplars of one bucket, computed from raw; nothing is written. */
  BucketOutput aggregate(long bucket) {
    long end = bucket + Buckets.HOUR_NANOS;
    for (int passes = 1; ; passes *= 4) {
      try {
        return aggregate(bucket, end, passes);
      } catch (BucketAggregator.TooManySpans e) {
        if (passes >= 1024) throw new IllegalStateException("bucket " + bucket + ": " + e.getMessage());
        LOG.info("retention: bucket {} has {}; rescanning in {} passes", bucket, e.getMessage(),
            passes * 4);
      }
    }
  }

  private BucketOutput aggregate(long bucket, long end, int passes) {
    BucketAggregator.Result first = null;
    List<DependencyLink> links = new ArrayList<>();
    for (int pass = 0; pass < passes; pass++) {
      BucketAggregator agg =
          new BucketAggregator(bucket, passes, pass, maxTrackedSpans, exemplarsPerReason);
      store.scanRaw(bucket, end, agg::accept);
      BucketAggregator.Result r = agg.finish();
      if (pass == 0) first = r;
      links.addAll(r.links());
    }
    List<DependencyLink> merged = passes == 1 ? links : BucketAggregator.mergeLinks(links);
    return new BucketOutput(first.rollups(), merged, exemplars(bucket, first.candidates()), first.spans());
  }

  private List<Exemplar> exemplars(long bucket, List<BucketAggregator.Candidate> candidates) {
    if (candidates.isEmpty() || reader == null) return List.of();
    Set<TraceId> ids = new LinkedHashSet<>();
    for (BucketAggregator.Candidate c : candidates) ids.add(c.traceId());
    List<TraceId> order = new ArrayList<>(ids);
    List<List<Span>> traces = reader.getTraces(order);
    Map<TraceId, byte[]> payloads = new HashMap<>();
    // Without a dictionary (format 2): an exemplar outlives its raw chunks, and with them the
    // string dictionaries they referenced, so it must decode on its own.
    ChunkEncoder encoder = new ChunkEncoder();
    for (List<Span> trace : traces) {
      if (trace.isEmpty()) continue;
      TraceId id = trace.get(0).traceId();
      payloads.put(id, encoder.encode(id, trace).payload());
    }
    List<Exemplar> out = new ArrayList<>(candidates.size());
    for (BucketAggregator.Candidate c : candidates) {
      byte[] payload = payloads.get(c.traceId());
      if (payload == null) continue; // deleted between scan and read
      out.add(new Exemplar(c.service(), c.operation(), bucket, c.traceId(),
          c.reason(), c.durationNanos(), payload));
    }
    return out;
  }

  private void write(BucketOutput out) {
    if (!out.rollups.isEmpty()) join(store.writeRollups(out.rollups));
    if (!out.links.isEmpty()) join(store.writeLinks(out.links));
    if (!out.exemplars.isEmpty()) join(store.writeExemplars(out.exemplars));
  }

  private static void join(CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw e;
    }
  }

  /** What one bucket produced. */
  record BucketOutput(List<Rollup> rollups, List<DependencyLink> links, List<Exemplar> exemplars,
      long spans) {}

  /** Not thread-safe. */
  public static final class Builder {
    private RollupStore store;
    private TraceReader reader;
    private RetentionPolicy policy = RetentionPolicy.defaults();
    private String owner;
    private LongSupplier clockNanos = () -> System.currentTimeMillis() * 1_000_000L;
    private Duration leaseTtl = Duration.ofMinutes(10);
    private long maxTrackedSpans = 2_000_000;
    private int exemplarsPerReason = 3;

    private Builder() {}

    public Builder store(RollupStore store) {
      this.store = store;
      return this;
    }

    /** Reads exemplar traces whole; without it no exemplars are written. */
    public Builder reader(TraceReader reader) {
      this.reader = reader;
      return this;
    }

    public Builder policy(RetentionPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** Who holds the lease: unique per scheduler (host and process). */
    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    /** Wall clock in nanoseconds since the epoch; tests set it. */
    public Builder clockNanos(LongSupplier clockNanos) {
      this.clockNanos = clockNanos;
      return this;
    }

    /** How long a lease lasts without renewal; longer than the slowest bucket. */
    public Builder leaseTtl(Duration leaseTtl) {
      this.leaseTtl = leaseTtl;
      return this;
    }

    /**
     * The most spans grouped by trace in memory at once (about 40 bytes each); a bigger bucket is
     * rescanned in several passes.
     */
    public Builder maxTrackedSpans(long maxTrackedSpans) {
      this.maxTrackedSpans = maxTrackedSpans;
      return this;
    }

    /** Error traces and slowest traces kept per (service, operation, hour); 0 keeps none. */
    public Builder exemplarsPerReason(int exemplarsPerReason) {
      this.exemplarsPerReason = exemplarsPerReason;
      return this;
    }

    /** @throws IllegalArgumentException naming a missing or invalid setting */
    public AggregationJob build() {
      if (store == null) throw new IllegalArgumentException("store is not set");
      if (owner == null || owner.isEmpty()) throw new IllegalArgumentException("owner is not set");
      if (policy == null) throw new IllegalArgumentException("policy is not set");
      if (clockNanos == null) throw new IllegalArgumentException("clockNanos is not set");
      if (leaseTtl == null || leaseTtl.isNegative() || leaseTtl.isZero()) {
        throw new IllegalArgumentException("leaseTtl must be positive, got " + leaseTtl);
      }
      if (maxTrackedSpans < 1) {
        throw new IllegalArgumentException("maxTrackedSpans must be >= 1, got " + maxTrackedSpans);
      }
      if (exemplarsPerReason < 0) {
        throw new IllegalArgumentException("exemplarsPerReason must be >= 0, got " + exemplarsPerReason);
      }
      return new AggregationJob(this);
    }
  }
}
