package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.server.cli.Main;

/** The wired server in this JVM on a temporary SQLite file: ingest, query, health, metrics, CLI. */
class ServerTest {
  @TempDir Path dir;

  private ServerConfig sqlite(String roles) {
    return ServerConfig.newBuilder()
        .set(Setting.SQLITE_PATH, dir.resolve("data/tracestore.db").toString())
        .set(Setting.BIND_ADDRESS, "127.0.0.1")
        .set(Setting.ROLES, roles)
        .set(Setting.OTLP_GRPC_PORT, Integer.toString(TestHttp.freePort()))
        .set(Setting.OTLP_HTTP_PORT, Integer.toString(TestHttp.freePort()))
        .set(Setting.ZIPKIN_PORT, Integer.toString(TestHttp.freePort()))
        .build();
  }

  static String hex(int chars) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < chars) sb.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L << 63));
    return sb.substring(0, chars);
  }

  @Test
  void embeddedDefaultServesIngestQueryHealthMetricsAndTheCli() throws Exception {
    ServerConfig config = sqlite("ingest,query");
    String zipkin = "http://127.0.0.1:" + config.zipkinPort();
    String traceId = hex(32);
    long nowMicros = System.currentTimeMillis() * 1000;
    String root = hex(16);
    String child = hex(16);
    String spans = "[{\"traceId\":\"" + traceId + "\",\"id\":\"" + root + "\",\"kind\":\"SERVER\","
        + "\"name\":\"get /checkout\",\"timestamp\":" + nowMicros + ",\"duration\":100000,"
        + "\"localEndpoint\":{\"serviceName\":\"frontend\"},\"tags\":{\"http.method\":\"GET\"}},"
        + "{\"traceId\":\"" + traceId + "\",\"parentId\":\"" + root + "\",\"id\":\"" + child + "\","
        + "\"kind\":\"CLIENT\",\"name\":\"select orders\",\"timestamp\":" + (nowMicros + 5000)
        + ",\"duration\":90000,\"localEndpoint\":{\"serviceName\":\"database\"}}]";

    try (TracestoreServer server = Wiring.start(config)) {
      assertThat(TestHttp.get(zipkin + "/health").statusCode()).isEqualTo(200);
      HttpResponse<String> posted =
          TestHttp.post(zipkin + "/api/v2/spans", "application/json", spans.getBytes(StandardCharsets.UTF_8));
      assertThat(posted.statusCode()).isEqualTo(202);
      HttpResponse<String> bad = TestHttp.post("http://127.0.0.1:" + config.otlpHttpPort() + "/v1/traces",
          "application/x-protobuf", new byte[] {(byte) 0xff, 0x01, 0x02});
      assertThat(bad.statusCode()).isEqualTo(400);

      HttpResponse<String> trace = TestHttp.get(zipkin + "/api/v2/trace/" + traceId);
      assertThat(trace.statusCode()).isEqualTo(200);
      assertThat(trace.body()).contains(root, child, "select orders");

      HttpResponse<String> health = TestHttp.get(zipkin + "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"", "\"kind\":\"sqlite\"");

      String metrics = TestHttp.get(zipkin + "/metrics").body();
      assertThat(metrics)
          .contains("tracestore_ingest_spans_received_total{protocol=\"zipkin\"} 2.0")
          .contains("tracestore_ingest_spans_accepted_total 2.0")
          .contains("tracestore_ingest_requests_rejected_total{reason=\"malformed\"} 1.0")
          .contains("tracestore_ingest_batch_spans_count")
          .contains("tracestore_ingest_queue_bytes")
          .contains("tracestore_ingest_write_latency_seconds_count{outcome=\"ok\"}")
          .contains("tracestore_ingest_write_retries_total")
          .contains("jvm_memory_used_bytes")
          .contains("process_uptime_seconds");

      StringWriter out = new StringWriter();
      int code = Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()))
          .execute("trace", "show", traceId, "--server", zipkin);
      assertThat(code).isZero();
      assertThat(out.toString())
          .contains("trace " + traceId)
          .containsPattern("frontend get /checkout +100\\.0ms +10\\.0ms \\*")
          .containsPattern("└─ database select orders +90\\.0ms +90\\.0ms \\*  <- bottleneck")
          .contains("bottleneck: database (90% of the critical path");

      StringWriter found = new StringWriter();
      code = Main.commandLine(new PrintWriter(found), new PrintWriter(new StringWriter()))
          .execute("search", "--service", "frontend", "--tag", "http.method=GET", "--min-duration", "50ms",
              "--server", zipkin);
      assertThat(code).isZero();
      assertThat(found.toString()).contains(traceId).contains("1 trace");

      StringWriter none = new StringWriter();
      Main.commandLine(new PrintWriter(none), new PrintWriter(new StringWriter()))
          .execute("search", "--service", "frontend", "--min-duration", "150ms", "--server", zipkin);
      assertThat(none.toString()).doesNotContain(traceId).contains("0 traces");
    }
    assertThatThrownBy(() -> TestHttp.get(zipkin + "/health")).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void queryRoleAloneOpensOnlyTheQueryPortAndTakesNoSpans() throws Exception {
    ServerConfig config = sqlite("query");
    try (TracestoreServer server = Wiring.start(config)) {
      assertThat(server.localAddresses()).hasSize(1);
      assertThat(server.localAddresses().get(0).getPort()).isEqualTo(config.zipkinPort());
      String zipkin = "http://127.0.0.1:" + config.zipkinPort();
      assertThat(TestHttp.get(zipkin + "/api/v2/services").statusCode()).isEqualTo(200);
      HttpResponse<String> post = TestHttp.post(zipkin + "/v1/traces", "application/json", "{}".getBytes());
      assertThat(post.statusCode()).isIn(404, 405);
      assertThat(TestHttp.get(zipkin + "/metrics").body()).doesNotContain("tracestore_ingest_spans_accepted");
    }
  }

  @Test
  void cliReportsAnUnreachableServerInOneLine() {
    StringWriter err = new StringWriter();
    int code = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute("trace", "show", hex(32), "--server", "http://127.0.0.1:" + TestHttp.freePort());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("tracestore: cannot reach tracestore at http://127.0.0.1:")
        .contains("is `tracestore serve` running?");
  }

  @Test
  void badSettingsExitWithUsageStatusNamingTheSetting() {
    StringWriter err = new StringWriter();
    int code = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute("serve", "--storage", "postgres");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("postgres.url: required with storage=postgres");
  }

  @Test
  void theConfigFileFlagFeedsTheSameValidation() throws Exception {
    Path file = dir.resolve("tracestore.properties");
    java.nio.file.Files.writeString(file, "storage=postgres\npostgres.url=mysql://nope\n");
    StringWriter err = new StringWriter();
    int code = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute("migrate", "--config", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("postgres.url: must start with jdbc:postgresql:, got mysql://nope")
        .contains("(set by key postgres.url in " + file + ")");
  }
}
