package tracestore.ingest;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.schema.CqlMigrator;
import tracestore.storage.Storage;
import tracestore.storage.cassandra.CassandraStorage;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

/** The real-client suite against a real Cassandra node, in a keyspace of this class's own. */
@ExtendWith(CassandraExtension.class)
class RealClientsCassandraTest extends RealClientsContract {
  private final TestKeyspace keyspace;
  private CqlSession session;

  RealClientsCassandraTest(TestKeyspace keyspace) {
    this.keyspace = keyspace;
  }

  @Override
  protected Storage newStorage() {
    session = CqlSession.builder()
        .addContactPoint(keyspace.contactPoint().address())
        .withLocalDatacenter(keyspace.contactPoint().localDatacenter())
        .build();
    CqlMigrator.newBuilder(session, keyspace.keyspace()).build().migrate();
    return CassandraStorage.newBuilder().session(session).keyspace(keyspace.keyspace()).build();
  }

  /** Runs after the suite's own {@code stop()}, which closes the storage. */
  @AfterAll
  void closeSession() {
    if (session != null) session.close();
  }
}
