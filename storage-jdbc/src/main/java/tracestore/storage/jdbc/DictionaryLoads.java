package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.codec.DictionaryLoader;

/**
 * Loads a chunk dictionary's payload by id for the backend's one {@link ChunkDictionaries}.
 *
 * <p>A chunk is decoded while its reader holds a read connection (a trace read, or the streaming
 * {@code scanRaw}). Borrowing a second connection from the same pool for the dictionary would,
 * when every connection is held by a reader doing the same, wait out the pool's connection timeout
 * and fail every one of them. So a reader {@link #bind}s its connection to its thread for the
 * duration, and a load on that thread runs on it; a load on an unbound thread borrows a read
 * connection. Thread-safe.
 */
final class DictionaryLoads implements DictionaryLoader {
  static final String SELECT = "SELECT payload FROM chunk_dictionaries WHERE id = ?";

  private final DataSource reads;
  private final Dialect dialect;
  private final ThreadLocal<Connection> bound = new ThreadLocal<>();

  DictionaryLoads(DataSource reads, Dialect dialect) {
    this.reads = reads;
    this.dialect = dialect;
  }

  /** Undoes a {@link #bind}; closing never throws. */
  interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /** Until the binding is closed, loads on this thread use {@code c}. Bindings nest. */
  Binding bind(Connection c) {
    Connection previous = bound.get();
    bound.set(c);
    return () -> {
      if (previous == null) {
        bound.remove();
      } else {
        bound.set(previous);
      }
    };
  }

  @Override
  public byte[] load(long id) {
    Connection c = bound.get();
    try {
      if (c != null) return select(c, id);
      try (Connection own = reads.getConnection()) {
        return select(own, id);
      }
    } catch (SQLException e) {
      throw Failures.classify(
          "loading chunk dictionary " + Long.toHexString(id) + " from " + dialect.name(), e);
    }
  }

  private static byte[] select(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }
}
