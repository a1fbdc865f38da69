package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;

/**
 * Writes the index rows of the new chunks of one batch, in the caller's transaction. PostgreSQL:
 * COPY, or multi-row INSERT as the comparator; SQLite: {@link SqliteTraceRows}. BENCHMARKS.md
 * gives the measured reason for each choice.
 */
interface IndexRows {
  void write(Connection c, List<ServiceIndexEntry> service, List<OperationIndexEntry> operation,
      List<TagIndexEntry> tag) throws SQLException;

  /**
   * SQLite's rows, or PostgreSQL's by multi-row {@code INSERT ... VALUES} of at most {@link
   * RowInsert#MAX_ROWS} rows a statement.
   */
  static IndexRows inserts(Dialect d) {
    if (!d.partitioned()) return new SqliteTraceRows(); // SQLite: its own trace_index and FTS
    // PostgreSQL's comparator: one trace_index row per (service, batch)
    RowInsert<BatchRows.Row> rows = Inserts.traceIndex();
    return (c, service, operation, tag) ->
        rows.insertAll(c, d, BatchRows.of(TraceRows.of(service, operation, tag)));
  }
}
