package tracestore.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tracestore.schema.TestDatabases;

/** Opens JDBC storages for tests: a PostgreSQL schema or a SQLite file of the test class's own. */
final class JdbcTestStorages {
  private JdbcTestStorages() {}

  /** A storage on a freshly created schema named after {@code testClass}. */
  static JdbcStorage freshPostgres(Class<?> testClass) {
    String schema = TestDatabases.schemaFor(testClass);
    TestDatabases.freshPostgresSchema(schema);
    return JdbcStorage.newBuilder()
        .postgres(TestDatabases.postgresUrl())
        .schema(schema)
        .migrate(true)
        .writeConnections(2)
        .readConnections(2)
        .build();
  }

  /** A storage on a new SQLite file under target/. */
  static JdbcStorage freshSqlite(Class<?> testClass) {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), testClass.getSimpleName());
      return JdbcStorage.newBuilder().sqlite(dir.resolve("tracestore.db")).migrate(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
