package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.time.Duration;
import java.util.List;
import tracestore.schema.CqlMigrator;
import tracestore.testnode.ContactPoint;
import tracestore.testnode.TestKeyspace;

/** Opens test sessions and migrated keyspaces on the node of {@link tracestore.testnode.CassandraExtension}. */
final class TestSessions {
  static final List<String> TABLES =
      List.of(
          "chunks", "service_index", "operation_index", "tag_index", "service_tag_index", "index_segments", "service_names", "operation_names",
          "remote_service_names", "tag_keys", "tag_values", "chunk_dictionaries");

  private TestSessions() {}

  /** A session tuned for tests: schema changes settle in tens of milliseconds instead of a second. */
  static CqlSession open(ContactPoint cp) {
    return CqlSession.builder()
        .addContactPoint(cp.address())
        .withLocalDatacenter(cp.localDatacenter())
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(20))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_INTERVAL, Duration.ofMillis(20))
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .build())
        .build();
  }

  /** Opens a session and migrates the test class's keyspace. */
  static CqlSession openMigrated(TestKeyspace ks) {
    CqlSession session = open(ks.contactPoint());
    CqlMigrator.newBuilder(session, ks.keyspace()).build().migrate();
    return session;
  }

  static void truncateAll(CqlSession session, String keyspace) {
    for (String table : TABLES) session.execute("TRUNCATE " + keyspace + "." + table);
  }
}
