package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with the retention role: its gauges are published and the stats endpoints answer. */
class RetentionRoleTest {
  @TempDir Path dir;

  @Test
  void retentionRolePublishesLagAndStatsEndpointsAnswer() throws Exception {
    ServerConfig config = ServerConfig.newBuilder()
        .set(Setting.SQLITE_PATH, dir.resolve("t.db").toString())
        .set(Setting.BIND_ADDRESS, "127.0.0.1")
        .set(Setting.ROLES, "query,retention")
        .set(Setting.ZIPKIN_PORT, Integer.toString(TestHttp.freePort()))
        .build();
    assertThat(config.runs(Role.RETENTION)).isTrue();
    String base = "http://127.0.0.1:" + config.zipkinPort();
    try (TracestoreServer server = Wiring.start(config)) {
      String metrics = TestHttp.get(base + "/metrics").body();
      assertThat(metrics).contains("tracestore_retention_lag_seconds")
          .contains("tracestore_retention_lag_near_raw_retention");
      HttpResponse<String> stats = TestHttp.get(base + "/api/native/stats/services/web?lookback=1h");
      assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
      assertThat(stats.body()).contains("\"count\":0");
      HttpResponse<String> deps = TestHttp.get(base + "/api/v2/dependencies?endTs="
          + System.currentTimeMillis() + "&lookback=3600000");
      assertThat(deps.statusCode()).isEqualTo(200);
      assertThat(deps.body()).isEqualTo("[]");
    }
  }
}
