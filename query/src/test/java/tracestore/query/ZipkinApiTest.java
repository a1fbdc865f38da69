package tracestore.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.query.TestServer.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Each Zipkin v2 endpoint against recorded expectations of its JSON (src/test/resources/zipkin),
 * over HTTP to a real server, under both {@code /api/v2} and {@code /zipkin/api/v2}.
 */
class ZipkinApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() {
    server =
        new TestServer(
            QueryService.newBuilder(TestStores.readerWith(Fixtures.spans())).clock(Fixtures.CLOCK).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode fixture(String name) {
    try (InputStream in = ZipkinApiTest.class.getResourceAsStream("/zipkin/" + name)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static JsonNode okJson(String path) {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("application/json");
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(path + " is not JSON: " + r.body(), e);
    }
  }

  /** Same field names, types (string vs number vs boolean) and values; order of object fields free. */
  static void assertShape(String path, JsonNode expected) {
    for (String prefix : List.of("/api/v2", "/zipkin/api/v2")) {
      assertThat(okJson(prefix + path)).as(prefix + path).isEqualTo(expected);
    }
  }

  static ArrayNode traces(String... fixtures) {
    ArrayNode out = JSON.createArrayNode();
    for (String f : fixtures) out.add(fixture(f));
    return out;
  }

  @Test
  void services() {
    assertShape("/services", fixture("services.json"));
  }

  @Test
  void spanNames() {
    assertShape("/spans?serviceName=frontend", fixture("spans-frontend.json"));
    assertShape("/spans?serviceName=nobody", JSON.createArrayNode());
  }

  @Test
  void remoteServices() {
    assertShape("/remoteServices?serviceName=frontend", fixture("remoteServices-frontend.json"));
  }

  @Test
  void traceById_64And128Bit() {
    assertShape("/trace/463ac35c9f6413ad", fixture("trace-checkout.json"));
    // A 64-bit id asked for with 32 characters is the same trace.
    assertShape("/trace/0000000000000000463ac35c9f6413ad", fixture("trace-checkout.json"));
    assertShape("/trace/5af7183fb1d4cf5f6b221d5bc9e6496c", fixture("trace-batch.json"));
  }

  @Test
  void fieldOrderAndBytesAreZipkinsOwn() {
    // Zipkin's own decoder reads our JSON, and its encoder writes back the very same bytes: the
    // field order, omissions and number formats are Zipkin's.
    for (String id : List.of("463ac35c9f6413ad", "5af7183fb1d4cf5f6b221d5bc9e6496c")) {
      byte[] ours = server.get("/api/v2/trace/" + id).body().getBytes(UTF_8);
      List<zipkin2.Span> decoded = SpanBytesDecoder.JSON_V2.decodeList(ours);
      assertThat(decoded).isNotEmpty();
      assertThat(new String(SpanBytesEncoder.JSON_V2.encodeList(decoded), UTF_8))
          .isEqualTo(new String(ours, UTF_8));
    }
  }

  @Test
  void responsesAreGzippedWhenAccepted() throws IOException {
    String plain = server.get("/api/v2/traces").body();
    HttpResponse<byte[]> r = server.getGzip("/api/v2/traces");
    assertThat(r.headers().firstValue("content-encoding")).contains("gzip");
    try (java.util.zip.GZIPInputStream in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo(plain);
    }
    assertThat(r.body().length).isLessThan(plain.length());
  }

  @Test
  void tracesWithDefaults_newestFirst() {
    // endTs defaults to now (the fixed clock), lookback to a day: both traces, newest first.
    assertShape("/traces", traces("trace-checkout.json", "trace-batch.json"));
    assertShape("/traces?limit=1", traces("trace-checkout.json"));
  }

  @Test
  void tracesByEachPredicate() {
    assertShape("/traces?serviceName=payment&annotationQuery=error", traces("trace-checkout.json"));
    assertShape("/traces?serviceName=batch&annotationQuery=error", JSON.createArrayNode());
    assertShape(
        "/traces?serviceName=frontend&annotationQuery=" + enc("http.method=GET and http.status_code=200"),
        traces("trace-checkout.json"));
    assertShape(
        "/traces?serviceName=frontend&annotationQuery=" + enc("http.method=GET and http.status_code=500"),
        JSON.createArrayNode());
    assertShape("/traces?serviceName=payment&spanName=select", traces("trace-checkout.json"));
    assertShape("/traces?serviceName=payment&spanName=all", traces("trace-checkout.json"));
    assertShape("/traces?serviceName=payment&spanName=insert", JSON.createArrayNode());
    assertShape("/traces?serviceName=payment&remoteServiceName=postgres", traces("trace-checkout.json"));
    assertShape("/traces?serviceName=frontend&remoteServiceName=postgres", JSON.createArrayNode());
    // minDuration/maxDuration are microseconds; the longest frontend span is 150000 µs.
    assertShape("/traces?serviceName=frontend&minDuration=150000", traces("trace-checkout.json"));
    assertShape("/traces?serviceName=frontend&minDuration=150001", JSON.createArrayNode());
    assertShape("/traces?serviceName=frontend&minDuration=1&maxDuration=149999", JSON.createArrayNode());
  }

  @Test
  void tracesWithoutServiceName_searchEachService() {
    assertShape("/traces?annotationQuery=" + enc("db.system=postgresql"), traces("trace-checkout.json"));
    assertShape("/traces?annotationQuery=" + enc("http.method=GET and db.system=postgresql"), JSON.createArrayNode());
    assertShape("/traces?spanName=nightly-report", traces("trace-batch.json"));
    assertShape("/traces?minDuration=100000", traces("trace-checkout.json"));
    assertShape("/traces?remoteServiceName=postgres", traces("trace-checkout.json"));
    assertShape("/traces?annotationQuery=error", traces("trace-checkout.json"));
  }

  @Test
  void tracesWithoutServiceName_boundedByServiceCount() {
    try (TestServer small =
        new TestServer(
            QueryService.newBuilder(TestStores.readerWith(Fixtures.spans()))
                .clock(Fixtures.CLOCK)
                .maxServicesPerSearch(2)
                .ui(false)
                .build())) {
      HttpResponse<String> r = small.get("/api/v2/traces?annotationQuery=" + enc("http.method=GET"));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("serviceName is required").contains("3 services");
      assertThat(small.get("/api/v2/traces?serviceName=frontend&annotationQuery=" + enc("http.method=GET")).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void tracesTimeWindow_endTsAndLookbackAreMillis() {
    long checkoutMillis = Fixtures.T0 / 1_000_000;
    assertShape("/traces?endTs=" + checkoutMillis + "&lookback=1", traces("trace-checkout.json"));
    assertShape("/traces?endTs=" + (checkoutMillis - 1) + "&lookback=1000", JSON.createArrayNode());
    assertShape("/traces?lookback=60000", traces("trace-checkout.json"));
  }

  @Test
  void traceMany() {
    assertShape(
        "/traceMany?traceIds=5af7183fb1d4cf5f6b221d5bc9e6496c,463ac35c9f6413ad,00000000000000ff",
        traces("trace-batch.json", "trace-checkout.json"));
  }

  @Test
  void autocomplete() {
    assertShape("/autocompleteKeys", fixture("autocompleteKeys.json"));
    assertShape("/autocompleteValues?key=http.method", fixture("autocompleteValues-http.method.json"));
  }

  @Test
  void dependencies_fromRawSpans() {
    long end = Fixtures.NOW.toEpochMilli();
    assertShape("/dependencies?endTs=" + end + "&lookback=3600000", fixture("dependencies.json"));
    HttpResponse<String> r = server.get("/api/v2/dependencies?endTs=" + end + "&lookback=3600000");
    assertThat(r.headers().firstValue(QueryService.LINKED_TRACES_HEADER)).contains("2");
    assertThat(r.headers().firstValue(QueryService.LINKS_COMPLETE_HEADER)).contains("true");
    assertShape("/dependencies?endTs=" + (end - 3_600_000) + "&lookback=60000", JSON.createArrayNode());
  }

  @Test
  void dependencies_boundedAndSaysSo() {
    try (TestServer small =
        new TestServer(
            QueryService.newBuilder(TestStores.readerWith(Fixtures.spans()))
                .clock(Fixtures.CLOCK)
                .dependencyTraceLimit(1)
                .ui(false)
                .build())) {
      HttpResponse<String> r = small.get("/api/v2/dependencies?endTs=" + Fixtures.NOW.toEpochMilli());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue(QueryService.LINKED_TRACES_HEADER)).contains("1");
      assertThat(r.headers().firstValue(QueryService.LINKS_COMPLETE_HEADER)).contains("false");
    }
  }

  @Test
  void unknownTrace_is404() {
    for (String prefix : List.of("/api/v2", "/zipkin/api/v2")) {
      HttpResponse<String> r = server.get(prefix + "/trace/00000000000000ff");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).isEqualTo("00000000000000ff not found");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/trace/xyz|traceId",
        "/trace/463ac35c9f6413a|traceId",
        "/trace/463ac35c9f6413adg463ac35c9f6413a|traceId",
        "/spans|serviceName",
        "/remoteServices|serviceName",
        "/autocompleteValues|key",
        "/traceMany?traceIds=|traceIds",
        "/traceMany?traceIds=463ac35c9f6413ad|traceIds",
        "/traceMany?traceIds=463ac35c9f6413ad,463ac35c9f6413ad|traceIds",
        "/traceMany?traceIds=463ac35c9f6413ad,nothex|traceIds",
        "/traces?limit=0|limit",
        "/traces?limit=ten|limit",
        "/traces?limit=10001|limit",
        "/traces?minDuration=-5&serviceName=a|minDuration",
        "/traces?serviceName=a&maxDuration=1.5|maxDuration",
        "/traces?serviceName=a&minDuration=20&maxDuration=10|maxDuration",
        "/traces?endTs=yesterday|endTs",
        "/traces?lookback=-1|lookback",
        "/traces?serviceName=a&annotationQuery=retry|key=value",
        "/traces?serviceName=a&annotationQuery=%3Dvalue|annotationQuery",
        "/dependencies|endTs",
        "/dependencies?endTs=now|endTs",
      })
  void badParameters_are400NamingTheParameter(String path, String named) {
    for (String prefix : List.of("/api/v2", "/zipkin/api/v2")) {
      HttpResponse<String> r = server.get(prefix + path);
      assertThat(r.statusCode()).as(prefix + path + " -> " + r.body()).isEqualTo(400);
      assertThat(r.body()).as(prefix + path).contains(named);
      assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/plain");
    }
  }

  @Test
  void bareErrorIsErrorOnly_otherBareKeysExplainKeyValue() {
    HttpResponse<String> r = server.get("/api/v2/traces?serviceName=frontend&annotationQuery=retry");
    assertThat(r.body()).contains("\"retry\"").contains("key=value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/zipkin/", "/zipkin/traces/463ac35c9f6413ad", "/zipkin/dependency"})
  void ui_servesIndexForItsRoutes(String path) {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/html");
    assertThat(r.body()).contains("<base href=\"/zipkin/\"");
  }

  @Test
  void ui_servesItsAssetsAndConfig() throws IOException {
    String index = server.get("/zipkin/").body();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"(/zipkin/static/js/[^\"]+)\"").matcher(index);
    assertThat(m.find()).as("script tag in " + index).isTrue();
    HttpResponse<String> js = server.get(m.group(1));
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type")).get().asString().contains("javascript");
    assertThat(js.body().length()).isGreaterThan(100_000);

    JsonNode config = okJson("/zipkin/config.json");
    assertThat(config.get("defaultLookback").asLong()).isEqualTo(900_000);
    assertThat(config.get("queryLimit").asInt()).isEqualTo(10);
    assertThat(config.get("searchEnabled").asBoolean()).isTrue();
    assertThat(config.get("dependency").get("enabled").asBoolean()).isTrue();

    assertThat(server.get("/zipkin/api/v2/nothing").statusCode()).isEqualTo(404);
    assertThat(server.get("/zipkin/static/js/missing.js").statusCode()).isIn(200, 404);
  }

  @Test
  void namesAreSortedStrings() {
    JsonNode services = okJson("/api/v2/services");
    String previous = "";
    for (Iterator<JsonNode> it = services.elements(); it.hasNext(); ) {
      JsonNode n = it.next();
      assertThat(n.isTextual()).isTrue();
      assertThat(n.asText()).isGreaterThan(previous);
      previous = n.asText();
    }
  }
}
