package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracestore.schema.TestDatabases;
import tracestore.server.cli.Main;
import tracestore.storage.Storage;
import tracestore.storage.StorageException;

/**
 * PostgreSQL through the wiring: {@code serve} refuses an unmigrated schema naming {@code tracestore
 * migrate}, {@code migrate} applies it, and then the server starts. Real PostgreSQL from {@code
 * TRACESTORE_TEST_PG_URL}; under {@code CI=true} a missing database fails.
 */
class PostgresWiringTest {
  private String url;
  private final String schema = "ts_server_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);

  @BeforeEach
  void connect() {
    url = TestDatabases.postgresUrl(); // fails under CI=true when no PostgreSQL is reachable
  }

  @AfterEach
  void dropSchema() {
    TestDatabases.dropPostgresSchema(schema);
  }

  private String[] settings(String command) {
    return new String[] {command, "--storage", "postgres", "--postgres-url", url, "--postgres-schema", schema,
        "--bind-address", "127.0.0.1", "--otlp-grpc-port", Integer.toString(TestHttp.freePort()),
        "--otlp-http-port", Integer.toString(TestHttp.freePort()),
        "--zipkin-port", Integer.toString(TestHttp.freePort())};
  }

  @Test
  void serveRefusesAnUnmigratedSchemaThenMigrateFixesIt() {
    ServerConfig config = ConfigLoader.load(java.util.Map.of(
        Setting.STORAGE, "postgres", Setting.POSTGRES_URL, url, Setting.POSTGRES_SCHEMA, schema,
        Setting.BIND_ADDRESS, "127.0.0.1", Setting.ZIPKIN_PORT, Integer.toString(TestHttp.freePort()),
        Setting.OTLP_GRPC_PORT, Integer.toString(TestHttp.freePort()),
        Setting.OTLP_HTTP_PORT, Integer.toString(TestHttp.freePort())), java.util.Map.of(), null);
    assertThatThrownBy(() -> Wiring.start(config))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate");

    StringWriter err = new StringWriter();
    assertThat(Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute(settings("serve"))).isEqualTo(1);
    assertThat(err.toString()).contains("tracestore migrate");

    StringWriter out = new StringWriter();
    assertThat(Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter()))
        .execute(settings("migrate"))).isZero();
    assertThat(out.toString()).contains("schema of postgres storage is current");

    try (Storage storage = Wiring.openStorage(config, Wiring.Schema.VERIFY)) {
      storage.check();
      assertThat(storage.reader().services()).isEmpty();
    }
    try (TracestoreServer server = Wiring.start(config)) {
      assertThat(server.localAddresses()).hasSize(3);
    }
  }
}
