package tracestore.query;

import java.util.List;
import java.util.TreeSet;
import tracestore.storage.model.Span;

/**
 * A one-line view of a trace for search results.
 *
 * @param startEpochNanos the earliest span start
 * @param durationNanos latest span end minus earliest start
 * @param rootService service of the root span (the earliest span without a parent in the trace)
 * @param rootName its operation name
 * @param services every service in the trace, sorted
 */
record TraceSummary(
    long startEpochNanos,
    long durationNanos,
    String rootService,
    String rootName,
    int spanCount,
    int errorCount,
    List<String> services) {

  static TraceSummary of(List<Span> spans) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    TreeSet<String> services = new TreeSet<>();
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (Span s : spans) ids.add(s.spanId());
    Span root = null;
    for (Span s : spans) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      if (s.isError()) errors++;
      services.add(s.service());
      boolean isRoot = s.parentSpanId() == 0 || !ids.contains(s.parentSpanId());
      if (isRoot && (root == null || rootBefore(s, root))) root = s;
    }
    if (spans.isEmpty()) return new TraceSummary(0, 0, "", "", 0, 0, List.of());
    return new TraceSummary(
        start, end - start, root.service(), root.name(), spans.size(), errors, List.copyOf(services));
  }

  /** True roots first, then the earliest start. */
  private static boolean rootBefore(Span a, Span b) {
    if (a.isRoot() != b.isRoot()) return a.isRoot();
    return a.startEpochNanos() < b.startEpochNanos();
  }
}
