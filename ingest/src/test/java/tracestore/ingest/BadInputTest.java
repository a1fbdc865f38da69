package tracestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.ingest.Payloads.gzip;
import static tracestore.ingest.Payloads.hex;
import static tracestore.ingest.Payloads.otlpRequest;
import static tracestore.ingest.Payloads.otlpSpan;
import static tracestore.ingest.Payloads.utf8;
import static tracestore.ingest.Payloads.zipkinSpan;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracestore.ingest.pipeline.PipelineConfig;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.Span;
import tracestore.storage.model.TagValue;

/**
 * Every limit and bad-input case of the receivers answers the exact status and a readable message,
 * while well-formed requests sent at the same time are all stored.
 */
class BadInputTest {
  static final String OTLP = OtlpHttpReceiver.PATH;
  static final String ZIPKIN = ZipkinHttpReceiver.PATH;
  static final String JSON = "application/json";
  static final String PROTO = "application/x-protobuf";

  static InMemoryStorage store;
  static Harness h;
  final Random random = new Random();

  @BeforeAll
  static void start() {
    store = new InMemoryStorage();
    h =
        new Harness(
            store.writer(),
            IngestConfig.newBuilder()
                .maxBodyBytes(64 * 1024)
                .maxInflatedBytes(1024 * 1024)
                .spanLimits(new SpanLimits(50, 8, 32, 64, 30))
                .pipeline(PipelineConfig.newBuilder().flushInterval(Duration.ofMillis(10)).build())
                .build());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The google.rpc.Status message of an OTLP/JSON error body. */
  static String statusMessage(HttpResponse<byte[]> r) throws Exception {
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder();
    JsonFormat.parser().merge(text(r), s);
    return s.getMessage();
  }

  static List<Span> trace(String hex) {
    return store.reader().getTrace(TraceId.parse(hex));
  }

  String goodOtlp() {
    return otlpRequest("good", otlpSpan(hex(random, 16), hex(random, 8), "ok", ""));
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String big = "x".repeat(70 * 1024);
    var r = h.post(OTLP, JSON, utf8(otlpRequest("s", otlpSpan(hex(random, 16), hex(random, 8), big, ""))));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(text(r)).contains("request body exceeds 65536 bytes (maxBodyBytes)");
    var z = h.post(ZIPKIN, JSON, new byte[70 * 1024]);
    assertThat(z.statusCode()).isEqualTo(413);
    assertThat(text(z)).contains("request body exceeds 65536 bytes (maxBodyBytes)");
  }

  @Test
  void aStreamedBodyWithoutContentLengthOverTheLimitIs413() throws Exception {
    byte[] big = new byte[200 * 1024];
    java.net.http.HttpRequest req =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url(ZIPKIN)))
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .header("Content-Type", JSON)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
            .build();
    var r = h.client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(text(r)).isEqualTo("request body exceeds 65536 bytes (maxBodyBytes)\n");
  }

  @Test
  void decompressionBombIs413() throws Exception {
    byte[] bomb = gzip(new byte[20 * 1024 * 1024]); // 20 MiB of zeros, about 20 KiB compressed
    assertThat(bomb.length).isLessThan(64 * 1024);
    var r = h.post(ZIPKIN, JSON, bomb, "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(text(r)).isEqualTo("gzip body inflates to more than 1048576 bytes (maxInflatedBytes)\n");
    var o = h.post(OTLP, JSON, bomb, "Content-Encoding", "gzip");
    assertThat(o.statusCode()).isEqualTo(413);
    assertThat(statusMessage(o)).isEqualTo("gzip body inflates to more than 1048576 bytes (maxInflatedBytes)");
  }

  @Test
  void gzipBodiesAreAccepted() throws Exception {
    String trace = hex(random, 16);
    var r = h.post(OTLP, JSON, gzip(utf8(otlpRequest("gz", otlpSpan(trace, hex(random, 8), "zipped", "")))),
        "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(trace(trace)).extracting(Span::name).containsExactly("zipped");
    var z = h.post(ZIPKIN, JSON, gzip(utf8("[" + zipkinSpan(trace, hex(random, 8), "gzsvc") + "]")),
        "Content-Encoding", "gzip");
    assertThat(z.statusCode()).isEqualTo(202);
  }

  @Test
  void brokenGzipIs400() throws Exception {
    var r = h.post(ZIPKIN, JSON, utf8("[not gzip]"), "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(text(r)).startsWith("body is not valid gzip: ");
  }

  @Test
  void tooManySpansIs413() throws Exception {
    List<String> spans = new ArrayList<>();
    String trace = hex(random, 16);
    for (int i = 0; i < 51; i++) spans.add(otlpSpan(trace, hex(random, 8), "s" + i, ""));
    var r = h.post(OTLP, JSON, utf8(otlpRequest("many", spans.toArray(String[]::new))));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(statusMessage(r)).isEqualTo("request has more than 50 spans (maxSpansPerRequest)");
    assertThat(trace(trace)).isEmpty();
  }

  @Test
  void tagLimitsTruncateWithAMarker() throws Exception {
    String trace = hex(random, 16);
    StringBuilder attrs = new StringBuilder();
    attrs.append(",{\"key\":\"long\",\"value\":{\"stringValue\":\"").append("v".repeat(100)).append("\"}}");
    attrs.append(",{\"key\":\"").append("k".repeat(33)).append("\",\"value\":{\"stringValue\":\"x\"}}");
    for (int i = 0; i < 10; i++) attrs.append(",{\"key\":\"t").append(i).append("\",\"value\":{\"intValue\":\"1\"}}");
    var r = h.post(OTLP, JSON, utf8(otlpRequest("limits", otlpSpan(trace, hex(random, 8), "tags", attrs.toString()))));
    assertThat(r.statusCode()).isEqualTo(200);
    Span s = trace(trace).get(0);
    assertThat(s.tags()).hasSize(9); // 8 kept + the marker
    assertThat(s.tag("long").asString()).isEqualTo("v".repeat(64) + DecodedSpans.TRUNCATION_MARKER);
    // dropped: the 33-character key and 4 tags over the 8-tag limit
    assertThat(s.tag(DecodedSpans.DROPPED_TAGS_KEY)).isEqualTo(TagValue.of(5L));
  }

  @Test
  void unknownContentTypeOrEncodingIs415() throws Exception {
    var r = h.post(OTLP, "text/plain", utf8("hello"));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(text(r)).isEqualTo("unsupported Content-Type \"text/plain\"; use application/x-protobuf or application/json\n");
    var none = h.post(OTLP, null, utf8("{}"));
    assertThat(none.statusCode()).isEqualTo(415);
    assertThat(text(none)).startsWith("unsupported Content-Type (none)");
    String trace = hex(random, 16);
    var zipkinNone = h.post(ZIPKIN, null, utf8("[" + zipkinSpan(trace, hex(random, 8), "nocontenttype") + "]"));
    assertThat(zipkinNone.statusCode()).as("Zipkin reads a body without Content-Type as JSON").isEqualTo(202);
    assertThat(trace(trace)).extracting(Span::service).containsExactly("nocontenttype");
    var br = h.post(ZIPKIN, JSON, utf8("[]"), "Content-Encoding", "br");
    assertThat(br.statusCode()).isEqualTo(415);
    assertThat(text(br)).isEqualTo("unsupported Content-Encoding \"br\"; use gzip or none\n");
  }

  @Test
  void brokenJsonAndProtobufAre400() throws Exception {
    var j = h.post(OTLP, JSON, utf8("{\"resourceSpans\":[{"));
    assertThat(j.statusCode()).isEqualTo(400);
    assertThat(statusMessage(j)).startsWith("body is not an OTLP/JSON ExportTraceServiceRequest");
    var p = h.post(OTLP, PROTO, new byte[] {0x0a, 0x7f, 0x01});
    assertThat(p.statusCode()).isEqualTo(400);
    assertThat(p.headers().firstValue("content-type")).hasValue("application/x-protobuf");
    assertThat(com.google.rpc.Status.parseFrom(p.body()).getMessage())
        .startsWith("body is not a protobuf ExportTraceServiceRequest");
    var z = h.post(ZIPKIN, JSON, utf8("[{\"traceId\":"));
    assertThat(z.statusCode()).isEqualTo(400);
    assertThat(text(z)).startsWith("body is not a Zipkin v2 JSON span list");
    var zp = h.post(ZIPKIN, PROTO, new byte[] {0x0a, 0x7f, 0x01});
    assertThat(zp.statusCode()).isEqualTo(400);
    assertThat(text(zp)).startsWith("body is not a Zipkin v2 proto3 span list");
  }

  @Test
  void invalidIdsAndMissingServiceAre400() throws Exception {
    var ids = h.post(OTLP, JSON, utf8(otlpRequest("s", otlpSpan("00000000000000000000000000000000", hex(random, 8), "x", ""))));
    assertThat(ids.statusCode()).isEqualTo(400);
    assertThat(statusMessage(ids)).isEqualTo("1 of 1 spans rejected: resourceSpans[0].scopeSpans[0].spans[0]: "
        + "trace id is all zeros: \"00000000000000000000000000000000\"");
    var svc = h.post(OTLP, JSON, utf8(otlpRequest(null, otlpSpan(hex(random, 16), hex(random, 8), "x", ""))));
    assertThat(svc.statusCode()).isEqualTo(400);
    assertThat(statusMessage(svc)).endsWith("resource has no service.name attribute");
    var z = h.post(ZIPKIN, JSON, utf8("[" + zipkinSpan(hex(random, 16), hex(random, 8), "") + "]"));
    assertThat(z.statusCode()).isEqualTo(400);
    assertThat(text(z)).contains("localEndpoint.serviceName is missing");
  }

  /** OTLP/JSON, {@code n} spans of one trace with fresh span ids. */
  String spansOf(String trace, int n) {
    String[] spans = new String[n];
    for (int i = 0; i < n; i++) spans[i] = otlpSpan(trace, hex(random, 8), "loop", "");
    return otlpRequest("runaway", spans);
  }

  static ExportTraceServiceResponse response(HttpResponse<byte[]> r) throws Exception {
    ExportTraceServiceResponse.Builder resp = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(text(r), resp);
    return resp.build();
  }

  @Test
  void aTraceOverMaxSpansPerTraceIsCutAcrossRequestsWithAMarkerAndReported() throws Exception {
    String trace = hex(random, 16);
    var first = h.post(OTLP, JSON, utf8(spansOf(trace, 20)));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(response(first).hasPartialSuccess()).isFalse();

    var second = h.post(OTLP, JSON, utf8(spansOf(trace, 20)));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(response(second).getPartialSuccess().getRejectedSpans()).isEqualTo(9);
    assertThat(response(second).getPartialSuccess().getErrorMessage())
        .isEqualTo("9 of 20 spans rejected: trace " + trace
            + " already has more than 30 spans (maxSpansPerTrace); its later spans are dropped; ...");

    var third = h.post(OTLP, JSON, utf8(spansOf(trace, 5)));
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(response(third).getPartialSuccess().getRejectedSpans()).isEqualTo(5);

    List<Span> stored = trace(trace);
    assertThat(stored).hasSize(31);
    assertThat(stored).filteredOn(s -> s.tags().stream().anyMatch(t -> t.key().equals(TraceBudget.TRUNCATED_KEY)))
        .hasSize(1);
    assertThat(h.counter("tracestore.ingest.spans.rejected", "reason", "trace_too_large")).isEqualTo(14);
    // Other traces are not affected.
    String other = hex(random, 16);
    assertThat(response(h.post(OTLP, JSON, utf8(spansOf(other, 20)))).hasPartialSuccess()).isFalse();
  }

  @Test
  void someInvalidSpansGivePartialSuccess() throws Exception {
    String trace = hex(random, 16);
    String good = otlpSpan(trace, hex(random, 8), "good", "");
    String bad = otlpSpan(trace, "0102", "bad", "");
    var r = h.post(OTLP, JSON, utf8(otlpRequest("partial", good, bad)));
    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse.Builder resp = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(text(r), resp);
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage())
        .isEqualTo("1 of 2 spans rejected: resourceSpans[0].scopeSpans[0].spans[1]: "
            + "id must be 16 or 32 hex characters, got 4: \"0102\"");
    assertThat(trace(trace)).extracting(Span::name)
        .containsExactly("good");
  }

  @Test
  void grpcAnswersInvalidArgumentOrPartialSuccess() throws Exception {
    var grpc =
        com.linecorp.armeria.client.grpc.GrpcClients.newClient(
            h.url("/"), io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceBlockingStub.class);
    String trace = hex(random, 16);
    // Built from spec JSON with hex ids, then sent as binary protobuf.
    io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.Builder bad =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(otlpRequest(null, otlpSpan(trace, hex(random, 8), "x", "")), bad);
    io.grpc.StatusRuntimeException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.grpc.StatusRuntimeException.class, () -> grpc.export(bad.build()));
    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("1 of 1 spans rejected: resourceSpans[0].scopeSpans[0].spans[0]: resource has no service.name attribute");

    var good = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(TraceId.parse(trace).toBytes()))
        .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("good")
        .setStartTimeUnixNano(1_700_000_000_000_000_000L)
        .setEndTimeUnixNano(1_700_000_000_000_001_000L);
    var partial =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(
                                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                                    .setKey("service.name")
                                    .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("g"))))
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .addSpans(good)
                            .addSpans(good.clone().setStartTimeUnixNano(0))))
            .build();
    var response = grpc.export(partial);
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo("1 of 2 spans rejected: resourceSpans[0].scopeSpans[0].spans[1]: startTimeUnixNano is missing or invalid");
    assertThat(trace(trace)).extracting(Span::name).containsExactly("good");
  }

  @Test
  void goodRequestsSentAlongsideBadOnesAreAllStored() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<String> goodTraces = new ArrayList<>();
      List<String> zipkinTraces = new ArrayList<>();
      List<Future<Integer>> good = new ArrayList<>();
      List<Future<Integer>> bad = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String trace = hex(random, 16);
        goodTraces.add(trace);
        byte[] body = utf8(otlpRequest("mixed", otlpSpan(trace, hex(random, 8), "g" + i, "")));
        good.add(pool.submit(() -> h.post(OTLP, JSON, body).statusCode()));
        String ztrace = hex(random, 16);
        zipkinTraces.add(ztrace);
        byte[] zbody = utf8("[" + zipkinSpan(ztrace, hex(random, 8), "mixedz") + "]");
        good.add(pool.submit(() -> h.post(ZIPKIN, JSON, zbody).statusCode()));
        bad.add(pool.submit(() -> h.post(OTLP, JSON, utf8("{broken")).statusCode()));
        bad.add(pool.submit(() -> h.post(ZIPKIN, JSON, gzip(new byte[4 * 1024 * 1024]), "Content-Encoding", "gzip").statusCode()));
        bad.add(pool.submit(() -> h.post(OTLP, "text/xml", utf8("<x/>")).statusCode()));
      }
      for (Future<Integer> f : good) assertThat(f.get()).isIn(200, 202);
      for (Future<Integer> f : bad) assertThat(f.get()).isIn(400, 413, 415);
      for (String t : goodTraces) assertThat(trace(t)).extracting(Span::service).containsExactly("mixed");
      for (String t : zipkinTraces) assertThat(trace(t)).extracting(Span::service).containsExactly("mixedz");
      assertThat(h.counter("tracestore.ingest.requests.rejected", "reason", "malformed")).isGreaterThanOrEqualTo(30);
      assertThat(h.counter("tracestore.ingest.requests.rejected", "reason", "unsupported_media_type")).isGreaterThanOrEqualTo(30);
    } finally {
      pool.shutdownNow();
    }
  }
}
