package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static tracestore.storage.contract.TestObjects.MILLI;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracestore.schema.TestDatabases;
import tracestore.storage.IndexPolicy;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Real failures against a real PostgreSQL: sessions killed mid-batch with pg_terminate_backend from
 * a second connection, and a statement timeout while another session holds a lock. Each is a
 * retryable {@link StorageException}, and the same storage instance then writes again.
 */
class JdbcPostgresFailureTest {
  static final String SCHEMA = TestDatabases.schemaFor(JdbcPostgresFailureTest.class);
  static final String APP = "tracestore-failure-test";
  final WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey());

  @BeforeAll
  static void freshSchema() {
    TestDatabases.freshPostgresSchema(SCHEMA);
  }

  @AfterAll
  static void dropSchema() {
    TestDatabases.dropPostgresSchema(SCHEMA);
  }

  JdbcStorage open(Duration statementTimeout) {
    JdbcStorage.Builder b = JdbcStorage.newBuilder()
        .postgres(TestDatabases.postgresUrl())
        .schema(SCHEMA)
        .migrate(true)
        .writeConnections(2)
        .readConnections(2)
        .statementTimeout(statementTimeout);
    b.applicationName = APP;
    return b.build();
  }

  @Test
  void sessionsTerminatedMidBatch_failRetryable_thenTheSameInstanceRecovers() throws Exception {
    try (JdbcStorage storage = open(Duration.ofSeconds(30));
        Connection holder = DriverManager.getConnection(TestDatabases.postgresUrl())) {
      Span span = span();
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("LOCK TABLE " + SCHEMA + ".chunks IN ACCESS EXCLUSIVE MODE");
      }
      CompletableFuture<Void> write =
          storage.writer().write(batches.toBatch(List.of(span))).toCompletableFuture();
      int blocked = awaitBlockedBy(holder);
      assertThat(blocked).as("the batch is waiting inside its transaction").isPositive();

      int killed = terminateSessions(APP);
      assertThat(killed).isGreaterThanOrEqualTo(1);
      StorageException failure = failureOf(write);
      assertThat(failure.isRetryable()).as(failure.toString()).isTrue();
      holder.rollback();

      // Every pooled session is dead too; the pool replaces them: the next writes succeed.
      writeWithRetries(storage, batches.toBatch(List.of(span)));
      assertThat(storage.reader().getTrace(span.traceId())).containsExactly(span);
    }
  }

  @Test
  void statementTimeout_failsRetryable_thenTheSameInstanceRecovers() throws Exception {
    try (JdbcStorage storage = open(Duration.ofMillis(300));
        Connection holder = DriverManager.getConnection(TestDatabases.postgresUrl())) {
      Span span = span();
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("LOCK TABLE " + SCHEMA + ".chunks IN ACCESS EXCLUSIVE MODE");
      }
      StorageException failure =
          failureOf(storage.writer().write(batches.toBatch(List.of(span))).toCompletableFuture());
      assertThat(failure.isRetryable()).as(failure.toString()).isTrue();
      assertThat(failure).hasMessageContaining("57014");
      holder.rollback();

      writeWithRetries(storage, batches.toBatch(List.of(span)));
      assertThat(storage.reader().getTrace(span.traceId())).containsExactly(span);
    }
  }

  /** Reads are idempotent: one whose pooled session was killed is repeated on a fresh one. */
  @Test
  void aReadWhoseSessionsWereKilledIsRepeatedOnAFreshConnection() throws Exception {
    try (JdbcStorage storage = open(Duration.ofSeconds(30))) {
      Span span = span();
      writeWithRetries(storage, batches.toBatch(List.of(span)));
      assertThat(storage.reader().getTrace(span.traceId())).containsExactly(span);
      assertThat(terminateSessions(APP)).isPositive();
      assertThat(storage.reader().getTrace(span.traceId())).containsExactly(span);
      assertThat(storage.reader().services()).contains("failure-svc");
    }
  }

  /**
   * The database goes away (a proxy in front of it cuts every connection and refuses new ones):
   * writes and reads fail retryable, quickly, and the same instance works again once it returns.
   */
  @Test
  void databaseDown_failsRetryable_thenTheSameInstanceRecoversWhenItReturns() throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("//([^:/]+):(\\d+)/")
        .matcher(TestDatabases.postgresUrl());
    assertThat(m.find()).as("host:port in %s", TestDatabases.postgresUrl()).isTrue();
    try (TcpProxy proxy = new TcpProxy(m.group(1), Integer.parseInt(m.group(2)))) {
      proxy.start();
      String viaProxy = TestDatabases.postgresUrl().replace(m.group(0), "//127.0.0.1:" + proxy.port() + "/");
      JdbcStorage.Builder b = JdbcStorage.newBuilder().postgres(viaProxy).schema(SCHEMA).migrate(true)
          .writeConnections(2).readConnections(2).connectionTimeout(Duration.ofSeconds(1));
      b.applicationName = APP + "-down";
      try (JdbcStorage storage = b.build()) {
        Span before = span();
        writeWithRetries(storage, batches.toBatch(List.of(before)));

        proxy.stop();
        Span during = span();
        StorageException write =
            failureOf(storage.writer().write(batches.toBatch(List.of(during))).toCompletableFuture());
        assertThat(write.isRetryable()).as(write.toString()).isTrue();
        StorageException read = org.junit.jupiter.api.Assertions.assertThrows(
            StorageException.class, () -> storage.reader().getTrace(before.traceId()));
        assertThat(read.isRetryable()).as(read.toString()).isTrue();

        proxy.start();
        writeWithRetries(storage, batches.toBatch(List.of(during)));
        assertThat(storage.reader().getTrace(during.traceId())).containsExactly(during);
        assertThat(storage.reader().getTrace(before.traceId())).containsExactly(before);
      }
    }
  }

  static Span span() {
    TraceId id = TestObjects.newTraceId();
    return Span.newBuilder().traceId(id).spanId(TestObjects.newSpanId()).name("get")
        .service("failure-svc").startEpochNanos(System.currentTimeMillis() * 1_000_000L)
        .durationNanos(3 * MILLI).build();
  }

  /** Writes, retrying only retryable failures (as ingest does), at most 5 times. */
  static void writeWithRetries(JdbcStorage storage, WriteBatch batch) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        storage.writer().write(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof StorageException se) || !se.isRetryable() || attempt == 5) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  static StorageException failureOf(CompletableFuture<Void> write) throws Exception {
    try {
      write.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException se) return se;
      throw e;
    }
    return fail("the write succeeded");
  }

  /** Waits until some session waits on a lock {@code holder} holds; returns how many do. */
  static int awaitBlockedBy(Connection holder) throws Exception {
    int holderPid;
    try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      holderPid = rs.getInt(1);
    }
    for (int i = 0; i < 200; i++) {
      try (Connection c = DriverManager.getConnection(TestDatabases.postgresUrl());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE "
              + holderPid + " = ANY(pg_blocking_pids(pid))")) {
        rs.next();
        if (rs.getInt(1) > 0) return rs.getInt(1);
      }
      Thread.sleep(20);
    }
    return 0;
  }

  /** Kills every session of {@code applicationName} from a second connection. */
  static int terminateSessions(String applicationName) throws SQLException {
    try (Connection c = DriverManager.getConnection(TestDatabases.postgresUrl());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
            + " FROM pg_stat_activity WHERE application_name = '" + applicationName + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
