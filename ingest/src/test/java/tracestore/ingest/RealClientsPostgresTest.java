package tracestore.ingest;

import tracestore.schema.TestDatabases;
import tracestore.storage.Storage;
import tracestore.storage.jdbc.JdbcStorage;

/** The real-client suite against a real PostgreSQL, in a schema of this class's own. */
class RealClientsPostgresTest extends RealClientsContract {
  static final String SCHEMA = TestDatabases.schemaFor(RealClientsPostgresTest.class);

  @Override
  protected Storage newStorage() {
    TestDatabases.freshPostgresSchema(SCHEMA);
    return JdbcStorage.newBuilder()
        .postgres(TestDatabases.postgresUrl())
        .schema(SCHEMA)
        .migrate(true)
        .writeConnections(2)
        .readConnections(2)
        .build();
  }
}
