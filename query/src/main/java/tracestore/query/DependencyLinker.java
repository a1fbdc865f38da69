package tracestore.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TraceHit;
import tracestore.storage.TraceReader;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * Derives service-to-service links from raw traces, one trace at a time. Not thread-safe: one
 * instance per request.
 *
 * <p>A call is counted when:
 *
 * <ul>
 *   <li>a span's parent belongs to another service: parent service -> span service, an error when
 *       the span or its CLIENT/PRODUCER parent is an error;
 *   <li>a CLIENT or PRODUCER span names a remote service but has no child in another service (the
 *       callee is not instrumented): service -> remote service;
 *   <li>a SERVER or CONSUMER span without a parent in the trace names a remote service (the caller
 *       is not instrumented): remote service -> service.
 * </ul>
 */
final class DependencyLinker {
  /** Calls from {@code parent} to {@code child}; {@code errors <= calls}. */
  record Link(String parent, String child, long calls, long errors) {}

  /**
   * Links computed from raw traces.
   *
   * @param tracesLinked how many traces were read
   * @param complete false when the trace bound stopped the walk before the window's end
   */
  record Result(List<Link> links, int tracesLinked, boolean complete) {}

  /** Traces per search page and per {@code getTraces} call. */
  static final int PAGE = 100;

  private final Map<String, Map<String, long[]>> counts = new TreeMap<>();

  /**
   * Pages through the traces with a span starting in [{@code startNanos}, {@code endNanos}],
   * newest first, reading at most {@code maxTraces}, and links them. Until retention's rollups are
   * read by the query API, this is where dependency links come from.
   */
  static Result fromRawTraces(TraceReader reader, long startNanos, long endNanos, int maxTraces) {
    DependencyLinker linker = new DependencyLinker();
    String cursor = null;
    int linked = 0;
    boolean complete;
    while (true) {
      SearchResult page =
          reader.search(
              SearchRequest.newBuilder()
                  .timeRange(startNanos, endNanos)
                  .limit(Math.min(PAGE, maxTraces - linked))
                  .cursor(cursor)
                  .build());
      List<TraceId> ids = new ArrayList<>();
      for (TraceHit h : page.hits()) ids.add(h.traceId());
      for (List<Span> t : reader.getTraces(ids)) linker.putTrace(t);
      linked += ids.size();
      complete = page.complete();
      if (complete || linked >= maxTraces) break;
      cursor = page.nextCursor();
    }
    return new Result(linker.links(), linked, complete);
  }

  void putTrace(List<Span> spans) {
    Map<Long, Span> byId = new HashMap<>();
    Map<Long, List<Span>> children = new HashMap<>();
    for (Span s : spans) {
      byId.putIfAbsent(s.spanId(), s);
      if (s.parentSpanId() != 0) children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
    }
    for (Span s : spans) {
      Span parent = s.parentSpanId() == 0 ? null : byId.get(s.parentSpanId());
      if (parent != null && !parent.service().equals(s.service())) {
        boolean callerError = isOutgoing(parent) && parent.isError();
        add(parent.service(), s.service(), s.isError() || callerError);
      }
      String remote = s.remoteService();
      if (remote.isEmpty() || remote.equals(s.service())) continue;
      if (isOutgoing(s) && !hasChildInOtherService(s, children)) {
        add(s.service(), remote, s.isError());
      } else if (parent == null && (s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER)) {
        add(remote, s.service(), s.isError());
      }
    }
  }

  /** The links, sorted by parent then child. */
  List<Link> links() {
    List<Link> out = new ArrayList<>();
    counts.forEach(
        (parent, byChild) ->
            byChild.forEach((child, c) -> out.add(new Link(parent, child, c[0], c[1]))));
    return out;
  }

  private static boolean isOutgoing(Span s) {
    return s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER;
  }

  private static boolean hasChildInOtherService(Span s, Map<Long, List<Span>> children) {
    for (Span c : children.getOrDefault(s.spanId(), List.of())) {
      if (!c.service().equals(s.service())) return true;
    }
    return false;
  }

  private void add(String parent, String child, boolean error) {
    long[] c = counts.computeIfAbsent(parent, k -> new TreeMap<>()).computeIfAbsent(child, k -> new long[2]);
    c[0]++;
    if (error) c[1]++;
  }
}
