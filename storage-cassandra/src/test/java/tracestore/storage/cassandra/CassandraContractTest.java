package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.storage.Storage;
import tracestore.storage.contract.ContractSuite;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

/** The storage-api contract suite, unchanged, against a real Cassandra node. */
@ExtendWith(CassandraExtension.class)
class CassandraContractTest extends ContractSuite {
  static CqlSession session;
  static String keyspace;

  @BeforeAll
  static void migrate(TestKeyspace ks) {
    session = TestSessions.openMigrated(ks);
    keyspace = ks.keyspace();
  }

  @AfterAll
  static void close() {
    if (session != null) session.close();
  }

  static Storage newCassandraStorage() {
    return CassandraStorage.newBuilder().session(session).keyspace(keyspace).build();
  }

  static void clearAll() {
    TestSessions.truncateAll(session, keyspace);
  }

  @Override
  protected Storage newStorage() {
    return newCassandraStorage();
  }

  @Override
  protected void clear(Storage storage) {
    clearAll();
  }
}
