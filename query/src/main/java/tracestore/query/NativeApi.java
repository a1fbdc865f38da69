package tracestore.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.Operation;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TraceHit;
import tracestore.storage.TraceReader;
import tracestore.storage.model.Span;
import tracestore.storage.model.Trace;
import tracestore.storage.model.TraceId;

/**
 * The native API under {@code /api/native}: times in epoch nanoseconds and durations in
 * nanoseconds (fields say so in their names), ids as lower-hex. Documented in docs/api.md.
 */
final class NativeApi {
  static final int DEFAULT_LIMIT = 20;
  /** Hits per page; pages are cheap to ask for, and each hit may load its trace for the summary. */
  static final int MAX_LIMIT = 1000;

  private final QueryService config;
  private final TraceReader reader;

  NativeApi(QueryService config) {
    this.config = config;
    this.reader = config.reader();
  }

  void registerOn(ServerBuilder sb, String prefix) {
    Handlers.get(sb, prefix + "/services", handler((ctx, p) -> services()));
    Handlers.get(sb, prefix + "/services/{service}/operations", handler((ctx, p) -> operations(ctx)));
    Handlers.get(sb, prefix + "/search", handler((ctx, p) -> search(p)));
    Handlers.get(sb, prefix + "/traces/{traceId}", handler((ctx, p) -> trace(ctx)));
    Handlers.get(sb, prefix + "/dependencies", handler((ctx, p) -> dependencies(p)));
  }

  private HttpService handler(Handlers.Handler h) {
    return Handlers.blocking(h, config.executor(), config.readPermits());
  }

  private HttpResponse services() {
    List<String> services = reader.services();
    return Handlers.json(ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("services");
      for (String s : services) g.writeString(s);
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  private HttpResponse operations(ServiceRequestContext ctx) {
    String service = ctx.pathParam("service");
    List<Operation> ops = reader.operations(service);
    return Handlers.json(ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeStringField("service", service);
      g.writeArrayFieldStart("operations");
      for (Operation op : ops) {
        g.writeStartObject();
        g.writeStringField("name", op.name());
        g.writeStringField("kind", op.kind().name());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** {@code start}/{@code end}/{@code lookback} as [start, end] epoch nanos, inclusive. */
  static long[] window(Params p, long nowNanos, long defaultLookbackNanos) {
    String endText = p.nonBlank("end");
    long end = endText == null ? nowNanos : DurationParam.instantNanos("end", endText);
    String startText = p.nonBlank("start");
    String lookbackText = p.nonBlank("lookback");
    if (startText != null && lookbackText != null) {
      throw new BadRequestException("give start or lookback, not both");
    }
    long start;
    if (startText != null) {
      start = DurationParam.instantNanos("start", startText);
    } else {
      long lookback =
          lookbackText == null ? defaultLookbackNanos : DurationParam.nanos("lookback", lookbackText);
      start = Math.max(0, end - lookback);
    }
    if (end < start) throw new BadRequestException("end must not be before start");
    return new long[] {start, end};
  }

  /** Translates the native search parameters; every error names the parameter. */
  static SearchRequest searchRequest(Params p, long nowNanos, long defaultLookbackNanos) {
    long[] window = window(p, nowNanos, defaultLookbackNanos);
    long start = window[0];
    long end = window[1];
    String min = p.nonBlank("minDuration");
    String max = p.nonBlank("maxDuration");
    long minNanos = min == null ? 0 : DurationParam.nanos("minDuration", min);
    long maxNanos = max == null ? 0 : DurationParam.nanos("maxDuration", max);
    if (maxNanos != 0 && maxNanos < minNanos) {
      throw new BadRequestException("maxDuration (" + max + ") must be >= minDuration (" + min + ")");
    }
    String service = p.nonBlank("service");
    SearchRequest.Builder b =
        SearchRequest.newBuilder()
            .timeRange(start, end)
            .service(service)
            .operation(p.nonBlank("operation"))
            .remoteService(p.nonBlank("remoteService"))
            .minDurationNanos(minNanos)
            .maxDurationNanos(maxNanos)
            .errorOnly(p.bool("error"))
            .limit(p.limit("limit", DEFAULT_LIMIT, MAX_LIMIT))
            .cursor(p.nonBlank("cursor"));
    for (String tag : p.all("tag")) {
      int eq = tag.indexOf('=');
      if (eq <= 0) throw new BadRequestException("tag must be key=value, got \"" + tag + "\"");
      b.tag(tag.substring(0, eq).trim(), tag.substring(eq + 1).trim());
    }
    if (service == null) {
      List<String> needService = new ArrayList<>();
      for (String name : List.of("operation", "remoteService", "tag", "minDuration", "maxDuration")) {
        if (p.nonBlank(name) != null) needService.add(name);
      }
      if (!needService.isEmpty()) {
        throw new BadRequestException(
            "service is required when searching by " + String.join(", ", needService)
                + " (the indexes are per service)");
      }
    }
    return b.build();
  }

  private HttpResponse search(Params p) {
    long now = Math.multiplyExact(config.clock().millis(), 1_000_000L);
    SearchRequest request = searchRequest(p, now, config.defaultLookback().toNanos());
    boolean summaries = p.nonBlank("summary") == null || p.bool("summary");
    SearchResult result;
    try {
      result = reader.search(request);
    } catch (IllegalArgumentException e) {
      // A cursor the backend cannot read is the client's mistake.
      throw new BadRequestException(
          (request.cursor() != null ? "cursor or search rejected: " : "search rejected: ") + e.getMessage());
    }
    List<List<Span>> traces = List.of();
    if (summaries) {
      List<TraceId> ids = new ArrayList<>();
      for (TraceHit h : result.hits()) ids.add(h.traceId());
      traces = reader.getTraces(ids);
    }
    Map<TraceId, List<Span>> byId = new HashMap<>();
    for (List<Span> t : traces) if (!t.isEmpty()) byId.put(t.get(0).traceId(), t);
    return Handlers.json(ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("hits");
      for (TraceHit h : result.hits()) {
        g.writeStartObject();
        g.writeStringField("traceId", ZipkinJsonWriter.traceIdHex(h.traceId()));
        g.writeNumberField("matchStartEpochNanos", h.startEpochNanos());
        List<Span> t = byId.get(h.traceId());
        if (t != null) writeSummary(g, TraceSummary.of(Trace.of(t)));
        g.writeEndObject();
      }
      g.writeEndArray();
      if (result.nextCursor() == null) g.writeNullField("nextCursor");
      else g.writeStringField("nextCursor", result.nextCursor());
      g.writeBooleanField("complete", result.complete());
      g.writeEndObject();
    }));
  }

  static void writeSummary(JsonGenerator g, TraceSummary s) throws IOException {
    g.writeNumberField("startEpochNanos", s.startEpochNanos());
    g.writeNumberField("durationNanos", s.durationNanos());
    g.writeStringField("rootService", s.rootService());
    g.writeStringField("rootName", s.rootName());
    g.writeNumberField("spanCount", s.spanCount());
    g.writeNumberField("errorCount", s.errorCount());
    g.writeArrayFieldStart("services");
    for (String svc : s.services()) g.writeString(svc);
    g.writeEndArray();
  }

  private HttpResponse dependencies(Params p) {
    long now = Math.multiplyExact(config.clock().millis(), 1_000_000L);
    long[] window = window(p, now, config.defaultLookback().toNanos());
    DependencyLinker.Result r =
        DependencyLinker.fromRawTraces(reader, window[0], window[1], config.dependencyTraceLimit());
    return Handlers.json(ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeNumberField("startEpochNanos", window[0]);
      g.writeNumberField("endEpochNanos", window[1]);
      g.writeArrayFieldStart("links");
      for (DependencyLinker.Link l : r.links()) {
        g.writeStartObject();
        g.writeStringField("parent", l.parent());
        g.writeStringField("child", l.child());
        g.writeNumberField("calls", l.calls());
        g.writeNumberField("errors", l.errors());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("tracesLinked", r.tracesLinked());
      g.writeBooleanField("complete", r.complete());
      g.writeEndObject();
    }));
  }

  private HttpResponse trace(ServiceRequestContext ctx) {
    String raw = ctx.pathParam("traceId");
    TraceId id = Params.traceId("traceId", raw == null ? "" : raw);
    List<Span> spans = reader.getTrace(id);
    if (spans.isEmpty()) throw new NotFoundException("trace " + ZipkinJsonWriter.traceIdHex(id) + " not found");
    return Handlers.json(NativeTraceWriter.write(Trace.of(spans)));
  }
}
