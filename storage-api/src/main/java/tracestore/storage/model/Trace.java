package tracestore.storage.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The spans of one trace assembled into a tree, with where its time went. Immutable; build it with
 * {@link #of(List)}.
 *
 * <p>Assembly, in order (the rules are written out in {@code docs/model.md}):
 *
 * <ol>
 *   <li>copies of one span (same span id, service and kind) are merged ({@link TraceNode.Flag#MERGED});
 *   <li>the spans are linked into a tree: shared Zipkin spans, orphans, extra roots and cycles are
 *       repaired and flagged (see {@link TraceNode.Flag});
 *   <li>each span's self time, the critical path, and each service's share are computed.
 * </ol>
 *
 * <p>Trace order, used for {@link #spans()}, {@link #nodes()} and every node's children: start time,
 * then span id (unsigned), then kind, then service (the first keys of the order in which readers
 * return spans). It does not depend on the input order.
 *
 * <p>Cost: O(n log n) time and O(n) memory for n spans; no recursion, so a chain of any depth is
 * fine.
 */
public final class Trace {
  private static final Comparator<Span> TRACE_ORDER =
      (a, b) -> {
        int c = Long.compare(a.startEpochNanos(), b.startEpochNanos());
        if (c != 0) return c;
        c = Long.compareUnsigned(a.spanId(), b.spanId());
        if (c != 0) return c;
        c = Integer.compare(a.kind().ordinal(), b.kind().ordinal());
        return c != 0 ? c : a.service().compareTo(b.service());
      };

  private final TraceId traceId;
  private final TraceNode root;
  private final List<TraceNode> nodes;
  private final List<Span> spans;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final List<String> services;
  private final int depth;
  private final int errorCount;
  private final int orphanCount;
  private final List<CriticalPathSegment> criticalPath;
  private final List<ServiceShare> serviceShares;
  private final TraceNode bottleneckSpan;

  /**
   * Assembles the spans of one trace, in any order, duplicates included.
   *
   * @throws IllegalArgumentException when {@code spans} is empty, holds a null, or mixes trace ids
   */
  public static Trace of(List<Span> spans) {
    Objects.requireNonNull(spans, "spans == null");
    if (spans.isEmpty()) throw new IllegalArgumentException("a trace needs at least one span");
    Span[] input = spans.toArray(new Span[0]);
    TraceId traceId = null;
    for (int i = 0; i < input.length; i++) {
      if (input[i] == null) throw new IllegalArgumentException("spans[" + i + "] == null");
      if (traceId == null) {
        traceId = input[i].traceId();
      } else if (!traceId.equals(input[i].traceId())) {
        throw new IllegalArgumentException(
            "spans of several traces: " + traceId + " and " + input[i].traceId() + " at spans[" + i + "]");
      }
    }
    return new Trace(traceId, SpanMerger.dedupe(input));
  }

  private Trace(TraceId traceId, SpanMerger.Result merged) {
    this.traceId = traceId;
    int n = merged.spans().length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Span[] ms = merged.spans();
    Arrays.sort(order, (a, b) -> TRACE_ORDER.compare(ms[a], ms[b]));

    TraceNode[] nodeArray = new TraceNode[n];
    Span[] spanArray = new Span[n];
    long start = Long.MAX_VALUE, end = Long.MIN_VALUE;
    int errors = 0;
    TreeSet<String> serviceNames = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      Span s = ms[order[i]];
      spanArray[i] = s;
      nodeArray[i] = new TraceNode(s, i, merged.copies()[order[i]]);
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      if (s.isError()) errors++;
      serviceNames.add(s.service());
    }
    this.nodes = Collections.unmodifiableList(Arrays.asList(nodeArray));
    this.spans = Collections.unmodifiableList(Arrays.asList(spanArray));
    this.startEpochNanos = start;
    this.endEpochNanos = end;
    this.errorCount = errors;
    this.services = List.copyOf(serviceNames);

    this.root = TreeBuilder.link(nodeArray);
    int maxDepth = 0, orphans = 0;
    for (TraceNode node : nodeArray) {
      maxDepth = Math.max(maxDepth, node.depth);
      if (node.isOrphan()) orphans++;
    }
    this.depth = maxDepth + 1;
    this.orphanCount = orphans;

    TimeAnalysis.selfTimes(nodeArray);
    this.criticalPath = Collections.unmodifiableList(TimeAnalysis.criticalPath(root));
    this.serviceShares = shares(nodeArray, end - start);
    TraceNode worst = root;
    for (TraceNode node : nodeArray) {
      if (node.criticalPathNanos > worst.criticalPathNanos) worst = node;
    }
    this.bottleneckSpan = worst;
  }

  private static List<ServiceShare> shares(TraceNode[] nodes, long traceNanos) {
    HashMap<String, long[]> sums = new HashMap<>(); // {spans, critical, self}
    for (TraceNode node : nodes) {
      long[] sum = sums.computeIfAbsent(node.span().service(), k -> new long[3]);
      sum[0]++;
      sum[1] += node.criticalPathNanos;
      sum[2] += node.selfTimeNanos;
    }
    List<ServiceShare> out = new ArrayList<>(sums.size());
    sums.forEach(
        (service, sum) ->
            out.add(
                new ServiceShare(
                    service,
                    (int) sum[0],
                    sum[1],
                    fraction(sum[1], traceNanos),
                    sum[2],
                    fraction(sum[2], traceNanos))));
    out.sort(
        Comparator.comparingLong(ServiceShare::criticalPathNanos)
            .reversed()
            .thenComparing(Comparator.comparingLong(ServiceShare::selfTimeNanos).reversed())
            .thenComparing(ServiceShare::service));
    return List.copyOf(out);
  }

  private static double fraction(long nanos, long total) {
    return total == 0 ? 0 : (double) nanos / total;
  }

  public TraceId traceId() {
    return traceId;
  }

  /**
   * The root: the earliest span without a parent; when every parent is missing, the earliest span
   * whose parent is missing (flagged {@link TraceNode.Flag#ORPHAN}).
   */
  public TraceNode root() {
    return root;
  }

  /** Every node, in trace order. */
  public List<TraceNode> nodes() {
    return nodes;
  }

  /** The spans after duplicates are merged, in trace order. */
  public List<Span> spans() {
    return spans;
  }

  /** Spans after duplicates are merged. */
  public int spanCount() {
    return spans.size();
  }

  /** The earliest start of any span, nanoseconds since the epoch. */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** The latest end of any span, nanoseconds since the epoch. */
  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** Latest end minus earliest start, in nanoseconds; may exceed the root's duration. */
  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  /** Distinct service names, sorted. */
  public List<String> services() {
    return services;
  }

  /** Levels in the tree: 1 for a lone root. */
  public int depth() {
    return depth;
  }

  /** Spans with status ERROR or an {@code error} tag ({@link Span#isError()}). */
  public int errorCount() {
    return errorCount;
  }

  /** Spans whose parent was not received, the root included when it is one. */
  public int orphanCount() {
    return orphanCount;
  }

  /**
   * The segments, in time order, that determine the end-to-end latency; they cover the root's
   * interval without gaps or overlap. See {@code docs/model.md} for the walk.
   */
  public List<CriticalPathSegment> criticalPath() {
    return criticalPath;
  }

  /** Each service's share of the time, the biggest critical-path share first. */
  public List<ServiceShare> serviceShares() {
    return serviceShares;
  }

  /** The service with the most critical-path time (ties: more self time, then by name). */
  public ServiceShare bottleneckService() {
    return serviceShares.get(0);
  }

  /** The span with the most critical-path time (ties: the earliest in trace order, root first). */
  public TraceNode bottleneckSpan() {
    return bottleneckSpan;
  }

  @Override
  public String toString() {
    return "Trace{"
        + traceId
        + " spans="
        + spans.size()
        + " services="
        + services.size()
        + " durationNanos="
        + durationNanos()
        + " root="
        + root.span()
        + '}';
  }
}
