package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load loses no acknowledged span: the real jar runs on SQLite, four threads send
 * OTLP/HTTP protobuf and remember every trace answered 2xx, the process gets SIGTERM mid-load, and
 * after a restart on the same data every acknowledged span is read back.
 */
class SigtermIT {
  private static final int SPANS_PER_TRACE = 5;
  private static final int TRACES_PER_REQUEST = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyAcknowledgedSpanSurvivesSigtermUnderLoad() throws Exception {
    Map<String, Integer> acked = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger failedToConnect = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    String output;
    try (JarProcess first = JarProcess.serve(dir, "first.log")) {
      String url = first.otlpHttpUrl() + "/v1/traces";
      ExecutorService senders = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(senders.submit(() -> {
          while (!stop.get()) {
            Map<String, Integer> batch = new HashMap<>();
            byte[] body = request(batch);
            try {
              HttpResponse<String> r = TestHttp.post(url, "application/x-protobuf", body);
              if (r.statusCode() / 100 == 2) {
                acked.putAll(batch);
              } else {
                // As OTLP exporters do: back off on 429/503 (the server sends Retry-After).
                refused.incrementAndGet();
                sleep(100);
              }
            } catch (IOException e) {
              failedToConnect.incrementAndGet();
              sleep(200);
            }
          }
          return null;
        }));
      }
      long loadUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (acked.size() < 400 && System.nanoTime() < loadUntil) Thread.sleep(50);
      assertThat(acked).as("traces acknowledged before SIGTERM").hasSizeGreaterThan(50);

      first.process.destroy(); // SIGTERM, while the senders keep going
      assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      stop.set(true);
      for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
      senders.shutdown();
      output = first.output();
      assertThat(first.process.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
    }
    assertThat(output).contains("shutdown 1/4", "shutdown 2/4: draining the ingest queue",
        "shutdown 3/4: flushing and closing storage", "shutdown 4/4: stopped");

    try (JarProcess second = JarProcess.serve(dir, "second.log")) {
      List<String> ids = new ArrayList<>(acked.keySet());
      int missing = 0;
      List<String> examples = new ArrayList<>();
      for (int i = 0; i < ids.size(); i += 50) {
        List<String> group = ids.subList(i, Math.min(ids.size(), i + 50));
        HttpResponse<String> r = TestHttp.get(second.zipkinUrl() + "/api/v2/traceMany?traceIds=" + String.join(",", group));
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Integer> found = new HashMap<>();
        for (JsonNode trace : JSON.readTree(r.body())) {
          found.put(trace.get(0).get("traceId").asText(), trace.size());
        }
        for (String id : group) {
          if (!acked.get(id).equals(found.get(id))) {
            missing++;
            if (examples.size() < 5) examples.add(id + " has " + found.get(id) + " of " + acked.get(id));
          }
        }
      }
      assertThat(missing).as("acknowledged traces not fully readable after restart, e.g. " + examples).isZero();
      for (String line : output.split("\n")) if (line.contains("shutdown ")) System.out.println("first run: " + line);
      System.out.printf("SIGTERM test: %d traces (%d spans) acknowledged and all read back; %d requests refused, "
          + "%d failed to connect%n", acked.size(), acked.size() * SPANS_PER_TRACE, refused.get(), failedToConnect.get());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One OTLP request of a few traces of {@link #SPANS_PER_TRACE} spans; records their ids. */
  private static byte[] request(Map<String, Integer> traces) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int t = 0; t < TRACES_PER_REQUEST; t++) {
      byte[] traceId = new byte[16];
      random.nextBytes(traceId);
      traceId[0] |= 1;
      byte[] parent = null;
      for (int s = 0; s < SPANS_PER_TRACE; s++) {
        byte[] spanId = new byte[8];
        random.nextBytes(spanId);
        spanId[0] |= 1;
        Span.Builder span = Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(spanId))
            .setName("op-" + s)
            .setKind(s == 0 ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(now + s * 1_000_000L)
            .setEndTimeUnixNano(now + 50_000_000L - s * 1_000_000L)
            .addAttributes(KeyValue.newBuilder().setKey("load.index").setValue(AnyValue.newBuilder().setIntValue(s)));
        if (parent != null) span.setParentSpanId(ByteString.copyFrom(parent));
        scope.addSpans(span);
        parent = spanId;
      }
      traces.put(hex(traceId), SPANS_PER_TRACE);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("sigterm-load"))))
            .addScopeSpans(scope))
        .build()
        .toByteArray();
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) sb.append(String.format("%02x", b));
    return sb.toString();
  }
}
