package tracestore.schema;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import tracestore.storage.StorageException;

/**
 * Applies the SQL migrations under {@code tracestore/schema/sql/<dialect>/V*__*.sql} with Flyway,
 * which records each applied version, its checksum and its time in the table {@value
 * #HISTORY_TABLE}.
 *
 * <ul>
 *   <li>{@link #migrate()} applies what is pending. Two instances never migrate at once: on
 *       PostgreSQL Flyway holds a session advisory lock for the whole run; Flyway takes no lock on
 *       SQLite, so this class holds an exclusive file lock on {@code <db file>.migrate-lock} (plus
 *       an in-JVM lock, since a JVM cannot take one file lock twice).
 *   <li>{@link #migrate()} and {@link #verify()} refuse a database that holds a version this build
 *       does not know (newer than the code) or whose applied script was edited (checksum differs).
 *       Flyway ignores unknown applied versions by default; here they fail.
 *   <li>{@link #verify()} also refuses a database that still lacks migrations, naming {@code
 *       tracestore migrate}. Backends call it at startup; they never guess the schema state by
 *       probing tables.
 * </ul>
 *
 * Errors are permanent {@link StorageException}s whose message says what to do. Thread-safe.
 */
public final class SqlMigrator {
  /** Name of Flyway's history table, in the migrated schema. */
  public static final String HISTORY_TABLE = "tracestore_schema_history";

  /** The command operators run to bring a database up to date. */
  static final String MIGRATE_COMMAND = "tracestore migrate";

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Flyway flyway;
  private final String description;
  private final Path lockFile; // null: the database locks itself (PostgreSQL)

  SqlMigrator(DataSource dataSource, String location, String schema, Path lockFile, String description) {
    var config = Flyway.configure(SqlMigrator.class.getClassLoader())
        .dataSource(dataSource)
        .locations(location)
        .table(HISTORY_TABLE)
        // An applied version this build does not know means the database is newer: fail, never ignore.
        .ignoreMigrationPatterns(new String[0])
        .validateOnMigrate(true)
        .validateMigrationNaming(true)
        .outOfOrder(false)
        .cleanDisabled(true)
        .failOnMissingLocations(true)
        // Through SLF4J like the rest of tracestore (silent where no SLF4J provider is bound).
        .loggers("slf4j");
    if (schema != null) config = config.schemas(schema).defaultSchema(schema).createSchemas(true);
    this.flyway = config.load();
    this.lockFile = lockFile;
    this.description = description;
  }

  /**
   * A migrator for a PostgreSQL schema.
   *
   * @param schema the schema that holds the tables and the history table; created when missing
   */
  public static SqlMigrator postgres(DataSource dataSource, String schema) {
    Objects.requireNonNull(dataSource, "dataSource == null");
    requireIdentifier(schema);
    return new SqlMigrator(
        dataSource, "classpath:tracestore/schema/sql/postgres", schema, null,
        "PostgreSQL schema \"" + schema + '"');
  }

  /**
   * A migrator for one SQLite database file.
   *
   * @param databaseFile the file the data source opens; its sibling {@code .migrate-lock} file
   *     serializes migrations across processes
   */
  public static SqlMigrator sqlite(DataSource dataSource, Path databaseFile) {
    Objects.requireNonNull(dataSource, "dataSource == null");
    Objects.requireNonNull(databaseFile, "databaseFile == null");
    Path abs = databaseFile.toAbsolutePath().normalize();
    return new SqlMigrator(
        dataSource, "classpath:tracestore/schema/sql/sqlite", null,
        abs.resolveSibling(abs.getFileName() + ".migrate-lock"), "SQLite database " + abs);
  }

  /** What {@link #migrate()} did. Versions are empty when the database had none. */
  public record Result(Optional<String> fromVersion, Optional<String> toVersion, int applied) {}

  /** Applies pending migrations under the lock. Idempotent: a current database gets 0 applied. */
  public Result migrate() {
    return withLock(() -> {
      refuseNewerOrEdited(flyway.info().all());
      MigrateResult r;
      try {
        r = flyway.migrate();
      } catch (FlywayException e) {
        throw failure("migrating " + description + " failed: " + e.getMessage()
            + ". Fix the cause and run `" + MIGRATE_COMMAND + "` again", e);
      }
      return new Result(
          Optional.ofNullable(r.initialSchemaVersion), Optional.ofNullable(r.targetSchemaVersion),
          r.migrationsExecuted);
    });
  }

  /**
   * Checks the database is exactly at this build's version.
   *
   * @throws StorageException (permanent) when migrations are pending, failed, unknown to this build
   *     or edited; the message names the fix
   */
  public void verify() {
    MigrationInfo[] all = info();
    refuseNewerOrEdited(all);
    List<String> pending = new ArrayList<>();
    for (MigrationInfo m : all) {
      if (m.getState() == MigrationState.PENDING) pending.add(m.getVersion().getVersion());
    }
    if (!pending.isEmpty()) {
      throw failure(description + " is at version " + databaseVersion(all).orElse("(empty)")
          + " but this build needs " + latestVersion() + " (pending: " + pending + "). Run `"
          + MIGRATE_COMMAND + "`", null);
    }
  }

  /** The newest version the database has applied successfully, if any. */
  public Optional<String> databaseVersion() {
    return databaseVersion(info());
  }

  /** The newest version this build ships. */
  public String latestVersion() {
    String latest = null;
    for (MigrationInfo m : flyway.info().all()) {
      if (m.getState().isResolved() && m.getVersion() != null) latest = m.getVersion().getVersion();
    }
    return latest == null ? "(none)" : latest;
  }

  private MigrationInfo[] info() {
    try {
      return flyway.info().all();
    } catch (FlywayException e) {
      throw StorageException.retryable("reading the schema history of " + description + " failed", e);
    }
  }

  private static Optional<String> databaseVersion(MigrationInfo[] all) {
    String v = null;
    for (MigrationInfo m : all) {
      if (m.getVersion() != null && m.getState().isApplied() && !m.getState().isFailed()) {
        v = m.getVersion().getVersion();
      }
    }
    return Optional.ofNullable(v);
  }

  private void refuseNewerOrEdited(MigrationInfo[] all) {
    for (MigrationInfo m : all) {
      MigrationState s = m.getState();
      String v = m.getVersion() == null ? m.getDescription() : m.getVersion().getVersion();
      if (s == MigrationState.FUTURE_SUCCESS || s == MigrationState.FUTURE_FAILED
          || s == MigrationState.MISSING_SUCCESS || s == MigrationState.MISSING_FAILED) {
        throw failure(description + " has schema version " + v + " (\"" + m.getDescription()
            + "\"), which this build does not know: the database is newer than the code (this build"
            + " knows up to " + latestVersion() + "). Run a tracestore build that ships version " + v
            + "; `" + MIGRATE_COMMAND + "` of this build cannot downgrade it", null);
      }
      if (s.isFailed()) {
        throw failure("migration " + v + " of " + description + " failed earlier and left the"
            + " history marked failed. Repair the database by hand, then run `" + MIGRATE_COMMAND
            + "`", null);
      }
      if (s.isApplied() && s.isResolved() && m.isVersioned() && !m.isChecksumMatching()) {
        throw failure("migration " + v + " (" + m.getScript() + ") of " + description
            + " was edited after it was applied: its checksum in the database is "
            + m.getAppliedChecksum() + ", in this build " + m.getResolvedChecksum()
            + ". Restore the original script; never edit an applied migration, add a new one and run `"
            + MIGRATE_COMMAND + "`", null);
      }
    }
  }

  private static StorageException failure(String message, Throwable cause) {
    return StorageException.permanent(message, cause);
  }

  private <T> T withLock(java.util.function.Supplier<T> body) {
    if (lockFile == null) return body.get(); // Flyway takes pg_advisory_lock itself
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel ch = FileChannel.open(
            lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return body.get();
    } catch (IOException e) {
      throw StorageException.retryable("cannot lock " + lockFile + " to migrate " + description, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private static void requireIdentifier(String schema) {
    if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63), got " + schema);
    }
  }
}
