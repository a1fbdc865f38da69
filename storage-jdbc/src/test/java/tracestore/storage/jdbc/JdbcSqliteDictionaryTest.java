package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.schema.TestDatabases;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.model.Span;

/** {@link JdbcDictionaryContract} on a SQLite file, and a dictionary insert that finds it locked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcSqliteDictionaryTest extends JdbcDictionaryContract {
  Path file;
  JdbcStorage storage;

  @BeforeAll
  void open() throws Exception {
    file = Files.createTempDirectory(Path.of("target"), "JdbcSqliteDictionaryTest").resolve("t.db");
    storage = another().build();
  }

  @AfterAll
  void close() {
    if (storage != null) storage.close();
  }

  @Override
  JdbcStorage storage() {
    return storage;
  }

  @Override
  JdbcStorage.Builder another() {
    return JdbcStorage.newBuilder().sqlite(file).migrate(true);
  }

  /**
   * Another connection holds the file's write lock past the busy timeout: the dictionary insert,
   * the transaction's first write, fails retryable (SQLITE_BUSY), no chunk is stored, and the
   * repeated write stores both.
   */
  @Test
  void aWriteWhoseDictionaryInsertFindsTheFileLocked_failsRetryable_andStoresNoChunk()
      throws Exception {
    ChunkDictionary d = dictionary();
    Span span = span(now());
    WriteBatch batch = batch(span, d);
    try (JdbcStorage victim = another().sqliteBusyTimeout(Duration.ofMillis(200)).build();
        Connection holder = TestDatabases.sqlite(file).getConnection()) {
      try (Statement s = holder.createStatement()) {
        s.execute("BEGIN IMMEDIATE"); // the write lock, until ROLLBACK
      }
      StorageException failure =
          JdbcPostgresFailureTest.failureOf(victim.writer().write(batch).toCompletableFuture());
      assertThat(failure.isRetryable()).as(failure.toString()).isTrue();
      assertThat(thrownByTheDictionaryUpsert(failure)).as("failed in the dictionary upsert").isTrue();
      try (Statement s = holder.createStatement()) {
        s.execute("ROLLBACK");
      }
      assertThat(chunks(span.traceId())).as("the transaction stored no chunk").isZero();

      JdbcPostgresFailureTest.writeWithRetries(victim, batch);
    }
    assertThat(rows(d.id())).isEqualTo(1);
    assertThat(load(storage, d.id())).isEqualTo(d.payload());
    assertThat(storage.reader().getTrace(span.traceId())).containsExactly(span);
  }
}
