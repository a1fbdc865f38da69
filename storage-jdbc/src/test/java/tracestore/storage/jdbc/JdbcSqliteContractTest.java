package tracestore.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tracestore.storage.Storage;
import tracestore.storage.contract.ContractSuite;

/** The whole contract suite against a real SQLite file of this class's own. */
class JdbcSqliteContractTest extends ContractSuite {
  private static Path file;

  static synchronized Storage open() {
    if (file == null) {
      try {
        file = Files.createTempDirectory(Path.of("target"), "sqlite-contract").resolve("tracestore.db");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return JdbcStorage.newBuilder().sqlite(file).migrate(true).build();
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
