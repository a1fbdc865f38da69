package tracestore.query;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tracestore.storage.model.CriticalPathSegment;
import tracestore.storage.model.ServiceShare;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.Trace;
import tracestore.storage.model.TraceNode;

/**
 * Writes one assembled {@link Trace} for the native API: summary, bottleneck, service shares, the
 * critical path, and the tree as a flat list in depth-first order (each node has its {@code depth}
 * and tree {@code parentId}, so a client prints the tree by walking the list once). Iterative, so a
 * trace of any depth is fine.
 */
final class NativeTraceWriter {
  private NativeTraceWriter() {}

  static byte[] write(Trace trace) {
    return ZipkinJsonWriter.write(g -> write(g, trace));
  }

  static void write(JsonGenerator g, Trace trace) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", ZipkinJsonWriter.traceIdHex(trace.traceId()));
    g.writeNumberField("startEpochNanos", trace.startEpochNanos());
    g.writeNumberField("durationNanos", trace.durationNanos());
    g.writeNumberField("spanCount", trace.spanCount());
    g.writeNumberField("errorCount", trace.errorCount());
    g.writeNumberField("orphanCount", trace.orphanCount());
    g.writeNumberField("depth", trace.depth());
    g.writeArrayFieldStart("services");
    for (String s : trace.services()) g.writeString(s);
    g.writeEndArray();

    ServiceShare bottleneck = trace.bottleneckService();
    TraceNode bottleneckSpan = trace.bottleneckSpan();
    g.writeObjectFieldStart("bottleneck");
    g.writeStringField("service", bottleneck.service());
    g.writeNumberField("criticalPathNanos", bottleneck.criticalPathNanos());
    g.writeNumberField("criticalPathFraction", bottleneck.criticalPathFraction());
    g.writeStringField("spanId", SpanId.toHex(bottleneckSpan.span().spanId()));
    g.writeStringField("spanName", bottleneckSpan.span().name());
    g.writeNumberField("spanCriticalPathNanos", bottleneckSpan.criticalPathNanos());
    g.writeEndObject();

    g.writeArrayFieldStart("serviceShares");
    for (ServiceShare s : trace.serviceShares()) {
      g.writeStartObject();
      g.writeStringField("service", s.service());
      g.writeNumberField("spanCount", s.spanCount());
      g.writeNumberField("criticalPathNanos", s.criticalPathNanos());
      g.writeNumberField("criticalPathFraction", s.criticalPathFraction());
      g.writeNumberField("selfTimeNanos", s.selfTimeNanos());
      g.writeNumberField("selfTimeFraction", s.selfTimeFraction());
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeArrayFieldStart("criticalPath");
    for (CriticalPathSegment seg : trace.criticalPath()) {
      g.writeStartObject();
      g.writeStringField("spanId", SpanId.toHex(seg.span().spanId()));
      g.writeStringField("service", seg.span().service());
      g.writeStringField("name", seg.span().name());
      g.writeNumberField("startEpochNanos", seg.startEpochNanos());
      g.writeNumberField("durationNanos", seg.durationNanos());
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeArrayFieldStart("spans");
    for (TraceNode n : depthFirst(trace)) writeNode(g, n, n == bottleneckSpan);
    g.writeEndArray();
    g.writeEndObject();
  }

  /** Pre-order from the root, children in trace order; then any node the walk did not reach. */
  static List<TraceNode> depthFirst(Trace trace) {
    List<TraceNode> out = new ArrayList<>(trace.spanCount());
    Map<TraceNode, Boolean> seen = new IdentityHashMap<>();
    Deque<TraceNode> stack = new ArrayDeque<>();
    stack.push(trace.root());
    while (!stack.isEmpty()) {
      TraceNode n = stack.pop();
      if (seen.put(n, Boolean.TRUE) != null) continue;
      out.add(n);
      List<TraceNode> children = n.children();
      for (int i = children.size() - 1; i >= 0; i--) stack.push(children.get(i));
    }
    for (TraceNode n : trace.nodes()) {
      if (!seen.containsKey(n)) out.add(n);
    }
    return out;
  }

  private static void writeNode(JsonGenerator g, TraceNode n, boolean bottleneck) throws IOException {
    Span s = n.span();
    g.writeStartObject();
    g.writeStringField("spanId", SpanId.toHex(s.spanId()));
    if (n.parent() != null) g.writeStringField("parentId", SpanId.toHex(n.parent().span().spanId()));
    g.writeNumberField("depth", n.depth());
    g.writeStringField("service", s.service());
    g.writeStringField("name", s.name());
    g.writeStringField("kind", s.kind().name());
    if (!s.remoteService().isEmpty()) g.writeStringField("remoteService", s.remoteService());
    g.writeNumberField("startEpochNanos", s.startEpochNanos());
    g.writeNumberField("durationNanos", s.durationNanos());
    g.writeNumberField("selfTimeNanos", n.selfTimeNanos());
    g.writeNumberField("criticalPathNanos", n.criticalPathNanos());
    g.writeBooleanField("error", s.isError());
    if (bottleneck) g.writeBooleanField("bottleneck", true);
    g.writeStringField("status", s.statusCode().name());
    if (!s.statusMessage().isEmpty()) g.writeStringField("statusMessage", s.statusMessage());
    if (!n.flags().isEmpty()) {
      g.writeArrayFieldStart("flags");
      for (TraceNode.Flag f : n.flags()) g.writeString(f.name());
      g.writeEndArray();
    }
    if (!s.tags().isEmpty()) {
      g.writeObjectFieldStart("tags");
      Set<String> written = new HashSet<>();
      for (Tag t : s.tags()) if (written.add(t.key())) writeTag(g, t); // first of duplicates wins
      g.writeEndObject();
    }
    if (!s.logs().isEmpty()) {
      g.writeArrayFieldStart("logs");
      for (SpanLog log : s.logs()) {
        g.writeStartObject();
        g.writeNumberField("epochNanos", log.epochNanos());
        g.writeStringField("name", log.name());
        if (!log.fields().isEmpty()) {
          g.writeObjectFieldStart("fields");
          Set<String> written = new HashSet<>();
          for (Tag t : log.fields()) if (written.add(t.key())) writeTag(g, t);
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** Typed: strings as strings, numbers as numbers, booleans as booleans, arrays as text. */
  private static void writeTag(JsonGenerator g, Tag t) throws IOException {
    switch (t.value().type()) {
      case LONG:
        g.writeNumberField(t.key(), ((TagValue.Int) t.value()).value());
        break;
      case DOUBLE:
        double d = ((TagValue.Dbl) t.value()).value();
        if (Double.isFinite(d)) g.writeNumberField(t.key(), d);
        else g.writeStringField(t.key(), Double.toString(d));
        break;
      case BOOL:
        g.writeBooleanField(t.key(), ((TagValue.Bool) t.value()).value());
        break;
      default:
        g.writeStringField(t.key(), t.value().asString());
    }
  }
}
