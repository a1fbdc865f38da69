package tracestore.ingest;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.Server;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import tracestore.schema.TestDatabases;
import tracestore.storage.IndexPolicy;
import tracestore.storage.Storage;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.jdbc.JdbcStorage;

/**
 * A manual load tool, not a test: realistic multi-service traces over OTLP/HTTP protobuf on
 * loopback into one backend, reporting acknowledged spans/s, p50/p99 acknowledgement latency and
 * process CPU. Client and server share the JVM and the machine's cores.
 *
 * <pre>
 * ./mvnw -q -B -pl storage-api,schema,storage-jdbc,ingest -am test-compile \
 *   dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/cp.txt) \
 *   tracestore.ingest.IngestLoad sqlite 20 8 100
 * </pre>
 *
 * Arguments: backend (memory, sqlite, postgres), seconds, connections, spans per request. Or
 * {@code decode [seconds]} for single-thread decode and encode rates, or {@code raw backend
 * seconds [inFlight]} for the backend's own write rate without HTTP.
 */
public final class IngestLoad {
  private static final String[] SERVICES = {
    "frontend", "gateway", "auth", "cart", "catalog", "payments", "inventory", "postgres-proxy"
  };

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("decode")) {
      decode(args.length > 1 ? Integer.parseInt(args[1]) : 10);
      return;
    }
    if (args.length > 0 && args[0].equals("raw")) {
      raw(args[1], Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 4);
      return;
    }
    String backend = args.length > 0 ? args[0] : "memory";
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int spansPerRequest = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    Storage storage = open(backend);
    IngestService ingest =
        IngestService.builder(storage.writer())
            .config(IngestConfig.newBuilder().otlpGrpcPort(0).otlpHttpPort(-1).zipkinPort(-1).build())
            .build();
    Server server = ingest.registerOn(Server.builder()).build();
    server.start().join();
    String url = "http://127.0.0.1:" + server.activeLocalPort() + "/v1/traces";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    run(client, url, connections, spansPerRequest, 3); // warm-up
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();

    long spans = run(client, url, connections, spansPerRequest, seconds);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double cpuCores = (os.getProcessCpuTime() - cpu0) / 1e9 / elapsed;
    server.stop().join();
    ingest.close();
    storage.close();
    double rate = spans / elapsed;
    System.out.printf(
        "backend=%s connections=%d spans/request=%d: %.0f spans/s acknowledged, p50 %.1f ms, p99 %.1f ms,"
            + " process CPU %.2f cores = %.2f cores per 10k spans/s%n",
        backend, connections, spansPerRequest, rate, LATENCIES.p(0.50), LATENCIES.p(0.99), cpuCores,
        cpuCores / (rate / 10_000));
  }

  /** One thread: OTLP protobuf and OTLP/JSON decode, and WriteBatches (group, encode, index). */
  static void decode(int seconds) throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    List<byte[]> protos = new ArrayList<>();
    List<byte[]> jsons = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ExportTraceServiceRequest r = request(random, 100);
      protos.add(r.toByteArray());
      jsons.add(hexIds(com.google.protobuf.util.JsonFormat.printer().print(r), r).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    tracestore.storage.WriteBatches batches = tracestore.storage.WriteBatches.create(IndexPolicy.everyKey());
    for (String phase : new String[] {"warm-up", "measure"}) {
      long protoSpans = 0;
      long jsonSpans = 0;
      long encoded = 0;
      long per = seconds * 1_000_000_000L / 3;
      long end = System.nanoTime() + per;
      for (int i = 0; System.nanoTime() < end; i++) {
        protoSpans += tracestore.ingest.otlp.OtlpDecoder.decodeProtobuf(protos.get(i % protos.size()), SpanLimits.DEFAULTS).spans().size();
      }
      end = System.nanoTime() + per;
      for (int i = 0; System.nanoTime() < end; i++) {
        jsonSpans += tracestore.ingest.otlp.OtlpDecoder.decodeJson(jsons.get(i % jsons.size()), SpanLimits.DEFAULTS).spans().size();
      }
      List<List<tracestore.storage.model.Span>> decoded = new ArrayList<>();
      for (byte[] p : protos) decoded.add(tracestore.ingest.otlp.OtlpDecoder.decodeProtobuf(p, SpanLimits.DEFAULTS).spans());
      end = System.nanoTime() + per;
      for (int i = 0; System.nanoTime() < end; i++) {
        encoded += batches.toBatch(decoded.get(i % decoded.size())).spanCount();
      }
      if (phase.equals("measure")) {
        double secs = per / 1e9;
        System.out.printf(
            "one thread: OTLP protobuf decode %.0f spans/s, OTLP/JSON decode %.0f spans/s, WriteBatches.toBatch %.0f spans/s (%d B protobuf per 100-span request)%n",
            protoSpans / secs, jsonSpans / secs, encoded / secs, protos.get(0).length);
      }
    }
  }

  /** JsonFormat prints ids as base64; OTLP/JSON wants hex. */
  static String hexIds(String json, ExportTraceServiceRequest r) {
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span sp : ss.getSpansList()) {
          for (ByteString id : List.of(sp.getTraceId(), sp.getSpanId(), sp.getParentSpanId())) {
            if (id.isEmpty()) continue;
            String b64 = java.util.Base64.getEncoder().encodeToString(id.toByteArray());
            StringBuilder hex = new StringBuilder();
            for (byte x : id.toByteArray()) hex.append(String.format("%02x", x));
            json = json.replace("\"" + b64 + "\"", "\"" + hex + "\"");
          }
        }
      }
    }
    return json;
  }

  /** The backend's own ceiling: pre-encoded batches of 100 spans written with N in flight. */
  static void raw(String backend, int seconds, int inFlight) throws Exception {
    Storage storage = open(backend);
    tracestore.storage.WriteBatches batches = tracestore.storage.WriteBatches.create(IndexPolicy.everyKey());
    SplittableRandom random = new SplittableRandom(2);
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
    AtomicLong spans = new AtomicLong();
    long t0 = System.nanoTime();
    long end = t0 + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      tracestore.storage.WriteBatch b =
          batches.toBatch(tracestore.ingest.otlp.OtlpDecoder.decode(request(random, 100), SpanLimits.DEFAULTS).spans());
      slots.acquire();
      storage.writer().write(b).whenComplete((v, e) -> {
        if (e == null) spans.addAndGet(b.spanCount());
        slots.release();
      });
    }
    slots.acquire(inFlight);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    storage.close();
    System.out.printf("raw %s: %.0f spans/s (batches of 100 spans, %d writes in flight, encoding on the caller thread)%n",
        backend, spans.get() / elapsed, inFlight);
  }

  static Storage open(String backend) throws Exception {
    switch (backend) {
      case "memory":
        return new InMemoryStorage();
      case "sqlite":
        Path dir = Files.createTempDirectory("ingest-load");
        return JdbcStorage.newBuilder().sqlite(dir.resolve("tracestore.db")).migrate(true).build();
      case "postgres":
        String schema = "ingest_load";
        TestDatabases.freshPostgresSchema(schema);
        return JdbcStorage.newBuilder().postgres(TestDatabases.postgresUrl()).schema(schema).migrate(true).build();
      default:
        throw new IllegalArgumentException("backend must be memory, sqlite or postgres: " + backend);
    }
  }

  /** Latencies of the measured run, in nanoseconds. */
  static final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = nanos;
    }

    synchronized void clear() {
      size = 0;
    }

    synchronized double p(double q) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
    }
  }

  static final Latencies LATENCIES = new Latencies();

  static long run(HttpClient client, String url, int connections, int spansPerRequest, int seconds)
      throws InterruptedException {
    LATENCIES.clear();
    AtomicLong spans = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      SplittableRandom random = new SplittableRandom(c * 7919L + System.nanoTime());
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    byte[] body = request(random, spansPerRequest).toByteArray();
                    HttpRequest req =
                        HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/x-protobuf")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
                    long s = System.nanoTime();
                    HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                      LATENCIES.add(System.nanoTime() - s);
                      spans.addAndGet(spansPerRequest);
                    } else {
                      failures.incrementAndGet();
                      Thread.sleep(50);
                    }
                  }
                } catch (Exception e) {
                  failures.incrementAndGet();
                } finally {
                  done.countDown();
                }
              },
              "load-" + c);
      t.start();
    }
    done.await();
    if (failures.get() > 0) System.out.println("non-200 answers or errors: " + failures.get());
    return spans.get();
  }

  /** Traces of 6 to 10 spans over a frontend -> gateway -> services -> database shape. */
  static ExportTraceServiceRequest request(SplittableRandom r, int spanCount) {
    Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    int made = 0;
    while (made < spanCount) {
      byte[] trace = new byte[16];
      for (int i = 0; i < 16; i++) trace[i] = (byte) r.nextInt(256);
      trace[15] |= 1;
      int n = Math.min(spanCount - made, 6 + r.nextInt(5));
      List<byte[]> ids = new ArrayList<>();
      long start = now - r.nextInt(1_000_000_000);
      for (int i = 0; i < n; i++) {
        byte[] id = new byte[8];
        for (int j = 0; j < 8; j++) id[j] = (byte) r.nextInt(256);
        id[7] |= 1;
        ids.add(id);
        String service = i == 0 ? "frontend" : i == 1 ? "gateway" : SERVICES[2 + r.nextInt(SERVICES.length - 2)];
        long s = start + i * 1_000_000L;
        boolean error = r.nextInt(50) == 0;
        io.opentelemetry.proto.trace.v1.Span.Builder span =
            io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(ByteString.copyFrom(trace))
                .setSpanId(ByteString.copyFrom(id))
                .setName(i == 0 ? "GET /checkout" : service + ".handle" + r.nextInt(8))
                .setKind(i == 0 ? io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER
                    : io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(s)
                .setEndTimeUnixNano(s + 1_000_000L + r.nextInt(50_000_000))
                .addAttributes(kv("http.method", "GET"))
                .addAttributes(kv("http.route", "/api/v1/" + service + "/" + r.nextInt(20)))
                .addAttributes(kv("user.id", "u" + r.nextInt(100_000)))
                .addAttributes(KeyValue.newBuilder().setKey("http.status_code")
                    .setValue(AnyValue.newBuilder().setIntValue(error ? 500 : 200)))
                .addAttributes(kv("net.peer.name", "10.0." + r.nextInt(255) + "." + r.nextInt(255)))
                .setStatus(Status.newBuilder().setCode(error ? Status.StatusCode.STATUS_CODE_ERROR
                    : Status.StatusCode.STATUS_CODE_UNSET));
        if (i > 0) span.setParentSpanId(ByteString.copyFrom(ids.get(i == 1 ? 0 : 1)));
        byService
            .computeIfAbsent(service, k -> ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("2.1")))
            .addSpans(span);
      }
      made += n;
    }
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    byService.forEach(
        (service, scope) ->
            req.addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder()
                        .addAttributes(kv("service.name", service))
                        .addAttributes(kv("host.name", service + "-7d9f"))
                        .addAttributes(kv("telemetry.sdk.language", "java")))
                    .addScopeSpans(scope)));
    return req.build();
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }
}
