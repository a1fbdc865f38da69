package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

/**
 * Base of the test classes that need their own migrated keyspace on the build's node: a session is
 * opened on it before the class's tests and closed after them. Test classes run one at a time, so
 * the static fields belong to the running class.
 */
@ExtendWith(CassandraExtension.class)
abstract class MigratedKeyspaceTest {
  static CqlSession session;
  static String keyspace;

  @BeforeAll
  static void openMigratedKeyspace(TestKeyspace ks) {
    session = TestSessions.openMigrated(ks);
    keyspace = ks.keyspace();
  }

  @AfterAll
  static void closeSession() {
    if (session != null) session.close();
    session = null;
  }
}
