package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tracestore.schema.TestDatabases;
import tracestore.storage.IndexPolicy;
import tracestore.storage.StorageException;

/** Startup never guesses the schema: an unmigrated database is refused, naming the fix. */
class JdbcStorageStartupTest {
  static final String SCHEMA = TestDatabases.schemaFor(JdbcStorageStartupTest.class);

  @AfterAll
  static void drop() {
    TestDatabases.dropPostgresSchema(SCHEMA);
  }

  @Test
  void postgres_refusesAnUnmigratedSchema_thenChecksAfterMigrate() {
    TestDatabases.freshPostgresSchema(SCHEMA);
    JdbcStorage.Builder b = JdbcStorage.newBuilder().postgres(TestDatabases.postgresUrl()).schema(SCHEMA);
    assertThatThrownBy(b::build).isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate");
    try (JdbcStorage storage = b.migrate(true).build()) {
      storage.check();
    }
    try (JdbcStorage storage = b.migrate(false).build()) {
      storage.check(); // now current: starts without migrating
    }
  }

  @Test
  void sqlite_refusesAnUnmigratedFile_thenChecksAfterMigrate() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "startup");
    JdbcStorage.Builder b = JdbcStorage.newBuilder().sqlite(dir.resolve("db").resolve("t.db"));
    assertThatThrownBy(b::build).isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate");
    JdbcStorage closed;
    try (JdbcStorage storage = b.migrate(true).build()) {
      storage.check();
      closed = storage;
    }
    assertThat(dir.resolve("db").resolve("t.db")).exists();
    var write = closed.writer().write(new tracestore.storage.WriteBatch(
        java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of()));
    assertThat(write.toCompletableFuture()).isCompleted(); // nothing to write: no I/O needed
    var span = tracestore.storage.model.Span.newBuilder()
        .traceId(tracestore.storage.contract.TestObjects.newTraceId()).spanId(1).name("op")
        .service("svc").startEpochNanos(1_000_000_000L).durationNanos(1).build();
    var failed = closed.writer().write(tracestore.storage.WriteBatches.create(IndexPolicy.everyKey()).toBatch(
        java.util.List.of(span))).toCompletableFuture();
    assertThat(failed).isCompletedExceptionally();
    assertThatThrownBy(failed::join).hasRootCauseInstanceOf(
        java.util.concurrent.RejectedExecutionException.class).hasMessageContaining("closed");
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> JdbcStorage.newBuilder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres(url) or sqlite(file)");
    assertThatThrownBy(() -> JdbcStorage.newBuilder().postgres("jdbc:mysql://x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> JdbcStorage.newBuilder().sqlite(Path.of("x")).writeQueueCapacity(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeQueueCapacity");
  }
}
