package tracestore.schema;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one place tests pick their databases.
 *
 * <p>PostgreSQL: {@code TRACESTORE_TEST_PG_URL}, else the root pom's default (127.0.0.1:5432, user
 * postgres, database test). When that server does not answer, Testcontainers' postgres where a
 * Docker engine exists. Otherwise the test fails under {@code CI=true} and is skipped elsewhere.
 * Each test class gets its own schema, dropped and recreated, so classes run in any order.
 */
public final class TestDatabases {
  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static String resolvedUrl;
  private static PostgreSQLContainer container;

  private TestDatabases() {}

  /** The JDBC URL of a reachable PostgreSQL, or the test fails (CI) or is skipped (elsewhere). */
  public static synchronized String postgresUrl() {
    if (resolvedUrl != null) return resolvedUrl;
    String url = System.getenv("TRACESTORE_TEST_PG_URL");
    if (url == null || url.isBlank()) url = System.getenv("TRACESTORE_TEST_PG_URL_DEFAULT");
    if (url == null || url.isBlank()) url = DEFAULT_URL;
    SQLException error;
    try (Connection c = DriverManager.getConnection(url)) {
      resolvedUrl = url;
      return url;
    } catch (SQLException e) {
      error = e;
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      container = new PostgreSQLContainer("postgres:15-alpine");
      container.start();
      resolvedUrl = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
          + "user=" + container.getUsername() + "&password=" + container.getPassword();
      return resolvedUrl;
    }
    String message = "no PostgreSQL at " + url + " (" + error.getMessage()
        + ") and no Docker for Testcontainers. Start it (.ci/run does:"
        + " pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)"
        + " or set TRACESTORE_TEST_PG_URL";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message, error);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /**
   * A schema name of its own for a test class: lower-cased simple name, prefixed, and suffixed
   * with a hash of the module directory, so that two checkouts building at once on the same
   * PostgreSQL (CI and a developer, or parallel worktrees) never drop each other's schemas.
   */
  public static String schemaFor(Class<?> testClass) {
    String name = "t_" + testClass.getName().replaceAll("^.*\\.", "").replace('$', '_');
    name = name.toLowerCase(Locale.ROOT);
    if (name.length() > 54) name = name.substring(0, 54);
    return name + "_" + CHECKOUT;
  }

  /** 8 hex digits naming the directory the tests run in. */
  private static final String CHECKOUT =
      String.format("%08x", System.getProperty("user.dir", "").hashCode());

  /** Drops (cascade) and recreates {@code schema}; returns a data source whose default is it. */
  public static DataSource freshPostgresSchema(String schema) {
    dropPostgresSchema(schema);
    execute("CREATE SCHEMA " + schema);
    return postgres(schema);
  }

  /** Drops {@code schema} and everything in it, if it exists. */
  public static void dropPostgresSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** A plain (unpooled) data source on the test PostgreSQL with {@code schema} first in the path. */
  public static DataSource postgres(String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(postgresUrl());
    ds.setCurrentSchema(schema);
    return ds;
  }

  /** Runs one statement on the test PostgreSQL, autocommit. */
  public static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(postgresUrl());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** A data source on a SQLite file. */
  public static DataSource sqlite(Path file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
  }
}
