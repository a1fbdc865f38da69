package tracestore.storage.jdbc;

import org.junit.jupiter.api.Nested;
import tracestore.schema.TestDatabases;
import tracestore.storage.Storage;
import tracestore.storage.contract.NamesContract;
import tracestore.storage.contract.SearchContract;
import tracestore.storage.contract.SpanWriterContract;
import tracestore.storage.contract.TraceReaderContract;
import tracestore.storage.contract.VerifiedSearchContract;

/** The whole contract suite against a real PostgreSQL, in a schema of this class's own. */
class JdbcPostgresContractTest {
  static final String SCHEMA = TestDatabases.schemaFor(JdbcPostgresContractTest.class);
  private static boolean fresh;

  static synchronized Storage open() {
    if (!fresh) {
      TestDatabases.freshPostgresSchema(SCHEMA);
      fresh = true;
    }
    return JdbcStorage.newBuilder()
        .postgres(TestDatabases.postgresUrl())
        .schema(SCHEMA)
        .migrate(true)
        .writeConnections(2)
        .readConnections(2)
        .build();
  }

  @Nested
  class Writer extends SpanWriterContract {
    @Override
    protected Storage newStorage() {
      return open();
    }

    @Override
    protected void clear() {
      ((JdbcStorage) storage).truncateForTests();
    }
  }

  @Nested
  class Reader extends TraceReaderContract {
    @Override
    protected Storage newStorage() {
      return open();
    }

    @Override
    protected void clear() {
      ((JdbcStorage) storage).truncateForTests();
    }
  }

  @Nested
  class Search extends SearchContract {
    @Override
    protected Storage newStorage() {
      return open();
    }

    @Override
    protected void clear() {
      ((JdbcStorage) storage).truncateForTests();
    }
  }

  @Nested
  class Names extends NamesContract {
    @Override
    protected Storage newStorage() {
      return open();
    }

    @Override
    protected void clear() {
      ((JdbcStorage) storage).truncateForTests();
    }
  }

  @Nested
  class Verified extends VerifiedSearchContract {
    @Override
    protected Storage newStorage() {
      return open();
    }

    @Override
    protected void clear() {
      ((JdbcStorage) storage).truncateForTests();
    }
  }
}
