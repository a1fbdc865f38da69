package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.server.cli.Main;
import tracestore.storage.StorageException;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

/**
 * Cassandra through the wiring, on a real node: {@code serve} refuses an unmigrated keyspace naming
 * {@code tracestore migrate}; {@code migrate} creates it; then a span goes in and comes back out.
 */
@ExtendWith(CassandraExtension.class)
class CassandraWiringTest {
  @Test
  void serveRefusesAnUnmigratedKeyspaceThenMigrateFixesIt(TestKeyspace node) throws Exception {
    String contact = node.contactPoint().host() + ":" + node.contactPoint().port();
    Map<Setting, String> flags = Map.of(
        Setting.STORAGE, "cassandra", Setting.CASSANDRA_CONTACT_POINTS, contact,
        Setting.CASSANDRA_LOCAL_DC, node.contactPoint().localDatacenter(),
        Setting.CASSANDRA_KEYSPACE, node.keyspace(), Setting.BIND_ADDRESS, "127.0.0.1",
        Setting.ZIPKIN_PORT, Integer.toString(TestHttp.freePort()),
        Setting.OTLP_GRPC_PORT, Integer.toString(TestHttp.freePort()),
        Setting.OTLP_HTTP_PORT, Integer.toString(TestHttp.freePort()));
    ServerConfig config = ConfigLoader.load(flags, Map.of(), null);
    assertThatThrownBy(() -> Wiring.start(config))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("migrate",
        "--storage", "cassandra", "--cassandra-contact-points", contact,
        "--cassandra-local-dc", node.contactPoint().localDatacenter(), "--cassandra-keyspace", node.keyspace());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("schema of cassandra storage is current");

    String traceId = ServerTest.hex(32);
    String span = "[{\"traceId\":\"" + traceId + "\",\"id\":\"" + ServerTest.hex(16) + "\",\"name\":\"get /\","
        + "\"timestamp\":" + System.currentTimeMillis() * 1000 + ",\"duration\":1500,"
        + "\"localEndpoint\":{\"serviceName\":\"cassandra-wiring\"}}]";
    try (TracestoreServer server = Wiring.start(config)) {
      String zipkin = "http://127.0.0.1:" + config.zipkinPort();
      assertThat(TestHttp.get(zipkin + "/health").body()).contains("\"kind\":\"cassandra\"", "\"status\":\"UP\"");
      HttpResponse<String> posted =
          TestHttp.post(zipkin + "/api/v2/spans", "application/json", span.getBytes(StandardCharsets.UTF_8));
      assertThat(posted.statusCode()).isEqualTo(202);
      HttpResponse<String> read = TestHttp.get(zipkin + "/api/v2/trace/" + traceId);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).contains("cassandra-wiring");
    }
  }
}
