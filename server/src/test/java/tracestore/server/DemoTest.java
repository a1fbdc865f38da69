package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.server.cli.Main;

/**
 * {@code tracestore demo} against an in-process server on SQLite: the OpenTelemetry SDK sends, the
 * server stores, and the report read back names the right bottleneck for the trace whose answer is
 * known (a web request whose database query takes most of the time).
 */
class DemoTest {
  @TempDir Path dir;

  @Test
  void demoSendsReadsBackAndNamesTheKnownBottleneck() {
    ServerConfig config = ServerConfig.newBuilder()
        .set(Setting.SQLITE_PATH, dir.resolve("demo.db").toString())
        .set(Setting.BIND_ADDRESS, "127.0.0.1")
        .set(Setting.OTLP_GRPC_PORT, Integer.toString(TestHttp.freePort()))
        .set(Setting.OTLP_HTTP_PORT, Integer.toString(TestHttp.freePort()))
        .set(Setting.ZIPKIN_PORT, Integer.toString(TestHttp.freePort()))
        .build();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (TracestoreServer server = Wiring.start(config)) {
      int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("demo",
          "--otlp-endpoint", "http://127.0.0.1:" + config.otlpHttpPort(),
          "--server", "http://127.0.0.1:" + config.zipkinPort(),
          "--traces", "40", "--seed", "7");
      assertThat(code).as(err.toString()).isZero();
    }
    String report = out.toString();
    assertThat(report).contains("sent 40 traces", "read back 40 of 40 traces");

    // Example 1 is the known trace: frontend -> api-gateway -> auth-service, data-service -> database.
    String example1 = section(report, "== example 1");
    assertThat(example1)
        .contains("a slow web request")
        .containsPattern("frontend GET /dashboard +\\d+\\.\\dms")
        .containsPattern("└─ api-gateway GET /api/dashboard")
        .containsPattern("├─ auth-service verify-token")
        .containsPattern("└─ data-service load-dashboard")
        .containsPattern("└─ database SELECT user_dashboard .*\\* +<- bottleneck")
        .contains("bottleneck: database (");
    assertThat(report).contains("== example 2", "== example 3");

    // The slow-trace search found it too: over 700 ms by construction.
    Matcher id = Pattern.compile("trace ([0-9a-f]{32})").matcher(example1);
    assertThat(id.find()).isTrue();
    assertThat(section(report, "== slowest traces over 500ms")).contains(id.group(1));

    String stats = section(report, "== per-service stats over 40 traces");
    assertThat(stats).contains("frontend", "api-gateway", "database", "<- bottleneck", "bottleneck overall: ");
    assertThat(stats).containsPattern("frontend +40 ");
  }

  private static String section(String report, String heading) {
    int start = report.indexOf(heading);
    assertThat(start).as("section " + heading).isNotNegative();
    int next = report.indexOf("\n== ", start + 1);
    return next < 0 ? report.substring(start) : report.substring(start, next);
  }
}
