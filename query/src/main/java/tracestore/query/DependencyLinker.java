package tracestore.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;

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

  private final Map<String, Map<String, long[]>> counts = new TreeMap<>();

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
