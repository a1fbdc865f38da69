package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.storage.Storage;
import tracestore.storage.contract.NamesContract;
import tracestore.storage.contract.SearchContract;
import tracestore.storage.contract.SpanWriterContract;
import tracestore.storage.contract.TraceReaderContract;
import tracestore.storage.contract.VerifiedSearchContract;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

/** The storage-api contract suite, unchanged, against a real Cassandra node. */
@ExtendWith(CassandraExtension.class)
class CassandraContractTest {
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

  @Nested
  class Writer extends SpanWriterContract {
    @Override
    protected Storage newStorage() {
      return newCassandraStorage();
    }

    @Override
    protected void clear() {
      clearAll();
    }
  }

  @Nested
  class Reader extends TraceReaderContract {
    @Override
    protected Storage newStorage() {
      return newCassandraStorage();
    }

    @Override
    protected void clear() {
      clearAll();
    }
  }

  @Nested
  class Search extends SearchContract {
    @Override
    protected Storage newStorage() {
      return newCassandraStorage();
    }

    @Override
    protected void clear() {
      clearAll();
    }
  }

  @Nested
  class Names extends NamesContract {
    @Override
    protected Storage newStorage() {
      return newCassandraStorage();
    }

    @Override
    protected void clear() {
      clearAll();
    }
  }

  @Nested
  class Verified extends VerifiedSearchContract {
    @Override
    protected Storage newStorage() {
      return newCassandraStorage();
    }

    @Override
    protected void clear() {
      clearAll();
    }
  }
}
