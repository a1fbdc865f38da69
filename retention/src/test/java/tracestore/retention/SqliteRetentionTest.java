package tracestore.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tracestore.storage.Storage;
import tracestore.storage.jdbc.JdbcStorage;

class SqliteRetentionTest extends RetentionContract {
  @Override
  Storage newStorage(String name) {
    try {
      Files.createDirectories(Path.of("target"));
      Path dir = Files.createTempDirectory(Path.of("target"), "retention-" + name);
      return JdbcStorage.newBuilder().sqlite(dir.resolve("tracestore.db")).migrate(true).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
