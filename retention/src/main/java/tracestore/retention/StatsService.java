package tracestore.retention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.model.SpanKind;

/**
 * Answers stats and the dependency graph over a range from rollups and links, merging latency
 * sketches. Hours after the aggregation watermark are computed from raw spans on the fly, so recent
 * traffic shows at once; hours at or below it come from rollups alone, so they keep answering
 * after their raw spans are deleted.
 *
 * <p>Ranges are widened to whole hours: [floor(from), ceil(to)). Rates divide by that widened
 * length. Thread-safe.
 */
public final class StatsService {
  private final RollupStore store;
  private final long maxTrackedSpans;

  public StatsService(RollupStore store) {
    this(store, 2_000_000);
  }

  StatsService(RollupStore store, long maxTrackedSpans) {
    this.store = Objects.requireNonNull(store, "store == null");
    this.maxTrackedSpans = maxTrackedSpans;
  }

  /** Per (operation, kind) stats of {@code service}, sorted by operation then kind. */
  public List<OperationStats> operations(String service, long fromEpochNanos, long toEpochNanos) {
    requireService(service);
    Map<String, Acc> byOp = new TreeMap<>();
    for (Rollup r : rollups(service, fromEpochNanos, toEpochNanos)) {
      byOp.computeIfAbsent(r.operation() + '\u0000' + r.kind().ordinal(),
          k -> new Acc(r.service(), r.operation(), r.kind())).add(r);
    }
    double seconds = seconds(fromEpochNanos, toEpochNanos);
    List<OperationStats> out = new ArrayList<>(byOp.size());
    for (Acc a : byOp.values()) out.add(a.stats(seconds));
    return out;
  }

  /** Stats of {@code service} over all its operations. */
  public OperationStats service(String service, long fromEpochNanos, long toEpochNanos) {
    requireService(service);
    Acc acc = new Acc(service, "", null);
    for (Rollup r : rollups(service, fromEpochNanos, toEpochNanos)) acc.add(r);
    return acc.stats(seconds(fromEpochNanos, toEpochNanos));
  }

  /**
   * Calls between services over the range, summed per (parent, child), sorted; each link's bucket
   * is the range's first hour.
   */
  public List<DependencyLink> dependencies(long fromEpochNanos, long toEpochNanos) {
    long from = Buckets.floor(fromEpochNanos);
    long to = Buckets.ceil(toEpochNanos);
    long split = split(from, to);
    List<DependencyLink> all = new ArrayList<>(store.readLinks(from, split));
    for (long b = split; b < to; b += Buckets.HOUR_NANOS) all.addAll(fromRaw(b, true).links());
    List<DependencyLink> merged = BucketAggregator.mergeLinks(all);
    List<DependencyLink> out = new ArrayList<>(merged.size());
    for (DependencyLink l : merged) {
      out.add(new DependencyLink(l.parent(), l.child(), from, l.calls(), l.errors()));
    }
    return out;
  }

  /** Exemplars of a service (any when empty) over the range; they are only in aggregated hours. */
  public List<Exemplar> exemplars(String service, long fromEpochNanos, long toEpochNanos) {
    return store.readExemplars(service, Buckets.floor(fromEpochNanos), Buckets.ceil(toEpochNanos));
  }

  /** Rollups over the range: stored below the watermark, computed from raw above it. */
  List<Rollup> rollups(String service, long fromEpochNanos, long toEpochNanos) {
    long from = Buckets.floor(fromEpochNanos);
    long to = Buckets.ceil(toEpochNanos);
    long split = split(from, to);
    List<Rollup> out = new ArrayList<>(store.readRollups(service, from, split));
    for (long b = split; b < to; b += Buckets.HOUR_NANOS) {
      for (Rollup r : fromRaw(b, false).rollups()) {
        if (service == null || service.isEmpty() || r.service().equals(service)) out.add(r);
      }
    }
    return out;
  }

  private long split(long from, long to) {
    OptionalLong wm = store.watermark(AggregationJob.JOB);
    return Math.max(from, Math.min(to, wm.orElse(from)));
  }

  private BucketAggregator.Result fromRaw(long bucket, boolean links) {
    for (int passes = 1; ; passes *= 4) {
      try {
        BucketAggregator.Result first = null;
        List<DependencyLink> linkRows = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
          BucketAggregator agg = new BucketAggregator(bucket, passes, pass, maxTrackedSpans, 0, links);
          store.scanRaw(bucket, bucket + Buckets.HOUR_NANOS, agg::accept);
          BucketAggregator.Result r = agg.finish();
          if (pass == 0) first = r;
          linkRows.addAll(r.links());
          if (!links) break; // rollups come from pass 0 alone
        }
        return new BucketAggregator.Result(first.rollups(), BucketAggregator.mergeLinks(linkRows),
            List.of(), first.spans());
      } catch (BucketAggregator.TooManySpans e) {
        if (passes >= 1024) throw new IllegalStateException("bucket " + bucket + ": " + e.getMessage());
      }
    }
  }

  private static double seconds(long from, long to) {
    return (Buckets.ceil(to) - Buckets.floor(from)) / 1e9;
  }

  private static void requireService(String service) {
    if (service == null || service.isEmpty()) throw new IllegalArgumentException("service is empty");
  }

  private static final class Acc {
    final String service;
    final String operation;
    final SpanKind kind;
    final Histogram histogram = LatencySketch.newHistogram();
    long count;
    long errors;

    Acc(String service, String operation, SpanKind kind) {
      this.service = service;
      this.operation = operation;
      this.kind = kind;
    }

    void add(Rollup r) {
      count += r.count();
      errors += r.errorCount();
      histogram.add(LatencySketch.decode(r.latencySketch()));
    }

    OperationStats stats(double seconds) {
      return new OperationStats(service, operation, kind, count, errors,
          seconds == 0 ? 0 : count / seconds, count == 0 ? 0 : (double) errors / count,
          LatencySketch.percentileNanos(histogram, 50), LatencySketch.percentileNanos(histogram, 95),
          LatencySketch.percentileNanos(histogram, 99));
    }
  }

  static final Comparator<Rollup> ORDER = Comparator.comparingLong(Rollup::bucketStartEpochNanos)
      .thenComparing(Rollup::service).thenComparing(Rollup::operation).thenComparing(Rollup::kind);
}
