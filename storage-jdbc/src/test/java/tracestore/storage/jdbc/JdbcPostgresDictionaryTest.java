package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.schema.TestDatabases;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.model.Span;

/** {@link JdbcDictionaryContract} on PostgreSQL, and a dictionary insert killed mid-write. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcPostgresDictionaryTest extends JdbcDictionaryContract {
  static final String SCHEMA = TestDatabases.schemaFor(JdbcPostgresDictionaryTest.class);
  static final String APP = "tracestore-dictionary-test";
  JdbcStorage storage;

  @BeforeAll
  void open() {
    TestDatabases.freshPostgresSchema(SCHEMA);
    storage = another().build();
  }

  @AfterAll
  void close() {
    if (storage != null) storage.close();
    TestDatabases.dropPostgresSchema(SCHEMA);
  }

  @Override
  JdbcStorage storage() {
    return storage;
  }

  @Override
  JdbcStorage.Builder another() {
    JdbcStorage.Builder b = JdbcStorage.newBuilder().postgres(TestDatabases.postgresUrl())
        .schema(SCHEMA).migrate(true).writeConnections(2).readConnections(2);
    b.applicationName = APP;
    return b;
  }

  /**
   * The dictionary upsert waits on a lock another session holds, and its session is killed: the
   * write fails retryable, no chunk of it is stored, and the repeated write stores both.
   */
  @Test
  void aWriteWhoseDictionaryInsertIsKilled_failsRetryable_andStoresNoChunk() throws Exception {
    ChunkDictionary d = dictionary();
    Span span = span(now());
    WriteBatch batch = batch(span, d);
    JdbcStorage.Builder victimBuilder = another().statementTimeout(Duration.ofSeconds(30));
    victimBuilder.applicationName = APP + "-victim"; // only its sessions are killed
    try (JdbcStorage victim = victimBuilder.build();
        Connection holder = DriverManager.getConnection(TestDatabases.postgresUrl())) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("LOCK TABLE " + SCHEMA + ".chunk_dictionaries IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<Void> write = victim.writer().write(batch).toCompletableFuture();
      assertThat(JdbcPostgresFailureTest.awaitBlockedBy(holder))
          .as("the write waits on the dictionary table").isPositive();
      assertThat(JdbcPostgresFailureTest.terminateSessions(APP + "-victim")).isPositive();

      StorageException failure = JdbcPostgresFailureTest.failureOf(write);
      assertThat(failure.isRetryable()).as(failure.toString()).isTrue();
      assertThat(thrownByTheDictionaryUpsert(failure)).as("failed in the dictionary upsert").isTrue();
      holder.rollback();
      assertThat(chunks(span.traceId())).as("the transaction stored no chunk").isZero();

      JdbcPostgresFailureTest.writeWithRetries(victim, batch);
    }
    assertThat(rows(d.id())).isEqualTo(1);
    assertThat(load(storage, d.id())).isEqualTo(d.payload());
    assertThat(storage.reader().getTrace(span.traceId())).containsExactly(span);
  }
}
