package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;

/**
 * Writes the index rows of the new chunks of one batch, in the caller's transaction. Two ways:
 * multi-row INSERT (SQLite, and PostgreSQL's comparator) and COPY (PostgreSQL); BENCHMARKS.md
 * gives the measured reason for each dialect's choice.
 */
interface IndexRows {
  void write(Connection c, List<ServiceIndexEntry> service, List<OperationIndexEntry> operation,
      List<TagIndexEntry> tag) throws SQLException;

  /** Multi-row {@code INSERT ... VALUES} of at most {@link RowInsert#MAX_ROWS} rows a statement. */
  static IndexRows inserts(Dialect d) {
    RowInsert<ServiceIndexEntry> s = Inserts.serviceIndex(d);
    RowInsert<OperationIndexEntry> o = Inserts.operationIndex(d);
    RowInsert<TagIndexEntry> t = Inserts.tagIndex(d);
    if (d.partitioned()) { // PostgreSQL's layout: one trace_index row per (service, batch)
      RowInsert<BatchRows.Row> rows = Inserts.traceIndex();
      return (c, service, operation, tag) ->
          rows.insertAll(c, d, BatchRows.of(TraceRows.of(service, operation, tag)));
    }
    return (c, service, operation, tag) -> {
      s.insertAll(c, d, service);
      o.insertAll(c, d, operation);
      t.insertAll(c, d, tag);
    };
  }
}
