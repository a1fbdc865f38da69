package tracestore.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The native API over the known checkout trace of {@link Fixtures}. */
class NativeApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MS = 1_000_000L;
  static TestServer server;

  @BeforeAll
  static void start() {
    server =
        new TestServer(
            QueryService.newBuilder(TestStores.readerWith(Fixtures.spans()))
                .clock(Fixtures.CLOCK)
                .ui(false)
                .build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode ok(String path) throws IOException {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void traceById_treeSelfTimeCriticalPathAndShares() throws IOException {
    JsonNode t = ok("/api/native/traces/463ac35c9f6413ad");
    assertThat(t.get("traceId").asText()).isEqualTo("463ac35c9f6413ad");
    assertThat(t.get("spanCount").asInt()).isEqualTo(4);
    assertThat(t.get("durationNanos").asLong()).isEqualTo(150 * MS);
    assertThat(t.get("startEpochNanos").asLong()).isEqualTo(Fixtures.T0);
    assertThat(t.get("errorCount").asInt()).isEqualTo(2);
    assertThat(t.get("services").toString()).isEqualTo("[\"frontend\",\"payment\"]");

    // The tree, depth first: frontend server -> frontend client -> payment server -> payment client.
    List<String> ids = new ArrayList<>();
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode s : t.get("spans")) {
      ids.add(s.get("spanId").asText());
      byId.put(s.get("spanId").asText(), s);
    }
    assertThat(ids).containsExactly("1a2b3c4d5e6f7081", "2a2b3c4d5e6f7082", "3a2b3c4d5e6f7083", "4a2b3c4d5e6f7084");
    assertThat(byId.get("1a2b3c4d5e6f7081").has("parentId")).isFalse();
    assertThat(byId.get("4a2b3c4d5e6f7084").get("parentId").asText()).isEqualTo("3a2b3c4d5e6f7083");
    int rootDepth = byId.get("1a2b3c4d5e6f7081").get("depth").asInt();
    assertThat(byId.get("4a2b3c4d5e6f7084").get("depth").asInt()).isEqualTo(rootDepth + 3);

    // Sequential calls: self time = own duration minus the child's; so is the critical-path time.
    Map<String, Long> self = Map.of(
        "1a2b3c4d5e6f7081", 150 * MS - (100 * MS + 500),
        "2a2b3c4d5e6f7082", 100 * MS + 500 - 95 * MS,
        "3a2b3c4d5e6f7083", 94 * MS,
        "4a2b3c4d5e6f7084", 1 * MS);
    self.forEach((id, nanos) -> {
      assertThat(byId.get(id).get("selfTimeNanos").asLong()).as("self " + id).isEqualTo(nanos);
      assertThat(byId.get(id).get("criticalPathNanos").asLong()).as("critical " + id).isEqualTo(nanos);
    });
    long pathTotal = 0;
    for (JsonNode seg : t.get("criticalPath")) pathTotal += seg.get("durationNanos").asLong();
    assertThat(pathTotal).isEqualTo(150 * MS);

    JsonNode shares = t.get("serviceShares");
    assertThat(shares.get(0).get("service").asText()).isEqualTo("payment");
    assertThat(shares.get(0).get("criticalPathNanos").asLong()).isEqualTo(95 * MS);
    assertThat(shares.get(0).get("criticalPathFraction").asDouble()).isCloseTo(95.0 / 150, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(shares.get(1).get("service").asText()).isEqualTo("frontend");
    assertThat(shares.get(1).get("criticalPathNanos").asLong()).isEqualTo(55 * MS);

    assertThat(t.get("bottleneck").get("service").asText()).isEqualTo("payment");
    assertThat(t.get("bottleneck").get("spanId").asText()).isEqualTo("3a2b3c4d5e6f7083");
    assertThat(byId.get("3a2b3c4d5e6f7083").get("bottleneck").asBoolean()).isTrue();

    // Typed tags and logs with fields survive in the native view.
    assertThat(byId.get("1a2b3c4d5e6f7081").get("tags").get("http.status_code").isNumber()).isTrue();
    JsonNode logs = byId.get("3a2b3c4d5e6f7083").get("logs");
    assertThat(logs.get(1).get("fields").get("reason").asText()).isEqualTo("timeout");
    assertThat(byId.get("2a2b3c4d5e6f7082").get("status").asText()).isEqualTo("ERROR");
  }

  @Test
  void traceById_128BitAndUnknown() throws IOException {
    JsonNode t = ok("/api/native/traces/5af7183fb1d4cf5f6b221d5bc9e6496c");
    assertThat(t.get("spanCount").asInt()).isEqualTo(2);
    HttpResponse<String> missing = server.get("/api/native/traces/00000000000000ff");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("00000000000000ff");
    assertThat(server.get("/api/native/traces/zz").statusCode()).isEqualTo(400);
  }

  @Test
  void servicesAndOperations() throws IOException {
    assertThat(ok("/api/native/services").get("services").toString())
        .isEqualTo("[\"batch\",\"frontend\",\"payment\"]");
    JsonNode ops = ok("/api/native/services/frontend/operations");
    assertThat(ops.get("service").asText()).isEqualTo("frontend");
    assertThat(ops.get("operations").toString())
        .isEqualTo("[{\"name\":\"get /checkout\",\"kind\":\"SERVER\"},{\"name\":\"post /pay\",\"kind\":\"CLIENT\"}]");
  }

  @Test
  void searchWithEveryPredicateAtOnce() throws IOException {
    JsonNode r = ok("/api/native/search?service=frontend&operation=post%20/pay&remoteService=payment"
        + "&tag=http.method%3DGET&tag=http.status_code%3D200&minDuration=100ms&maxDuration=150ms"
        + "&start=" + (Fixtures.T0 / MS) + "&end=" + Fixtures.NOW.toString() + "&error=true&limit=5");
    assertThat(r.get("hits").size()).isEqualTo(1);
    assertThat(r.get("hits").get(0).get("traceId").asText()).isEqualTo("463ac35c9f6413ad");
    assertThat(r.get("complete").asBoolean()).isTrue();
    // One predicate off and nothing matches: the post /pay span lasts 100.0005 ms.
    JsonNode none = ok("/api/native/search?service=frontend&operation=post%20/pay&remoteService=payment"
        + "&tag=http.method%3DGET&tag=http.status_code%3D200&minDuration=100ms&maxDuration=100ms"
        + "&start=" + (Fixtures.T0 / MS) + "&error=true");
    assertThat(none.get("hits").size()).isZero();
  }

  @Test
  void dependencies() throws IOException {
    JsonNode d = ok("/api/native/dependencies?end=" + Fixtures.NOW + "&lookback=1h");
    assertThat(d.get("links").toString())
        .isEqualTo("[{\"parent\":\"frontend\",\"child\":\"payment\",\"calls\":1,\"errors\":1},"
            + "{\"parent\":\"payment\",\"child\":\"postgres\",\"calls\":1,\"errors\":0}]");
    assertThat(d.get("tracesLinked").asInt()).isEqualTo(2);
    assertThat(d.get("complete").asBoolean()).isTrue();
    assertThat(d.get("endEpochNanos").asLong() - d.get("startEpochNanos").asLong()).isEqualTo(3_600_000_000_000L);
    assertThat(ok("/api/native/dependencies?end=" + Fixtures.NOW + "&lookback=59s").get("links").size()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/native/search?service=a&minDuration=10|minDuration",
        "/api/native/search?service=a&maxDuration=fast|maxDuration",
        "/api/native/search?service=a&minDuration=2s&maxDuration=1s|maxDuration",
        "/api/native/search?service=a&start=yesterday|start",
        "/api/native/search?service=a&end=2026-13-01|end",
        "/api/native/search?service=a&start=1000&lookback=1h|lookback",
        "/api/native/search?service=a&lookback=1y|lookback",
        "/api/native/search?service=a&tag=novalue|tag",
        "/api/native/search?tag=k%3Dv|service",
        "/api/native/search?operation=x|service",
        "/api/native/search?service=a&limit=0|limit",
        "/api/native/search?service=a&limit=1001|limit",
        "/api/native/search?service=a&error=maybe|error",
        "/api/native/search?service=a&start=2000&end=1000|end",
        "/api/native/search?service=a&cursor=garbage|cursor",
        "/api/native/dependencies?lookback=forever|lookback",
      })
  void badSearchParameters_are400NamingTheParameter(String path, String named) {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
    assertThat(r.body()).as(path).contains(named);
  }
}
