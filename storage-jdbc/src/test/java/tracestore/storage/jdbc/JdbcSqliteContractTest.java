package tracestore.storage.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import tracestore.storage.Storage;
import tracestore.storage.contract.NamesContract;
import tracestore.storage.contract.SearchContract;
import tracestore.storage.contract.SpanWriterContract;
import tracestore.storage.contract.TraceReaderContract;
import tracestore.storage.contract.VerifiedSearchContract;

/** The whole contract suite against a real SQLite file of this class's own. */
class JdbcSqliteContractTest {
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
