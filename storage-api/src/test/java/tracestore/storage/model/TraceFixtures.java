package tracestore.storage.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Small hand-made spans for trace assembly tests. Times are offsets from {@link #T0}, in nanos. */
final class TraceFixtures {
  static final TraceId TRACE = new TraceId(0xabcL, 0xdefL);
  static final long T0 = 1_700_000_000_000_000_000L;

  private TraceFixtures() {}

  /** A span of {@link #TRACE} over [T0 + start, T0 + end). */
  static Span.Builder span(long id, long parent, String service, long start, long end) {
    return Span.newBuilder()
        .traceId(TRACE)
        .spanId(id)
        .parentSpanId(parent)
        .service(service)
        .name("op" + id)
        .startEpochNanos(T0 + start)
        .durationNanos(end - start);
  }

  static Span s(long id, long parent, String service, long start, long end) {
    return span(id, parent, service, start, end).build();
  }

  static List<Span> shuffled(List<Span> spans, long seed) {
    List<Span> copy = new ArrayList<>(spans);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }

  /** The node of the span with this id (the first in trace order when ids are shared). */
  static TraceNode node(Trace trace, long id) {
    for (TraceNode n : trace.nodes()) if (n.span().spanId() == id) return n;
    throw new AssertionError("no span " + id + " in " + trace);
  }

  /** Span ids of the children, in order. */
  static List<Long> childIds(TraceNode node) {
    List<Long> ids = new ArrayList<>();
    for (TraceNode c : node.children()) ids.add(c.span().spanId());
    return ids;
  }

  /** The critical path as "id:start-end" strings, times relative to T0. */
  static List<String> path(Trace trace) {
    List<String> out = new ArrayList<>();
    for (CriticalPathSegment seg : trace.criticalPath()) {
      out.add(
          seg.span().spanId() + ":" + (seg.startEpochNanos() - T0) + "-" + (seg.endEpochNanos() - T0));
    }
    return out;
  }

  /**
   * A random tree of {@code n} spans over a few services: each span picks an earlier span as its
   * parent and an interval that usually (not always) fits inside it, so async children, children
   * that outlive their parent and zero-length spans all occur.
   */
  static List<Span> randomTrace(Random r, int n) {
    String[] services = {"web", "api", "auth", "db", "cache"};
    List<Span> out = new ArrayList<>(n);
    long[] starts = new long[n];
    long[] ends = new long[n];
    starts[0] = 0;
    ends[0] = 1_000 + r.nextInt(100_000);
    out.add(s(1, 0, "web", starts[0], ends[0]));
    for (int i = 1; i < n; i++) {
      int p = r.nextInt(i);
      long ps = starts[p], pe = ends[p];
      long len = pe - ps;
      long start = ps + (len == 0 ? 0 : (long) (r.nextDouble() * len));
      long end;
      switch (r.nextInt(10)) {
        case 0 -> end = start; // zero length
        case 1 -> end = pe + r.nextInt(5_000); // outlives its parent
        default -> end = start + (long) (r.nextDouble() * (pe - start));
      }
      if (r.nextInt(20) == 0) start = Math.max(0, ps - r.nextInt(100)); // starts before parent
      if (end < start) end = start;
      starts[i] = start;
      ends[i] = end;
      out.add(s(i + 1, p + 1, services[r.nextInt(services.length)], start, end));
    }
    return out;
  }
}
