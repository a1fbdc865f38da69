package tracestore.query;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import tracestore.storage.DependencyLink;
import tracestore.storage.Operation;
import tracestore.storage.SearchRequest;
import tracestore.storage.TraceHit;
import tracestore.storage.TraceReader;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.ZipkinTags;

/**
 * Zipkin's v2 query endpoints with Zipkin's parameters, defaults and JSON: {@code endTs} and
 * {@code lookback} in epoch milliseconds, {@code minDuration}/{@code maxDuration} in microseconds,
 * {@code limit} 10 by default. See docs/api.md for where we differ.
 */
final class ZipkinApi {
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** Trace ids fetched per storage call when loading many traces. */
  private static final int FETCH_BATCH = 100;

  private final QueryService config;
  private final TraceReader reader;

  ZipkinApi(QueryService config) {
    this.config = config;
    this.reader = config.reader();
  }

  /** Registers every endpoint under {@code prefix}, for example {@code /api/v2}. */
  void registerOn(ServerBuilder sb, String prefix) {
    Handlers.get(sb, prefix + "/services", handler((ctx, p) -> strings(reader.services())));
    Handlers.get(sb, prefix + "/spans", handler((ctx, p) -> spanNames(p)));
    Handlers.get(sb, prefix + "/remoteServices",
        handler((ctx, p) -> strings(reader.remoteServices(p.required("serviceName")))));
    Handlers.get(sb, prefix + "/traces", handler((ctx, p) -> traces(p)));
    Handlers.get(sb, prefix + "/trace/{traceId}", handler((ctx, p) -> trace(ctx)));
    Handlers.get(sb, prefix + "/traceMany", handler((ctx, p) -> traceMany(p)));
    Handlers.get(sb, prefix + "/autocompleteKeys", handler((ctx, p) -> autocompleteKeys()));
    Handlers.get(sb, prefix + "/autocompleteValues",
        handler((ctx, p) -> strings(reader.tagValues(p.required("key")))));
    Handlers.get(sb, prefix + "/dependencies", handler((ctx, p) -> dependencies(p)));
  }

  private HttpService handler(Handlers.Handler h) {
    return Handlers.blocking(h, config.executor(), config.readPermits());
  }

  private static HttpResponse strings(List<String> values) {
    return Handlers.json(ZipkinJsonWriter.strings(values));
  }

  /** The indexed keys, without the reserved ones the UI shows as endpoint fields and flags. */
  private HttpResponse autocompleteKeys() {
    List<String> keys = new ArrayList<>();
    for (String k : reader.tagKeys()) if (!ZipkinTags.isReserved(k)) keys.add(k);
    return strings(keys);
  }

  private HttpResponse spanNames(Params p) {
    Set<String> names = new TreeSet<>();
    for (Operation op : reader.operations(p.required("serviceName"))) {
      if (!op.name().isEmpty()) names.add(op.name());
    }
    return strings(new ArrayList<>(names));
  }

  private HttpResponse traces(Params p) {
    List<SearchRequest> requests =
        searchRequests(
            p,
            config.clock().millis(),
            config.defaultLookback().toMillis(),
            reader::services,
            config.maxServicesPerSearch());
    List<TraceId> ids = new ArrayList<>();
    if (requests.size() == 1) {
      for (TraceHit hit : reader.search(requests.get(0)).hits()) ids.add(hit.traceId());
    } else {
      ids = mergeNewestFirst(requests, requests.isEmpty() ? 0 : requests.get(0).limit());
    }
    return Handlers.json(ZipkinJsonWriter.traces(fetch(ids)));
  }

  /**
   * Runs one search per service and keeps the newest {@code limit} distinct traces. Each service's
   * top {@code limit} holds every trace of that service that can make the merged top {@code limit}.
   */
  private List<TraceId> mergeNewestFirst(List<SearchRequest> requests, int limit) {
    Map<TraceId, Long> start = new HashMap<>();
    for (SearchRequest r : requests) {
      for (TraceHit hit : reader.search(r).hits()) start.merge(hit.traceId(), hit.startEpochNanos(), Math::min);
    }
    List<TraceHit> hits = new ArrayList<>();
    start.forEach((id, s) -> hits.add(new TraceHit(id, s)));
    hits.sort(
        Comparator.comparingLong(TraceHit::startEpochNanos)
            .thenComparing(TraceHit::traceId)
            .reversed());
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, hits.size()); i++) ids.add(hits.get(i).traceId());
    return ids;
  }

  /**
   * Translates Zipkin's parameters into storage searches; every error names the Zipkin parameter.
   * Predicates the indexes keep per service (span name, remote service, tags, duration) need a
   * service: without {@code serviceName} the search runs once per known service, up to {@code
   * maxServices} of them, so a trace matches when one service satisfies them all.
   */
  static List<SearchRequest> searchRequests(
      Params p,
      long nowMillis,
      long defaultLookbackMillis,
      Supplier<List<String>> services,
      int maxServices) {
    String service = p.nonBlank("serviceName");
    String remoteService = p.nonBlank("remoteServiceName");
    String spanName = p.nonBlank("spanName");
    if ("all".equals(spanName)) spanName = null; // Zipkin's UI sends "all" for any span name
    AnnotationQuery annotations = AnnotationQuery.parse(p.string("annotationQuery"));
    long minMicros = p.nonNegativeLong("minDuration", 0, "microseconds");
    long maxMicros = p.nonNegativeLong("maxDuration", 0, "microseconds");
    long endTs = p.nonNegativeLong("endTs", nowMillis, "epoch milliseconds");
    long lookback = p.nonNegativeLong("lookback", defaultLookbackMillis, "milliseconds");
    int limit = p.limit("limit", 10, SearchRequest.MAX_LIMIT);

    if (maxMicros != 0 && maxMicros < minMicros) {
      throw new BadRequestException(
          "maxDuration (" + maxMicros + ") must be >= minDuration (" + minMicros + ")");
    }
    if (endTs > Long.MAX_VALUE / NANOS_PER_MILLI - 1) {
      throw new BadRequestException("endTs is too large: " + endTs + " (epoch milliseconds)");
    }
    if (minMicros > Long.MAX_VALUE / 1000 || maxMicros > Long.MAX_VALUE / 1000) {
      throw new BadRequestException("minDuration/maxDuration is too large (microseconds)");
    }
    long startMillis = Math.max(0, endTs - lookback);
    SearchRequest.Builder b =
        SearchRequest.newBuilder()
            .timeRange(startMillis * NANOS_PER_MILLI, endTs * NANOS_PER_MILLI + NANOS_PER_MILLI - 1)
            .operation(spanName)
            .remoteService(remoteService)
            .minDurationNanos(minMicros * 1000)
            .maxDurationNanos(maxMicros * 1000)
            .errorOnly(annotations.errorOnly())
            .limit(limit);
    for (Map.Entry<String, String> e : annotations.tags().entrySet()) b.tag(e.getKey(), e.getValue());

    boolean perService =
        spanName != null || remoteService != null || !annotations.tags().isEmpty()
            || minMicros != 0 || maxMicros != 0;
    if (service != null || !perService) return List.of(b.service(service).build());
    List<String> all = services.get();
    if (all.size() > maxServices) {
      throw new BadRequestException(
          "serviceName is required: searching by spanName, remoteServiceName, tags or duration "
              + "without it runs one search per service, and there are " + all.size()
              + " services (more than " + maxServices + ")");
    }
    List<SearchRequest> out = new ArrayList<>(all.size());
    for (String s : all) out.add(b.service(s).build());
    return out;
  }

  private HttpResponse trace(ServiceRequestContext ctx) {
    String raw = ctx.pathParam("traceId");
    TraceId id = Params.traceId("traceId", raw == null ? "" : raw);
    List<Span> spans = reader.getTrace(id);
    if (spans.isEmpty()) throw new NotFoundException(ZipkinJsonWriter.traceIdHex(id) + " not found");
    return Handlers.json(ZipkinJsonWriter.trace(spans));
  }

  private HttpResponse traceMany(Params p) {
    String raw = p.required("traceIds");
    if (raw.isEmpty()) throw new BadRequestException("traceIds parameter is empty");
    Set<TraceId> ids = new LinkedHashSet<>();
    for (String part : raw.split(",", 1001)) {
      if (ids.size() == 1000) throw new BadRequestException("traceIds: at most 1000 ids");
      TraceId id = Params.traceId("traceIds", part);
      if (!ids.add(id)) throw new BadRequestException("traceIds: redundant traceId: " + part.trim());
    }
    if (ids.size() == 1) {
      throw new BadRequestException(
          "traceIds: use /api/v2/trace/{traceId} endpoint to retrieve a single trace");
    }
    return Handlers.json(ZipkinJsonWriter.traces(fetch(new ArrayList<>(ids))));
  }

  private HttpResponse dependencies(Params p) {
    long endTs = p.nonNegativeLong("endTs", -1, "epoch milliseconds");
    if (endTs < 0) throw new BadRequestException("endTs is required (epoch milliseconds)");
    if (endTs > Long.MAX_VALUE / NANOS_PER_MILLI - 1) {
      throw new BadRequestException("endTs is too large: " + endTs + " (epoch milliseconds)");
    }
    long lookback = p.nonNegativeLong("lookback", config.defaultLookback().toMillis(), "milliseconds");
    long start = Math.max(0, endTs - lookback) * NANOS_PER_MILLI;
    long end = endTs * NANOS_PER_MILLI + NANOS_PER_MILLI - 1;
    if (config.stats() != null) {
      try {
        return linksFromRollups(start, end);
      } catch (UnsupportedOperationException e) {
        // This backend keeps no links: link raw traces below.
      }
    }

    DependencyLinker.Result links =
        DependencyLinker.fromRawTraces(reader, start, end, config.dependencyTraceLimit());
    byte[] body = ZipkinJsonWriter.links(links.links());
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.JSON_UTF_8)
            .add(QueryService.LINKED_TRACES_HEADER, Integer.toString(links.tracesLinked()))
            .add(QueryService.LINKS_COMPLETE_HEADER, Boolean.toString(links.complete()))
            .build(),
        HttpData.wrap(body));
  }

  /** Links from retention (widened to whole hours); recent hours are linked from raw spans. */
  private HttpResponse linksFromRollups(long start, long end) {
    List<DependencyLinker.Link> links = new ArrayList<>();
    for (DependencyLink l : config.stats().dependencies(start, end)) {
      links.add(new DependencyLinker.Link(l.parent(), l.child(), l.calls(), l.errors()));
    }
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.JSON_UTF_8)
            .add(QueryService.LINKS_COMPLETE_HEADER, "true")
            .build(),
        HttpData.wrap(ZipkinJsonWriter.links(links)));
  }

  /** Loads traces in the order given, unknown ones omitted, in bounded batches. */
  private List<List<Span>> fetch(List<TraceId> ids) {
    List<List<Span>> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i += FETCH_BATCH) {
      for (List<Span> t : reader.getTraces(ids.subList(i, Math.min(ids.size(), i + FETCH_BATCH)))) {
        if (!t.isEmpty()) out.add(t);
      }
    }
    return out;
  }
}
