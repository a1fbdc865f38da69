package tracestore.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/**
 * Not a test: measures the query layer's own latency over HTTP (in-memory store, so storage costs
 * are excluded). Run with
 * {@code ./mvnw -q -pl storage-api,query -am verify -Dtest=LatencyProbe -Dtracestore.probe=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "tracestore.probe", matches = "true")
class LatencyProbe {
  static List<Span> trace(TraceId id, int n) {
    List<Span> spans = new ArrayList<>();
    long t0 = Fixtures.T0;
    for (int i = 1; i <= n; i++) {
      spans.add(
          Span.newBuilder()
              .traceId(id)
              .spanId(i)
              .parentSpanId(i == 1 ? 0 : (i / 2))
              .service("svc-" + (i % 7))
              .name("op-" + (i % 13))
              .kind(i % 2 == 0 ? SpanKind.CLIENT : SpanKind.SERVER)
              .startEpochNanos(t0 + i * 1000L)
              .durationNanos(1_000_000L - i)
              .addTag("http.method", "GET")
              .addTag("http.route", "/api/items/{id}")
              .addTag("tenant", "t-" + (i % 5))
              .build());
    }
    return spans;
  }

  @Test
  void measure() {
    TraceId small = new TraceId(0, 0x10);
    TraceId big = new TraceId(0, 0x1000);
    List<Span> all = new ArrayList<>(trace(small, 10));
    all.addAll(trace(big, 1000));
    all.addAll(SearchCorrectnessTest.dataset());
    try (TestServer s =
        new TestServer(QueryService.newBuilder(TestStores.readerWith(all)).clock(Fixtures.CLOCK).ui(false).build())) {
      report(s, "zipkin trace 10 spans", "/api/v2/trace/" + ZipkinJsonWriter.traceIdHex(small), 3000);
      report(s, "zipkin trace 1000 spans", "/api/v2/trace/" + ZipkinJsonWriter.traceIdHex(big), 1000);
      report(s, "native trace 10 spans", "/api/native/traces/" + ZipkinJsonWriter.traceIdHex(small), 3000);
      report(s, "native trace 1000 spans", "/api/native/traces/" + ZipkinJsonWriter.traceIdHex(big), 1000);
      report(s, "zipkin search service+tag limit 10", "/api/v2/traces?serviceName=checkout&annotationQuery=color%3Dred", 1000);
    }
  }

  static void report(TestServer s, String what, String path, int n) {
    for (int i = 0; i < n / 2; i++) assertThat(s.get(path).statusCode()).isEqualTo(200);
    long[] nanos = new long[n];
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r = s.get(path);
      nanos[i] = System.nanoTime() - t;
      bytes = r.body().length();
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-36s n=%d  p50=%.2f ms  p99=%.2f ms  body=%d B%n",
        what, n, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, bytes);
  }
}
