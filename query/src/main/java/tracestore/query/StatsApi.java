package tracestore.query;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import tracestore.retention.OperationStats;
import tracestore.retention.StatsService;
import tracestore.storage.DependencyLink;

/**
 * Native stats and dependency endpoints, merged from retention's rollups and links (hours not yet
 * aggregated are computed from raw spans). Ranges take {@code start}/{@code end} (ISO-8601 or epoch
 * milliseconds, as the native search) or {@code lookback}, and are widened to whole hours.
 */
final class StatsApi {
  private final QueryService config;
  private final StatsService stats;

  StatsApi(QueryService config) {
    this.config = config;
    this.stats = config.stats();
  }

  void registerOn(ServerBuilder sb, String prefix) {
    sb.service(prefix + "/stats/services/{service}", handler((ctx, p) -> service(ctx, p)));
    sb.service(prefix + "/stats/dependencies", handler((ctx, p) -> dependencies(p)));
  }

  private HttpService handler(Handlers.Handler h) {
    return Handlers.blocking((ctx, p) -> {
      try {
        return h.handle(ctx, p);
      } catch (UnsupportedOperationException e) {
        return Handlers.text(HttpStatus.NOT_IMPLEMENTED, "this storage has no rollups: " + e.getMessage());
      }
    }, config.executor(), config.readPermits());
  }

  private HttpResponse service(ServiceRequestContext ctx, Params p) {
    String service = ctx.pathParam("service");
    long[] range = range(p);
    OperationStats total = stats.service(service, range[0], range[1]);
    List<OperationStats> operations = stats.operations(service, range[0], range[1]);
    return Handlers.json(ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeStringField("service", service);
      g.writeNumberField("startEpochMillis", range[0] / 1_000_000);
      g.writeNumberField("endEpochMillis", range[1] / 1_000_000);
      g.writeFieldName("total");
      write(g, total);
      g.writeArrayFieldStart("operations");
      for (OperationStats o : operations) write(g, o);
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  private HttpResponse dependencies(Params p) {
    long[] range = range(p);
    List<DependencyLink> links = stats.dependencies(range[0], range[1]);
    return Handlers.json(ZipkinJsonWriter.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("links");
      for (DependencyLink l : links) {
        g.writeStartObject();
        g.writeStringField("parent", l.parent());
        g.writeStringField("child", l.child());
        g.writeNumberField("calls", l.calls());
        g.writeNumberField("errors", l.errors());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  private static void write(JsonGenerator g, OperationStats s) throws IOException {
    g.writeStartObject();
    if (!s.operation().isEmpty()) g.writeStringField("operation", s.operation());
    if (s.kind() != null) g.writeStringField("kind", s.kind().name());
    g.writeNumberField("count", s.count());
    g.writeNumberField("errors", s.errors());
    g.writeNumberField("ratePerSecond", s.ratePerSecond());
    g.writeNumberField("errorRate", s.errorRate());
    g.writeNumberField("p50Micros", s.p50Nanos() / 1_000);
    g.writeNumberField("p95Micros", s.p95Nanos() / 1_000);
    g.writeNumberField("p99Micros", s.p99Nanos() / 1_000);
    g.writeEndObject();
  }

  /** [start, end] in epoch nanoseconds, from start/end or lookback; end defaults to now. */
  private long[] range(Params p) {
    long now = config.clock().millis() * 1_000_000L;
    String endText = p.nonBlank("end");
    long end = endText == null ? now : DurationParam.instantNanos("end", endText);
    String startText = p.nonBlank("start");
    String lookbackText = p.nonBlank("lookback");
    if (startText != null && lookbackText != null) {
      throw new BadRequestException("give start or lookback, not both");
    }
    long start = startText != null
        ? DurationParam.instantNanos("start", startText)
        : Math.max(0, end - (lookbackText == null
            ? DurationParam.nanos(config.defaultLookback())
            : DurationParam.nanos("lookback", lookbackText)));
    if (end < start) throw new BadRequestException("end must not be before start");
    return new long[] {start, end};
  }
}
