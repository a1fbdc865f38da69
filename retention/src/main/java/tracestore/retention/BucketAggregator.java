package tracestore.retention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * Folds the chunks of one hour bucket, as {@code scanRaw} delivers them, into rollups, dependency
 * links and exemplar candidates. Not thread-safe; one instance per bucket and pass.
 *
 * <p>Links need a child's parent, which may sit in another chunk of the same trace, so the spans
 * of a trace are grouped by trace id until the bucket ends. Only four small fields per span are
 * kept, and at most {@code maxTrackedSpans} of them: past that {@link TooManySpans} is thrown and
 * the caller rescans the bucket in {@code passes} partitions of trace ids (hash modulo passes),
 * each pass keeping only its own traces. Rollups and exemplar candidates need no grouping and are
 * computed in pass 0 only.
 */
final class BucketAggregator {
  /** Thrown when the bucket holds more spans than may be grouped in memory at once. */
  static final class TooManySpans extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooManySpans(long limit) {
      super("more than " + limit + " spans to group by trace", null, false, false);
    }
  }

  record Candidate(String service, String operation, TraceId traceId, Exemplar.Reason reason,
      long durationNanos) {}

  record Result(List<Rollup> rollups, List<DependencyLink> links, List<Candidate> candidates,
      long spans) {}

  private record RollupKey(String service, String operation, SpanKind kind) {}

  private record LinkKey(String parent, String child) {}

  private record OperationKey(String service, String operation) {}

  private static final class RollupAcc {
    long count;
    long errors;
    final Histogram histogram = LatencySketch.newHistogram();
  }

  /** The few fields of a trace's spans that links need, in growable parallel arrays. */
  private static final class TraceSpans {
    long[] spanIds = new long[4];
    long[] parentIds = new long[4];
    String[] services = new String[4];
    boolean[] errors = new boolean[4];
    int size;

    void add(Span s) {
      if (size == spanIds.length) {
        int n = size * 2;
        spanIds = Arrays.copyOf(spanIds, n);
        parentIds = Arrays.copyOf(parentIds, n);
        services = Arrays.copyOf(services, n);
        errors = Arrays.copyOf(errors, n);
      }
      spanIds[size] = s.spanId();
      parentIds[size] = s.parentSpanId();
      services[size] = s.service();
      errors[size] = s.isError();
      size++;
    }
  }

  private final long bucketStart;
  private final int passes;
  private final int pass;
  private final long maxTrackedSpans;
  private final int exemplarsPerReason;
  private final boolean links;
  private final Map<RollupKey, RollupAcc> rollups = new HashMap<>();
  private final Map<TraceId, TraceSpans> traces = new HashMap<>();
  private final Map<OperationKey, TopTraces> slow = new HashMap<>();
  private final Map<OperationKey, TopTraces> errors = new HashMap<>();
  private long tracked;
  private long spans;

  BucketAggregator(long bucketStart, int passes, int pass, long maxTrackedSpans,
      int exemplarsPerReason) {
    this(bucketStart, passes, pass, maxTrackedSpans, exemplarsPerReason, true);
  }

  /** With {@code links} false, no spans are grouped by trace and no links are computed. */
  BucketAggregator(long bucketStart, int passes, int pass, long maxTrackedSpans,
      int exemplarsPerReason, boolean links) {
    this.links = links;
    this.bucketStart = bucketStart;
    this.passes = passes;
    this.pass = pass;
    this.maxTrackedSpans = maxTrackedSpans;
    this.exemplarsPerReason = exemplarsPerReason;
  }

  static boolean inPass(TraceId id, int passes, int pass) {
    if (passes == 1) return true;
    long h = (id.high() ^ id.low()) * 0x9E3779B97F4A7C15L;
    return Math.floorMod(h >>> 17, (long) passes) == pass;
  }

  void accept(List<Span> chunk) {
    for (Span s : chunk) {
      spans++;
      if (pass == 0) {
        RollupAcc acc = rollups.computeIfAbsent(
            new RollupKey(s.service(), s.name(), s.kind()), k -> new RollupAcc());
        acc.count++;
        if (s.isError()) acc.errors++;
        LatencySketch.record(acc.histogram, s.durationNanos());
        if (exemplarsPerReason > 0) {
          OperationKey op = new OperationKey(s.service(), s.name());
          slow.computeIfAbsent(op, k -> new TopTraces(exemplarsPerReason))
              .offer(s.traceId(), s.durationNanos());
          if (s.isError()) {
            errors.computeIfAbsent(op, k -> new TopTraces(exemplarsPerReason))
                .offer(s.traceId(), s.durationNanos());
          }
        }
      }
      if (!links || !inPass(s.traceId(), passes, pass)) continue;
      if (++tracked > maxTrackedSpans) throw new TooManySpans(maxTrackedSpans);
      traces.computeIfAbsent(s.traceId(), k -> new TraceSpans()).add(s);
    }
  }

  Result finish() {
    List<Rollup> outRollups = new ArrayList<>(rollups.size());
    for (Map.Entry<RollupKey, RollupAcc> e : rollups.entrySet()) {
      RollupKey k = e.getKey();
      RollupAcc a = e.getValue();
      outRollups.add(new Rollup(k.service(), k.operation(), k.kind(), bucketStart, a.count,
          a.errors, LatencySketch.encode(a.histogram)));
    }
    outRollups.sort(Comparator.comparing(Rollup::service).thenComparing(Rollup::operation)
        .thenComparing(Rollup::kind));

    Map<LinkKey, long[]> links = new TreeMap<>(
        Comparator.comparing(LinkKey::parent).thenComparing(LinkKey::child));
    Map<Long, String> serviceOf = new HashMap<>();
    for (TraceSpans t : traces.values()) {
      serviceOf.clear();
      for (int i = 0; i < t.size; i++) serviceOf.putIfAbsent(t.spanIds[i], t.services[i]);
      for (int i = 0; i < t.size; i++) {
        if (t.parentIds[i] == 0) continue;
        String parent = serviceOf.get(t.parentIds[i]);
        if (parent == null || parent.equals(t.services[i])) continue;
        long[] calls = links.computeIfAbsent(new LinkKey(parent, t.services[i]), k -> new long[2]);
        calls[0]++;
        if (t.errors[i]) calls[1]++;
      }
    }
    List<DependencyLink> outLinks = new ArrayList<>(links.size());
    links.forEach((k, v) -> outLinks.add(
        new DependencyLink(k.parent(), k.child(), bucketStart, v[0], v[1])));

    List<Candidate> candidates = new ArrayList<>();
    addCandidates(errors, Exemplar.Reason.ERROR, candidates);
    addCandidates(slow, Exemplar.Reason.SLOW, candidates);
    return new Result(outRollups, outLinks, candidates, spans);
  }

  private static void addCandidates(Map<OperationKey, TopTraces> tops, Exemplar.Reason reason,
      List<Candidate> out) {
    List<OperationKey> keys = new ArrayList<>(tops.keySet());
    keys.sort(Comparator.comparing(OperationKey::service).thenComparing(OperationKey::operation));
    for (OperationKey k : keys) {
      for (TopTraces.Entry e : tops.get(k).sorted()) {
        out.add(new Candidate(k.service(), k.operation(), e.traceId(), reason, e.durationNanos()));
      }
    }
  }

  /** Merges link counts of the same (parent, child) from several passes. */
  static List<DependencyLink> mergeLinks(List<DependencyLink> links) {
    Map<LinkKey, long[]> merged = new TreeMap<>(
        Comparator.comparing(LinkKey::parent).thenComparing(LinkKey::child));
    long bucket = 0;
    for (DependencyLink l : links) {
      bucket = l.bucketStartEpochNanos();
      long[] v = merged.computeIfAbsent(new LinkKey(l.parent(), l.child()), k -> new long[2]);
      v[0] += l.calls();
      v[1] += l.errors();
    }
    List<DependencyLink> out = new ArrayList<>(merged.size());
    long b = bucket;
    merged.forEach((k, v) -> out.add(new DependencyLink(k.parent(), k.child(), b, v[0], v[1])));
    return out;
  }
}
