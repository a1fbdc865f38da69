package tracestore.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.TraceId;

class DependencyLinkerTest {
  static final TraceId ID = new TraceId(0, 42);

  static Span span(long id, long parent, String service, SpanKind kind, String remote, boolean error) {
    return Span.newBuilder()
        .traceId(ID)
        .spanId(id)
        .parentSpanId(parent)
        .service(service)
        .kind(kind)
        .remoteService(remote)
        .startEpochNanos(1_000 + id)
        .durationNanos(10)
        .status(error ? StatusCode.ERROR : StatusCode.UNSET, "")
        .build();
  }

  @Test
  void linksAcrossServicesOnly_oncePerCall() {
    DependencyLinker linker = new DependencyLinker();
    linker.putTrace(
        List.of(
            // An uninstrumented caller "browser" reaches the gateway.
            span(1, 0, "gateway", SpanKind.SERVER, "browser", false),
            span(2, 1, "gateway", SpanKind.INTERNAL, "", false),
            // gateway -> auth: client and server halves count as one call; the client failed.
            span(3, 2, "gateway", SpanKind.CLIENT, "auth", true),
            span(4, 3, "auth", SpanKind.SERVER, "", false),
            // auth -> redis, which is not instrumented.
            span(5, 4, "auth", SpanKind.CLIENT, "redis", false),
            // gateway publishes, billing consumes.
            span(6, 2, "gateway", SpanKind.PRODUCER, "kafka", false),
            span(7, 6, "billing", SpanKind.CONSUMER, "kafka", true)));
    linker.putTrace(List.of(span(1, 0, "gateway", SpanKind.SERVER, "browser", false)));

    assertThat(linker.links())
        .containsExactly(
            new DependencyLinker.Link("auth", "redis", 1, 0),
            new DependencyLinker.Link("browser", "gateway", 2, 0),
            new DependencyLinker.Link("gateway", "auth", 1, 1),
            new DependencyLinker.Link("gateway", "billing", 1, 1));
  }

  @Test
  void orphanedSpanWithoutRemoteLinksNothing() {
    DependencyLinker linker = new DependencyLinker();
    linker.putTrace(List.of(span(9, 8, "worker", SpanKind.SERVER, "", false)));
    assertThat(linker.links()).isEmpty();
  }
}
