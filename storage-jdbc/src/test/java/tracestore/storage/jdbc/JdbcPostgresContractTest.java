package tracestore.storage.jdbc;

import tracestore.schema.TestDatabases;
import tracestore.storage.Storage;
import tracestore.storage.contract.ContractSuite;

/** The whole contract suite against a real PostgreSQL, in a schema of this class's own. */
class JdbcPostgresContractTest extends ContractSuite {
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

  @Override
  protected Storage newStorage() {
    return open();
  }

  @Override
  protected void clear(Storage storage) {
    ((JdbcStorage) storage).truncateForTests();
  }
}
