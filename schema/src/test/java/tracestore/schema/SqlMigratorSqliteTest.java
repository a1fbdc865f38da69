package tracestore.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.storage.StorageException;

class SqlMigratorSqliteTest {
  @TempDir Path dir;
  Path file;
  DataSource ds;

  @BeforeEach
  void freshFile() {
    file = dir.resolve("tracestore.db");
    ds = TestDatabases.sqlite(file);
  }

  @Test
  void migrate_appliesOnce_andRecordsVersionAndChecksum() throws SQLException {
    SqlMigrator m = SqlMigrator.sqlite(ds, file);
    assertThat(m.databaseVersion()).isEmpty();
    assertThat(m.migrate().applied()).isEqualTo(4); // V001 initial, V002 exemplars, V003 chunk_dictionaries, V004 trace_index
    assertThat(m.migrate().applied()).isZero();
    m.verify();
    assertThat(m.databaseVersion()).contains("004");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum, success FROM "
            + SqlMigrator.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY version")) {
      for (String version : new String[] {"001", "002", "003", "004"}) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(version);
        assertThat(rs.getObject(2)).isNotNull();
        assertThat(rs.getBoolean(3)).isTrue();
      }
      assertThat(rs.next()).isFalse();
    }
  }

  /** SQLite keeps the CREATE TABLE text, comments included: every column line carries one. */
  @Test
  void everyTableAndColumnCarriesAComment() throws SQLException {
    SqlMigrator.sqlite(ds, file).migrate();
    List<String> missing = new ArrayList<>();
    int columns = 0;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      List<String[]> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
          + " AND name NOT LIKE 'sqlite_%' AND name <> '" + SqlMigrator.HISTORY_TABLE + "'"
          // FTS5's virtual table and the shadow tables it creates: SQLite writes their text,
          // so their comments are the ones above the CREATE VIRTUAL TABLE in the migration.
          + " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'trace_terms_%'")) {
        while (rs.next()) tables.add(new String[] {rs.getString(1), rs.getString(2)});
      }
      for (String[] t : tables) {
        String[] lines = t[1].split("\n");
        if (lines.length < 2 || !lines[1].trim().startsWith("--")) missing.add("table " + t[0]);
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + t[0] + ")")) {
          while (rs.next()) {
            columns++;
            String col = rs.getString("name");
            boolean commented = false;
            for (String line : lines) {
              if (line.trim().startsWith(col + ' ') && line.contains("--")) commented = true;
            }
            if (!commented) missing.add(t[0] + '.' + col);
          }
        }
      }
    }
    assertThat(columns).isGreaterThan(30);
    assertThat(missing).isEmpty();
  }

  @Test
  void verify_onEmptyDatabase_namesTheMigrateCommand() {
    assertThatThrownBy(() -> SqlMigrator.sqlite(ds, file).verify())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("tracestore migrate")
        .hasMessageContaining("pending");
  }

  @Test
  void refusesDatabaseNewerThanTheCode() throws SQLException {
    SqlMigrator m = SqlMigrator.sqlite(ds, file);
    m.migrate();
    SqlMigratorPostgresTest.pretendAppliedVersion(ds, SqlMigrator.HISTORY_TABLE, "999");
    assertThatThrownBy(m::verify)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("999")
        .hasMessageContaining("newer than the code")
        .hasMessageContaining("tracestore migrate");
    assertThatThrownBy(m::migrate).hasMessageContaining("newer than the code");
  }

  @Test
  void refusesEditedAppliedScript() throws SQLException {
    SqlMigrator m = SqlMigrator.sqlite(ds, file);
    m.migrate();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE " + SqlMigrator.HISTORY_TABLE
          + " SET checksum = checksum + 1 WHERE version = '001'");
    }
    assertThatThrownBy(m::verify)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("was edited after it was applied")
        .hasMessageContaining("tracestore migrate");
    assertThatThrownBy(m::migrate).hasMessageContaining("was edited");
  }

  /**
   * Flyway takes no lock on SQLite, so the migrator holds a file lock: while another process holds
   * it, migrate() waits, and runs once it is released.
   */
  @Test
  void migrateWaitsForAnotherProcessHoldingTheLock() throws Exception {
    Path lock = dir.resolve("tracestore.db.migrate-lock");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        HoldFileLock.class.getName(), lock.toString(), "1500").redirectErrorStream(true).start();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(
        holder.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      long t0 = System.nanoTime();
      SqlMigrator.Result r = SqlMigrator.sqlite(ds, file).migrate();
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.applied()).isEqualTo(4);
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(waitedMs).as("migrate waited for the other process").isGreaterThan(1000);
    } finally {
      holder.destroy();
    }
  }

  /** Two migrators in one JVM race on a slow migration: it runs exactly once. */
  @Test
  void twoInstancesNeverMigrateAtOnce() throws Exception {
    String location = "classpath:tracestore/schema/testsql/sqlite_slow";
    Path lock = dir.resolve("tracestore.db.migrate-lock");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<SqlMigrator.Result> a = pool.submit(() -> new SqlMigrator(
          TestDatabases.sqlite(file), location, null, lock, "a").migrate());
      Future<SqlMigrator.Result> b = pool.submit(() -> new SqlMigrator(
          TestDatabases.sqlite(file), location, null, lock, "b").migrate());
      List<Integer> applied = List.of(
          a.get(60, TimeUnit.SECONDS).applied(), b.get(60, TimeUnit.SECONDS).applied());
      assertThat(applied).containsExactlyInAnyOrder(1, 0);
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SqlMigrator.HISTORY_TABLE
            + " WHERE version = '001' AND success")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    assertThat(lock).exists();
  }
}
