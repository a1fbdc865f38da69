package tracestore.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracestore.storage.StorageException;

class SqlMigratorPostgresTest {
  static final String SCHEMA = TestDatabases.schemaFor(SqlMigratorPostgresTest.class);
  DataSource ds;

  @BeforeEach
  void freshSchema() {
    ds = TestDatabases.freshPostgresSchema(SCHEMA);
  }

  @AfterAll
  static void dropSchema() {
    TestDatabases.dropPostgresSchema(SCHEMA);
  }

  @Test
  void migrate_appliesOnce_andRecordsVersionAndChecksum() throws SQLException {
    SqlMigrator m = SqlMigrator.postgres(ds, SCHEMA);
    assertThat(m.databaseVersion()).isEmpty();

    SqlMigrator.Result first = m.migrate();
    // V001 initial, V002 exemplars, V003 trace_index, V004 payload storage, V005 chunk_dictionaries,
    // V006 chunk TOAST target, V007 trace_index per (service, batch)
    assertThat(first.applied()).isEqualTo(7);
    assertThat(first.toVersion()).contains("007");
    assertThat(m.migrate().applied()).isZero();
    m.verify();
    assertThat(m.databaseVersion()).contains(m.latestVersion());

    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum, success FROM " + SCHEMA + '.'
            + SqlMigrator.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY version")) {
      for (String version : new String[] {"001", "002", "003", "004", "005", "006", "007"}) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(version);
        assertThat(rs.getObject(2)).isNotNull();
        assertThat(rs.getBoolean(3)).isTrue();
      }
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void everyTableAndColumnCarriesAComment() throws SQLException {
    SqlMigrator.postgres(ds, SCHEMA).migrate();
    List<String> missing = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT cl.relname, a.attname, col_description(cl.oid, a.attnum), obj_description(cl.oid, 'pg_class')"
                + " FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = '" + SCHEMA + "' AND cl.relkind IN ('r', 'p')"
                + " AND cl.relname <> '" + SqlMigrator.HISTORY_TABLE + "'")) {
      int columns = 0;
      while (rs.next()) {
        columns++;
        if (rs.getString(4) == null) missing.add("table " + rs.getString(1));
        if (rs.getString(3) == null) missing.add(rs.getString(1) + '.' + rs.getString(2));
      }
      assertThat(columns).isGreaterThan(30);
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void verify_onEmptyDatabase_namesTheMigrateCommand() {
    assertThatThrownBy(() -> SqlMigrator.postgres(ds, SCHEMA).verify())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate")
        .hasMessageContaining("pending")
        .matches(e -> !((StorageException) e).isRetryable());
  }

  @Test
  void refusesDatabaseNewerThanTheCode() throws SQLException {
    SqlMigrator m = SqlMigrator.postgres(ds, SCHEMA);
    m.migrate();
    pretendAppliedVersion(ds, SCHEMA + '.' + SqlMigrator.HISTORY_TABLE, "999");

    assertThatThrownBy(m::verify)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("999")
        .hasMessageContaining("newer than the code")
        .hasMessageContaining("tracestore migrate");
    assertThatThrownBy(m::migrate).hasMessageContaining("newer than the code");
  }

  @Test
  void refusesEditedAppliedScript() throws SQLException {
    SqlMigrator m = SqlMigrator.postgres(ds, SCHEMA);
    m.migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + SCHEMA + '.' + SqlMigrator.HISTORY_TABLE
          + " SET checksum = checksum + 1 WHERE version = '001'");
    }
    assertThatThrownBy(m::verify)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("was edited after it was applied")
        .hasMessageContaining("V001__initial_schema.sql")
        .hasMessageContaining("tracestore migrate");
    assertThatThrownBy(m::migrate).hasMessageContaining("was edited");
  }

  /**
   * Two migrators race on a slow migration: Flyway's advisory lock (seen in pg_locks) makes the
   * second wait, then find nothing to do; the script ran exactly once.
   */
  @Test
  void twoInstancesNeverMigrateAtOnce() throws Exception {
    String location = "classpath:tracestore/schema/testsql/pg_slow";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<SqlMigrator.Result> a = pool.submit(
          () -> new SqlMigrator(ds, location, SCHEMA, null, "a").migrate());
      Thread.sleep(300);
      Future<SqlMigrator.Result> b = pool.submit(
          () -> new SqlMigrator(ds, location, SCHEMA, null, "b").migrate());

      // Flyway polls pg_try_advisory_lock: while a holds the lock, b is running but not done.
      boolean sawHeldWhileBWaits = false;
      for (int i = 0; i < 40 && !a.isDone(); i++) {
        sawHeldWhileBWaits |= countGrantedAdvisoryLocks() > 0 && !b.isDone();
        Thread.sleep(25);
      }
      List<Integer> applied = List.of(
          a.get(30, TimeUnit.SECONDS).applied(), b.get(30, TimeUnit.SECONDS).applied());
      assertThat(applied).containsExactlyInAnyOrder(1, 0);
      assertThat(sawHeldWhileBWaits).as("an advisory lock was held while b waited").isTrue();
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SCHEMA + ".slow_marker")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  private int countGrantedAdvisoryLocks() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Copies the history row of version 1 as if a newer build had applied {@code version}. */
  static void pretendAppliedVersion(DataSource ds, String table, String version) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO " + table + " (installed_rank, version, description, type, script,"
          + " checksum, installed_by, installed_on, execution_time, success)"
          + " SELECT installed_rank + 100, '" + version + "', 'from the future', type,"
          + " 'V" + version + "__from_the_future.sql', 42, installed_by, installed_on,"
          + " execution_time, success FROM " + table + " WHERE version = '001'");
    }
  }
}
