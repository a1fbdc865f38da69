package tracestore.query;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.query.TestServer.enc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.TraceId;

/**
 * Search over a generated dataset whose answers follow from how it is built: trace {@code i} has
 * checkout tags {@code color=COLORS[i%3]} (root span) and {@code size=SIZES[i%5]} (another span),
 * a longest checkout span of {@code i%50+1} ms, an inventory error when {@code i%7==0}, and starts
 * at {@code BASE + (i/2)} s, so pairs of traces tie on start time (paging must break ties by id).
 * The inventory spans carry the other colors and sizes: counter-examples for a per-service AND.
 */
class SearchCorrectnessTest {
  static final int N = 300;
  static final String[] COLORS = {"red", "green", "blue"};
  static final String[] SIZES = {"xs", "s", "m", "l", "xl"};
  static final long SEC = 1_000_000_000L;
  static final long MS = 1_000_000L;
  static final long BASE = Fixtures.NOW.getEpochSecond() * SEC - 2 * 3600 * SEC;
  static final ObjectMapper JSON = new ObjectMapper();

  static TestServer server;

  static TraceId traceId(int i) {
    long low = 0x9e3779b97f4a7c15L * (i + 1);
    return new TraceId(i % 2 == 0 ? 0 : 0x00c0ffee00000000L + i, low == 0 ? 1 : low);
  }

  static String hex(int i) {
    return ZipkinJsonWriter.traceIdHex(traceId(i));
  }

  static long start(int i) {
    return BASE + (i / 2) * SEC;
  }

  static List<Span> dataset() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      long rootDuration = (i % 50 + 1) * MS;
      long s0 = start(i);
      Span root =
          Span.newBuilder()
              .traceId(traceId(i))
              .spanId(3L * i + 1)
              .service("checkout")
              .name("place-order")
              .kind(SpanKind.SERVER)
              .startEpochNanos(s0)
              .durationNanos(rootDuration)
              .addTag("color", COLORS[i % 3])
              .build();
      Span call =
          Span.newBuilder()
              .traceId(traceId(i))
              .spanId(3L * i + 2)
              .parentSpanId(root.spanId())
              .service("checkout")
              .name("reserve")
              .kind(SpanKind.CLIENT)
              .remoteService("inventory")
              .startEpochNanos(s0 + 100)
              .durationNanos(rootDuration / 2)
              .addTag("size", SIZES[i % 5])
              .build();
      Span inventory =
          Span.newBuilder()
              .traceId(traceId(i))
              .spanId(3L * i + 3)
              .parentSpanId(call.spanId())
              .service("inventory")
              .name("reserve")
              .kind(SpanKind.SERVER)
              .startEpochNanos(s0 + 200)
              .durationNanos(rootDuration / 3)
              .addTag("color", COLORS[(i + 1) % 3])
              .addTag("size", SIZES[(i + 2) % 5])
              .status(i % 7 == 0 ? StatusCode.ERROR : StatusCode.UNSET, i % 7 == 0 ? "out of stock" : "")
              .build();
      spans.add(root);
      spans.add(call);
      spans.add(inventory);
    }
    return spans;
  }

  @BeforeAll
  static void startServer() {
    server =
        new TestServer(
            QueryService.newBuilder(TestStores.readerWith(dataset()))
                .clock(Fixtures.CLOCK)
                .ui(false)
                .build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A native query string and the trace numbers it must return. */
  static Stream<Arguments> queries() {
    return Stream.of(
        Arguments.of("service=checkout&lookback=1d", (IntPredicate) i -> true),
        Arguments.of("service=checkout&lookback=1d&tag=color%3Dred", (IntPredicate) i -> i % 3 == 0),
        Arguments.of(
            "service=checkout&lookback=1d&tag=color%3Dgreen&tag=size%3Dm",
            (IntPredicate) i -> i % 3 == 1 && i % 5 == 2),
        Arguments.of(
            "service=inventory&lookback=1d&tag=color%3Dgreen&tag=size%3Dm",
            (IntPredicate) i -> (i + 1) % 3 == 1 && (i + 2) % 5 == 2),
        Arguments.of(
            "service=checkout&lookback=1d&tag=color%3Dblue&minDuration=10ms&maxDuration=30ms",
            (IntPredicate) i -> i % 3 == 2 && i % 50 + 1 >= 10 && i % 50 + 1 <= 30),
        Arguments.of(
            "service=checkout&lookback=1d&operation=reserve&minDuration=20ms",
            (IntPredicate) i -> (i % 50 + 1) / 2.0 >= 20),
        Arguments.of("service=checkout&lookback=1d&minDuration=50ms", (IntPredicate) i -> i % 50 == 49),
        Arguments.of("service=checkout&lookback=1d&maxDuration=1ms", (IntPredicate) i -> i % 50 == 0),
        Arguments.of("service=inventory&lookback=1d&error=true", (IntPredicate) i -> i % 7 == 0),
        Arguments.of("service=checkout&lookback=1d&error=true", (IntPredicate) i -> false),
        Arguments.of("service=checkout&lookback=1d&remoteService=inventory&tag=size%3Dxl", (IntPredicate) i -> i % 5 == 4),
        Arguments.of(
            "service=checkout&start=" + (start(100) / MS) + "&end=" + (start(199) / MS) + "&tag=color%3Dred",
            (IntPredicate) i -> i >= 100 && i <= 199 && i % 3 == 0),
        Arguments.of(
            "service=checkout&start=" + java.time.Instant.ofEpochSecond(start(250) / SEC)
                + "&end=" + java.time.Instant.ofEpochSecond(start(259) / SEC),
            (IntPredicate) i -> i >= 250 && i <= 259));
  }

  @ParameterizedTest
  @MethodSource("queries")
  void pagedNativeSearch_returnsExactlyTheKnownAnswer_noHitLostOrRepeated(String query, IntPredicate expected)
      throws IOException {
    List<Integer> want = IntStream.range(0, N).filter(expected).boxed().toList();
    List<String> wantIds = new ArrayList<>();
    // Newest first, ties on start broken by trace id descending.
    want.stream()
        .sorted((a, b) -> start(a) != start(b) ? Long.compare(start(b), start(a)) : traceId(b).compareTo(traceId(a)))
        .forEach(i -> wantIds.add(hex(i)));

    int limit = 7;
    List<String> got = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    while (true) {
      String path = "/api/native/search?" + query + "&limit=" + limit + "&summary=false"
          + (cursor == null ? "" : "&cursor=" + enc(cursor));
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
      JsonNode page = JSON.readTree(r.body());
      pages++;
      for (JsonNode hit : page.get("hits")) got.add(hit.get("traceId").asText());
      boolean complete = page.get("complete").asBoolean();
      if (complete) {
        assertThat(page.get("nextCursor").isNull()).isTrue();
        assertThat(page.get("hits").size()).isLessThanOrEqualTo(limit);
        break;
      }
      assertThat(page.get("hits").size()).as("an incomplete page is full").isEqualTo(limit);
      cursor = page.get("nextCursor").asText();
      assertThat(pages).as("paging terminates").isLessThan(N);
    }
    assertThat(new HashSet<>(got)).as("no hit repeated").hasSize(got.size());
    assertThat(got).as("every hit, in order, none lost").containsExactlyElementsOf(wantIds);
    int fullPages = (want.size() + limit - 1) / limit;
    assertThat(pages).as("no wasted pages").isBetween(Math.max(1, fullPages), fullPages + 1);
  }

  @Test
  void completeIsTrueOnlyWhenNothingIsLeft() throws IOException {
    // Exactly 100 checkout traces are red; limit 100 returns them all and must say complete.
    JsonNode all = JSON.readTree(server.get("/api/native/search?service=checkout&lookback=1d&tag=color%3Dred&limit=100&summary=false").body());
    assertThat(all.get("hits").size()).isEqualTo(100);
    JsonNode partial = JSON.readTree(server.get("/api/native/search?service=checkout&lookback=1d&tag=color%3Dred&limit=99&summary=false").body());
    assertThat(partial.get("hits").size()).isEqualTo(99);
    assertThat(partial.get("complete").asBoolean()).isFalse();
    assertThat(partial.get("nextCursor").isTextual()).isTrue();
    JsonNode rest = JSON.readTree(server.get("/api/native/search?service=checkout&lookback=1d&tag=color%3Dred&limit=99&summary=false&cursor=" + enc(partial.get("nextCursor").asText())).body());
    assertThat(rest.get("hits").size()).isEqualTo(1);
    assertThat(rest.get("complete").asBoolean()).isTrue();
  }

  @Test
  void summariesDescribeEachHit() throws IOException {
    JsonNode page = JSON.readTree(server.get("/api/native/search?service=inventory&lookback=1d&error=true&limit=3").body());
    assertThat(page.get("hits").size()).isEqualTo(3);
    for (JsonNode hit : page.get("hits")) {
      assertThat(hit.get("rootService").asText()).isEqualTo("checkout");
      assertThat(hit.get("rootName").asText()).isEqualTo("place-order");
      assertThat(hit.get("spanCount").asInt()).isEqualTo(3);
      assertThat(hit.get("errorCount").asInt()).isEqualTo(1);
      assertThat(hit.get("services").toString()).isEqualTo("[\"checkout\",\"inventory\"]");
      assertThat(hit.get("durationNanos").asLong()).isPositive();
    }
  }

  @ParameterizedTest
  @MethodSource("queries")
  void zipkinSearch_agreesWithTheKnownAnswer(String nativeQuery, IntPredicate expected) throws IOException {
    String zipkin = toZipkin(nativeQuery);
    if (zipkin == null) return; // the time-window cases use native units only
    Set<String> want = new LinkedHashSet<>();
    IntStream.range(0, N).filter(expected).forEach(i -> want.add(hex(i)));
    HttpResponse<String> r = server.get("/api/v2/traces?" + zipkin + "&limit=1000");
    assertThat(r.statusCode()).as(zipkin + " -> " + r.body()).isEqualTo(200);
    Set<String> got = new HashSet<>();
    for (JsonNode trace : JSON.readTree(r.body())) got.add(trace.get(0).get("traceId").asText());
    assertThat(got).as(zipkin).isEqualTo(want);
  }

  @Test
  void zipkinSearchWithoutService_matchesWhenOneServiceHasEveryTag() throws IOException {
    // color=red and size=m: on checkout for i%3==0 && i%5==2, on inventory for (i+1)%3==0 &&
    // (i+2)%5==2. A trace with red on checkout but m only on inventory must not match.
    Set<String> want = new HashSet<>();
    IntStream.range(0, N)
        .filter(i -> (i % 3 == 0 && i % 5 == 2) || ((i + 1) % 3 == 0 && (i + 2) % 5 == 2))
        .forEach(i -> want.add(hex(i)));
    HttpResponse<String> r =
        server.get("/api/v2/traces?lookback=86400000&limit=1000&annotationQuery=" + enc("color=red and size=m"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Set<String> got = new HashSet<>();
    for (JsonNode trace : JSON.readTree(r.body())) got.add(trace.get(0).get("traceId").asText());
    assertThat(got).isEqualTo(want);

    // With a small limit: the newest ones, in order.
    List<String> newest = new ArrayList<>();
    IntStream.range(0, N)
        .filter(i -> (i % 3 == 0 && i % 5 == 2) || ((i + 1) % 3 == 0 && (i + 2) % 5 == 2))
        .boxed()
        .sorted((a, b) -> start(a) != start(b) ? Long.compare(start(b), start(a)) : traceId(b).compareTo(traceId(a)))
        .limit(5)
        .forEach(i -> newest.add(hex(i)));
    List<String> got5 = new ArrayList<>();
    for (JsonNode trace : JSON.readTree(server.get("/api/v2/traces?lookback=86400000&limit=5&annotationQuery="
        + enc("color=red and size=m")).body())) {
      got5.add(trace.get(0).get("traceId").asText());
    }
    assertThat(got5).containsExactlyElementsOf(newest);
  }

  /** The same query in Zipkin's parameters (durations in µs), or null when it has no equivalent. */
  static String toZipkin(String q) {
    if (q.contains("start=")) return null;
    List<String> out = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    for (String part : q.split("&")) {
      String[] kv = part.split("=", 2);
      String v = java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8);
      switch (kv[0]) {
        case "service" -> out.add("serviceName=" + v);
        case "operation" -> out.add("spanName=" + v);
        case "remoteService" -> out.add("remoteServiceName=" + v);
        case "tag" -> tags.add(v);
        case "error" -> tags.add("error");
        case "minDuration" -> out.add("minDuration=" + Long.parseLong(v.replace("ms", "")) * 1000);
        case "maxDuration" -> out.add("maxDuration=" + Long.parseLong(v.replace("ms", "")) * 1000);
        case "lookback" -> out.add("lookback=86400000");
        default -> throw new AssertionError(part);
      }
    }
    if (!tags.isEmpty()) out.add("annotationQuery=" + enc(String.join(" and ", tags)));
    return String.join("&", out);
  }
}
