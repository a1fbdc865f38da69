package tracestore.retention;

import tracestore.schema.TestDatabases;
import tracestore.storage.Storage;
import tracestore.storage.jdbc.JdbcStorage;

/** On PostgreSQL (TRACESTORE_TEST_PG_URL); a schema of its own per storage. */
class PostgresRetentionTest extends RetentionContract {
  @Override
  Storage newStorage(String name) {
    String schema = TestDatabases.schemaFor(PostgresRetentionTest.class) + '_' + name;
    TestDatabases.freshPostgresSchema(schema);
    return JdbcStorage.newBuilder().postgres(TestDatabases.postgresUrl()).schema(schema)
        .migrate(true).writeConnections(2).readConnections(2).build();
  }
}
