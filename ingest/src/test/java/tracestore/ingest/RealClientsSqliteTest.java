package tracestore.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tracestore.storage.Storage;
import tracestore.storage.jdbc.JdbcStorage;

/** The real-client suite against the embedded default: a SQLite file of this class's own. */
class RealClientsSqliteTest extends RealClientsContract {
  @Override
  protected Storage newStorage() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "ingest-sqlite");
      return JdbcStorage.newBuilder().sqlite(dir.resolve("tracestore.db")).migrate(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
