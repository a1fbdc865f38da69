package tracestore.storage.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import tracestore.storage.OverCapacityException;
import tracestore.storage.StorageException;

/**
 * The one place where JDBC failures become {@link StorageException}s, retryable or not. The
 * driver's exception is kept as the cause.
 */
final class Failures {
  private Failures() {}

  /** Wraps {@code e}, saying what we were doing; never returns null. */
  static StorageException classify(String doing, Throwable e) {
    if (e instanceof StorageException se) return se;
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return StorageException.retryable(doing + " was interrupted", e);
    }
    SQLException sql = firstSqlException(e);
    if (sql == null) return StorageException.permanent(doing + " failed: " + e, e);
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    String message = doing + " failed (SQLState " + (state.isEmpty() ? "none" : state) + "): "
        + sql.getMessage();
    if (isOverload(state)) return new OverCapacityException(message, e);
    if (isRetryable(sql, state)) return StorageException.retryable(message, e);
    return StorageException.permanent(message, e);
  }

  /**
   * Connection lost or refused (class 08), the session killed by an administrator or a shutdown
   * (57P01..57P03, e.g. pg_terminate_backend), a statement cancelled by statement_timeout (57014),
   * lock timeouts (55P03), serialization failures and deadlocks (40001, 40P01), SQLite's busy and
   * locked codes, and anything the driver or the pool marks transient or recoverable.
   */
  static boolean isRetryable(SQLException sql, String state) {
    if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) return true;
    if (state.startsWith("08") || state.startsWith("57") || state.startsWith("40")) return true;
    if (state.equals("55P03") || state.startsWith("53")) return true;
    // sqlite-jdbc: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes in the high bits.
    int code = sql.getErrorCode() & 0xff;
    if (sql.getClass().getName().startsWith("org.sqlite") && (code == 5 || code == 6)) return true;
    String msg = String.valueOf(sql.getMessage());
    return msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED")
        || msg.contains("This connection has been closed") || msg.contains("I/O error");
  }

  /**
   * The session is gone (connection failure class 08, or the server killed it: 57P01..57P03) while
   * the database may well be up: a new connection may succeed at once.
   */
  static boolean isConnectionLost(Throwable e) {
    SQLException sql = firstSqlException(e);
    if (sql == null) return false;
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    return state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03") || sql instanceof SQLRecoverableException;
  }

  /** Too many connections (53300) or the pool's own timeout: the backend is saturated. */
  private static boolean isOverload(String state) {
    return state.equals("53300");
  }

  private static SQLException firstSqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) return s;
      if (t.getCause() == t) break;
    }
    return null;
  }
}
