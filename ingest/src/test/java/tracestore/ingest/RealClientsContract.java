package tracestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.ingest.pipeline.PipelineConfig;
import tracestore.storage.Storage;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanId;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.ZipkinTags;
import zipkin2.Endpoint;
import zipkin2.reporter.AsyncReporter;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.InMemoryReporterMetrics;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Clients we did not write send traces (the OpenTelemetry SDK's OTLP HTTP and gRPC exporters,
 * Zipkin's reporter with JSON and proto3, and a hand-written OTLP/JSON payload); each test reads
 * them back through the storage SPI and compares every field. A backend runs it by overriding
 * {@link #newStorage()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealClientsContract {
  Storage storage;
  Harness h;
  final Random random = new Random();

  protected abstract Storage newStorage();

  @BeforeAll
  void start() {
    storage = newStorage();
    h =
        new Harness(
            storage.writer(),
            IngestConfig.newBuilder()
                .pipeline(PipelineConfig.newBuilder().flushInterval(java.time.Duration.ofMillis(20)).build())
                .build());
  }

  @AfterAll
  void stop() {
    if (h != null) h.close();
    if (storage != null) storage.close();
  }

  // ---- OpenTelemetry SDK -------------------------------------------------------------------

  /** Keeps what the SDK produced, to compare with what we stored. */
  static final class Capture implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** A two-service trace with every kind of field the SDK can set. */
  List<SpanData> otelTrace() {
    Capture capture = new Capture();
    SdkTracerProvider frontend = provider("frontend", capture);
    SdkTracerProvider backend = provider("backend", capture);
    long t0 = 1_700_000_000_000_000_000L + random.nextInt(1_000_000) * 1_000L;
    SpanContext linked =
        SpanContext.create(
            TraceId.parse(Payloads.hex(random, 16)).toHex(),
            Payloads.hex(random, 8),
            TraceFlags.getSampled(),
            TraceState.getDefault());
    io.opentelemetry.api.trace.Span root =
        frontend
            .get("checkout-lib", "2.1.0")
            .spanBuilder("GET /checkout")
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .setStartTimestamp(t0, TimeUnit.NANOSECONDS)
            .setAttribute("http.method", "GET")
            .setAttribute(AttributeKey.longKey("http.status_code"), 200L)
            .setAttribute(AttributeKey.doubleKey("sample.ratio"), 0.25)
            .setAttribute(AttributeKey.booleanKey("cache.hit"), false)
            .setAttribute(AttributeKey.stringArrayKey("feature.flags"), List.of("a", "b"))
            .setAttribute(AttributeKey.longArrayKey("ports"), List.of(80L, 443L))
            .addLink(linked, Attributes.of(AttributeKey.stringKey("link.reason"), "batch"))
            .startSpan();
    root.addEvent(
        "cache.miss", Attributes.of(AttributeKey.stringKey("key"), "cart:42"), t0 + 1_000, TimeUnit.NANOSECONDS);
    io.opentelemetry.api.trace.Span client =
        frontend
            .get("checkout-lib", "2.1.0")
            .spanBuilder("call backend")
            .setParent(Context.root().with(root))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
            .setStartTimestamp(t0 + 2_000, TimeUnit.NANOSECONDS)
            .setAttribute("peer.service", "backend")
            .startSpan();
    io.opentelemetry.api.trace.Span server =
        backend
            .get("db-lib")
            .spanBuilder("SELECT carts")
            .setParent(Context.root().with(client))
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.INTERNAL)
            .setStartTimestamp(t0 + 3_000, TimeUnit.NANOSECONDS)
            .startSpan();
    server.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "deadlock detected");
    server.end(t0 + 9_000, TimeUnit.NANOSECONDS);
    client.end(t0 + 10_000, TimeUnit.NANOSECONDS);
    root.setStatus(io.opentelemetry.api.trace.StatusCode.OK);
    root.end(t0 + 20_000, TimeUnit.NANOSECONDS);
    frontend.shutdown().join(5, TimeUnit.SECONDS);
    backend.shutdown().join(5, TimeUnit.SECONDS);
    assertThat(capture.spans).hasSize(3);
    return capture.spans;
  }

  static SdkTracerProvider provider(String service, SpanExporter exporter) {
    return SdkTracerProvider.builder()
        .setResource(
            Resource.getDefault()
                .merge(
                    Resource.create(
                        Attributes.of(
                            AttributeKey.stringKey("service.name"), service,
                            AttributeKey.stringKey("deployment.environment"), "test"))))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }

  /** Our documented mapping, applied to the SDK's own view of the span. */
  static Span expected(SpanData d) {
    Span.Builder b =
        Span.newBuilder()
            .traceId(TraceId.parse(d.getTraceId()))
            .spanId(SpanId.parse(d.getSpanId()).value())
            .parentSpanId(d.getParentSpanContext().isValid() ? SpanId.parse(d.getParentSpanId()).value() : 0)
            .name(d.getName())
            .kind(SpanKind.valueOf(d.getKind().name()))
            .startEpochNanos(d.getStartEpochNanos())
            .durationNanos(d.getEndEpochNanos() - d.getStartEpochNanos())
            .status(StatusCode.valueOf(d.getStatus().getStatusCode().name()), d.getStatus().getDescription())
            .scope(
                d.getInstrumentationScopeInfo().getName(),
                d.getInstrumentationScopeInfo().getVersion());
    d.getResource()
        .getAttributes()
        .forEach(
            (k, v) -> {
              if (k.getKey().equals("service.name")) b.service((String) v);
              else b.addResource(tag(k, v));
            });
    d.getAttributes()
        .forEach(
            (k, v) -> {
              if (k.getKey().equals("peer.service")) b.remoteService((String) v);
              else b.addTag(tag(k, v));
            });
    for (EventData e : d.getEvents()) b.addLog(new SpanLog(e.getEpochNanos(), e.getName(), tags(e.getAttributes())));
    for (LinkData l : d.getLinks()) {
      b.addLink(
          new SpanLink(
              TraceId.parse(l.getSpanContext().getTraceId()),
              SpanId.parse(l.getSpanContext().getSpanId()).value(),
              tags(l.getAttributes())));
    }
    return b.build();
  }

  static List<Tag> tags(Attributes a) {
    List<Tag> out = new ArrayList<>();
    a.forEach((k, v) -> out.add(tag(k, v)));
    return out;
  }

  static Tag tag(AttributeKey<?> k, Object v) {
    return new Tag(k.getKey(), value(v));
  }

  static TagValue value(Object v) {
    if (v instanceof String s) return TagValue.of(s);
    if (v instanceof Long l) return TagValue.of(l);
    if (v instanceof Double x) return TagValue.of(x);
    if (v instanceof Boolean x) return TagValue.of(x);
    if (v instanceof List<?> list) {
      List<TagValue> values = new ArrayList<>();
      for (Object o : list) values.add(value(o));
      return TagValue.of(values);
    }
    throw new AssertionError("unexpected attribute value " + v);
  }

  List<Span> read(Collection<Span> expected) {
    Set<TraceId> ids = new LinkedHashSet<>();
    for (Span s : expected) ids.add(s.traceId());
    List<Span> out = new ArrayList<>();
    for (List<Span> t : storage.reader().getTraces(ids)) out.addAll(t);
    return out;
  }

  void assertStored(List<SpanData> sent) {
    List<Span> expected = sent.stream().map(RealClientsContract::expected).toList();
    assertThat(read(expected)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void otelSdkOtlpHttpProtobuf() {
    List<SpanData> spans = otelTrace();
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder().setEndpoint(h.url("/v1/traces")).setCompression("gzip").build();
    try {
      CompletableResultCode result = exporter.export(spans).join(30, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("export acknowledged").isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    assertStored(spans); // acknowledged means stored: no waiting
  }

  @Test
  void otelSdkOtlpGrpc() {
    List<SpanData> spans = otelTrace();
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder().setEndpoint(h.url("")).setCompression("gzip").build();
    try {
      CompletableResultCode result = exporter.export(spans).join(30, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("export acknowledged").isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    assertStored(spans);
  }

  // ---- Zipkin reporter ---------------------------------------------------------------------

  List<zipkin2.Span> zipkinTrace() {
    String trace = Payloads.hex(random, 16);
    String root = Payloads.hex(random, 8);
    long ts = 1_700_000_000_000_000L + random.nextInt(1_000_000);
    zipkin2.Span server =
        zipkin2.Span.newBuilder()
            .traceId(trace)
            .id(root)
            .name("get /api")
            .kind(zipkin2.Span.Kind.SERVER)
            .timestamp(ts)
            .duration(5_000)
            .localEndpoint(Endpoint.newBuilder().serviceName("gateway").ip("10.1.2.3").port(8080).build())
            .remoteEndpoint(Endpoint.newBuilder().ip("2001:db8::7").port(51000).build())
            .addAnnotation(ts + 10, "wr")
            .putTag("http.path", "/api")
            .shared(true)
            .build();
    zipkin2.Span client =
        zipkin2.Span.newBuilder()
            .traceId(trace)
            .parentId(root)
            .id(Payloads.hex(random, 8))
            .name("query")
            .kind(zipkin2.Span.Kind.CLIENT)
            .timestamp(ts + 100)
            .duration(2_000)
            .localEndpoint(Endpoint.newBuilder().serviceName("gateway").build())
            .remoteEndpoint(Endpoint.newBuilder().serviceName("mysql").ip("10.9.9.9").port(3306).build())
            .putTag("error", "timeout")
            .putTag("sql.query", "select 1")
            .debug(true)
            .build();
    return List.of(server, client);
  }

  /** Our documented mapping, applied to the reporter's input. */
  static Span expected(zipkin2.Span z) {
    Span.Builder b =
        Span.newBuilder()
            .traceId(TraceId.parse(z.traceId()))
            .spanId(SpanId.parse(z.id()).value())
            .parentSpanId(z.parentId() == null ? 0 : SpanId.parse(z.parentId()).value())
            .name(z.name())
            .service(z.localServiceName())
            .remoteService(z.remoteServiceName())
            .kind(z.kind() == null ? SpanKind.UNSPECIFIED : SpanKind.valueOf(z.kind().name()))
            .startEpochNanos(z.timestampAsLong() * 1000)
            .durationNanos(z.durationAsLong() * 1000);
    z.annotations().forEach(a -> b.addLog(SpanLog.of(a.timestamp() * 1000, a.value())));
    for (Map.Entry<String, String> t : z.tags().entrySet()) b.addTag(t.getKey(), t.getValue());
    endpoint(b, z.localEndpoint(), ZipkinTags.LOCAL_IPV4, ZipkinTags.LOCAL_IPV6, ZipkinTags.LOCAL_PORT);
    endpoint(b, z.remoteEndpoint(), ZipkinTags.REMOTE_IPV4, ZipkinTags.REMOTE_IPV6, ZipkinTags.REMOTE_PORT);
    if (Boolean.TRUE.equals(z.shared())) b.addTag(Tag.of(ZipkinTags.SHARED, true));
    if (Boolean.TRUE.equals(z.debug())) b.addTag(Tag.of(ZipkinTags.DEBUG, true));
    return b.build();
  }

  static void endpoint(Span.Builder b, Endpoint e, String v4, String v6, String port) {
    if (e == null) return;
    if (e.ipv4() != null) b.addTag(v4, e.ipv4());
    if (e.ipv6() != null) b.addTag(v6, e.ipv6());
    if (e.portAsInt() != 0) b.addTag(Tag.of(port, (long) e.portAsInt()));
  }

  void sendWithReporter(Encoding encoding, SpanBytesEncoder encoder, List<zipkin2.Span> spans) {
    InMemoryReporterMetrics metrics = new InMemoryReporterMetrics();
    try (URLConnectionSender sender =
            URLConnectionSender.newBuilder().endpoint(h.url("/api/v2/spans")).encoding(encoding).build();
        AsyncReporter<zipkin2.Span> reporter =
            AsyncReporter.builder((zipkin2.reporter.BytesMessageSender) sender).metrics(metrics).messageTimeout(0, TimeUnit.MILLISECONDS).build(encoder)) {
      spans.forEach(reporter::report);
      reporter.flush(); // sends on this thread; a non-2xx answer counts as dropped
    }
    assertThat(metrics.messages()).isEqualTo(1);
    assertThat(metrics.messagesDropped()).isZero();
    assertThat(metrics.spansDropped()).isZero();
  }

  @Test
  void zipkinReporterJson() {
    List<zipkin2.Span> spans = zipkinTrace();
    sendWithReporter(Encoding.JSON, SpanBytesEncoder.JSON_V2, spans);
    List<Span> expected = spans.stream().map(RealClientsContract::expected).toList();
    assertThat(read(expected)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void zipkinReporterProto3() {
    List<zipkin2.Span> spans = zipkinTrace();
    sendWithReporter(Encoding.PROTO3, SpanBytesEncoder.PROTO3, spans);
    List<Span> expected = spans.stream().map(RealClientsContract::expected).toList();
    assertThat(read(expected)).containsExactlyInAnyOrderElementsOf(expected);
  }

  // ---- OTLP/JSON, by hand per the spec ------------------------------------------------------

  @Test
  void otlpJsonPerSpec() throws Exception {
    String trace = Payloads.hex(random, 16);
    String json;
    try (InputStream in = getClass().getResourceAsStream("/otlp-full.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("5b8efff798038103d269b633813fc60c", trace);
    }
    var r = h.post("/v1/traces", "application/json", Payloads.utf8(json));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{}");
    Span expected =
        Span.newBuilder()
            .traceId(TraceId.parse(trace))
            .spanId(0xeee19b7ec3c1b174L)
            .parentSpanId(0xeee19b7ec3c1b173L)
            .name("GET /cart")
            .service("checkout")
            .kind(SpanKind.SERVER)
            .startEpochNanos(1_700_000_000_123_456_789L)
            .durationNanos(100_000_000L)
            .status(StatusCode.ERROR, "boom")
            .remoteService("db")
            .addTag(Tag.of("http.status_code", 500L))
            .addTag(Tag.of("ratio", 0.5))
            .addTag(Tag.of("cached", true))
            .addTag(new Tag("ids", TagValue.of(List.of(TagValue.of("a"), TagValue.of("b")))))
            .addTag(Tag.of("map", "{k=v}"))
            .addLog(new SpanLog(1_700_000_000_200_000_000L, "exception", List.of(Tag.of("exception.type", "IOException"))))
            .addLink(new SpanLink(TraceId.parse("0102030405060708090a0b0c0d0e0f10"), 0xeee19b7ec3c1b174L, List.of(Tag.of("why", "batch"))))
            .addResource(Tag.of("host.name", "box-1"))
            .scope("lib", "1.2")
            .build();
    assertThat(storage.reader().getTrace(TraceId.parse(trace))).containsExactly(expected);
  }
}
