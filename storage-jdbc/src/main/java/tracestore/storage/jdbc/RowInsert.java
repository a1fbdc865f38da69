package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One table's insert: its SQL pieces and the binder of one row. {@link #insertAll} sends rows as
 * multi-row {@code INSERT ... VALUES (...), (...) ON CONFLICT ...} statements of at most {@link
 * #MAX_ROWS} rows (fewer when the dialect's parameter limit is lower), so a batch of n rows costs
 * about n / MAX_ROWS round trips. Rows must be unique by the table's conflict key: PostgreSQL
 * refuses to update one row twice in one statement, so callers deduplicate first.
 *
 * @param <T> the row value
 */
abstract class RowInsert<T> {
  static final int MAX_ROWS = 500;

  private final String prefix;
  private final String row;
  private final String suffix;
  private final int columns;

  /**
   * @param tableAndColumns e.g. {@code chunks (trace_id, chunk_id)}
   * @param columns the number of bind parameters per row
   * @param onConflict the {@code ON CONFLICT ...} clause, with a leading space
   */
  RowInsert(String tableAndColumns, int columns, String onConflict) {
    this.prefix = "INSERT INTO " + tableAndColumns + " VALUES ";
    this.row = "(" + "?, ".repeat(columns - 1) + "?)";
    this.suffix = onConflict;
    this.columns = columns;
  }

  /** Binds one row starting at parameter {@code index}; returns the next free index. */
  abstract int bind(Dialect dialect, PreparedStatement ps, int index, T row) throws SQLException;

  /** The SQL text for {@code rows} rows. */
  final String sql(int rows) {
    StringBuilder sb = new StringBuilder(prefix.length() + rows * (row.length() + 2) + suffix.length());
    sb.append(prefix);
    for (int i = 0; i < rows; i++) {
      if (i > 0) sb.append(", ");
      sb.append(row);
    }
    return sb.append(suffix).toString();
  }

  /** Reads one row of a {@code RETURNING} clause. */
  interface Returned {
    void accept(java.sql.ResultSet rs) throws SQLException;
  }

  /** Inserts every row in the caller's transaction. */
  final void insertAll(Connection c, Dialect dialect, List<T> rows) throws SQLException {
    insertAll(c, dialect, rows, null, null);
  }

  /**
   * Inserts every row in the caller's transaction; with a {@code returning} clause (e.g. {@code "
   * RETURNING trace_id"}), hands each returned row (the rows actually inserted) to {@code out}.
   */
  final void insertAll(Connection c, Dialect dialect, List<T> rows, String returning, Returned out)
      throws SQLException {
    String tail = returning == null ? "" : returning;
    int block = Math.min(MAX_ROWS, dialect.maxParameters() / columns);
    int full = rows.size() / block;
    if (full > 0) {
      try (PreparedStatement ps = c.prepareStatement(sql(block) + tail)) {
        for (int b = 0; b < full; b++) {
          int index = 1;
          for (int i = b * block, end = i + block; i < end; i++) {
            index = bind(dialect, ps, index, rows.get(i));
          }
          execute(ps, out);
        }
      }
    }
    int rest = rows.size() - full * block;
    if (rest > 0) {
      try (PreparedStatement ps = c.prepareStatement(sql(rest) + tail)) {
        int index = 1;
        for (int i = full * block; i < rows.size(); i++) index = bind(dialect, ps, index, rows.get(i));
        execute(ps, out);
      }
    }
  }

  private static void execute(PreparedStatement ps, Returned out) throws SQLException {
    if (out == null) {
      ps.executeUpdate();
      return;
    }
    try (java.sql.ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.accept(rs);
    }
  }
}
