package tracestore.retention;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.schema.CqlMigrator;
import tracestore.storage.Storage;
import tracestore.storage.cassandra.CassandraStorage;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

/**
 * On a real Cassandra node: one migrated keyspace per storage name, truncated before each use (a
 * fresh keyspace per test would cost a schema migration each). Raw data expires by TTL here, so the
 * contract's raw-deletion check becomes "deleteRawBefore is a no-op".
 */
@ExtendWith(CassandraExtension.class)
class CassandraRetentionTest extends RetentionContract {
  static final List<String> TABLES = List.of(
      "chunks", "service_index", "operation_index", "tag_index", "service_tag_index", "service_names", "operation_names",
      "remote_service_names", "tag_keys", "tag_values",
      "rollups", "dependency_links", "exemplars", "aggregate_days", "watermarks", "leases");

  static CqlSession session;
  static String prefix;
  static final Set<String> migrated = new HashSet<>();

  @BeforeAll
  static void connect(TestKeyspace ks) {
    session = CqlSession.builder()
        .addContactPoint(ks.contactPoint().address())
        .withLocalDatacenter(ks.contactPoint().localDatacenter())
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(20))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_INTERVAL, Duration.ofMillis(20))
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
            .build())
        .build();
    prefix = ks.keyspace();
  }

  @AfterAll
  static void close() {
    if (session != null) session.close();
  }

  @Override
  Storage newStorage(String name) {
    String keyspace = prefix + '_' + name;
    if (migrated.add(keyspace)) {
      CqlMigrator.newBuilder(session, keyspace).build().migrate();
    } else {
      for (String table : TABLES) session.execute("TRUNCATE " + keyspace + '.' + table);
    }
    return CassandraStorage.newBuilder().session(session).keyspace(keyspace).build();
  }

  @Override
  boolean deletesRawByStatement() {
    return false;
  }
}
