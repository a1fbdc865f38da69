package tracestore.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import tracestore.storage.Chunk;

/**
 * The write statements of the raw and name tables, each its SQL next to its binder. Replays are
 * idempotent: chunks are keyed by (trace id, chunk id) and {@code DO NOTHING} on conflict, and a
 * trace's index rows are written only when its chunk was new (see {@link JdbcSpanWriter}).
 * Index rows have no unique key and no conflict clause (SQLite's: {@link SqliteTraceRows}). PostgreSQL first tries the chunks by
 * COPY ({@link PgCopyChunks}) and comes here only when one was already stored.
 */
final class Inserts {
  private Inserts() {}

  static RowInsert<Chunk> chunks() {
    return new RowInsert<>(
        "chunks (trace_id, chunk_id, start_ns, end_ns, span_count, payload)", 6,
        " ON CONFLICT DO NOTHING") {
      @Override
      int bind(Dialect d, PreparedStatement ps, int i, Chunk c) throws SQLException {
        d.bindTraceId(ps, i++, c.traceId());
        ps.setLong(i++, c.chunkId());
        ps.setLong(i++, c.minStartEpochNanos());
        ps.setLong(i++, c.maxEndEpochNanos());
        ps.setInt(i++, c.spanCount());
        ps.setBytes(i++, c.payload());
        return i;
      }
    };
  }

  /** Which chunks were new: the returned trace ids. */
  static final String RETURNING_TRACE_ID = " RETURNING trace_id";

  /** PostgreSQL's {@code trace_index} rows ({@link BatchRows}), the arrays as JDBC arrays. */
  static RowInsert<BatchRows.Row> traceIndex() {
    return new RowInsert<>("trace_index (service, start_ns, trace_ids, part_offsets, durations,"
        + " errors, terms, term_parts, term_offsets, op_durations)", 10, "") {
      @Override
      int bind(Dialect d, PreparedStatement ps, int i, BatchRows.Row r) throws SQLException {
        d.setText(ps, i++, r.service());
        ps.setLong(i++, r.startEpochNanos());
        java.sql.Connection c = ps.getConnection();
        Object[] ids = new Object[r.traceIds().length];
        for (int k = 0; k < ids.length; k++) ids[k] = new java.util.UUID(r.traceIds()[k].high(), r.traceIds()[k].low());
        ps.setArray(i++, c.createArrayOf("uuid", ids));
        ps.setArray(i++, ints(c, r.partOffsets()));
        ps.setArray(i++, longs(c, r.durations()));
        Object[] errors = new Object[r.errors().length];
        for (int k = 0; k < errors.length; k++) errors[k] = r.errors()[k];
        ps.setArray(i++, c.createArrayOf("bool", errors));
        ps.setArray(i++, longs(c, r.terms()));
        ps.setArray(i++, ints(c, r.termParts()));
        ps.setArray(i++, ints(c, r.termOffsets()));
        ps.setArray(i++, longs(c, r.opDurations()));
        return i;
      }
    };
  }

  private static java.sql.Array longs(java.sql.Connection c, long[] v) throws SQLException {
    return c.createArrayOf("int8", java.util.Arrays.stream(v).boxed().toArray());
  }

  private static java.sql.Array ints(java.sql.Connection c, int[] v) throws SQLException {
    return c.createArrayOf("int4", java.util.Arrays.stream(v).boxed().toArray());
  }

  /** A name row: up to three text parts and an optional kind, per {@link Name.Type}. */
  static RowInsert<Name> names(Name.Type type) {
    return new RowInsert<>(type.tableAndColumns, type.columns, " ON CONFLICT DO NOTHING") {
      @Override
      int bind(Dialect d, PreparedStatement ps, int i, Name n) throws SQLException {
        d.setText(ps, i++, n.a());
        if (type.columns > 1) d.setText(ps, i++, n.b());
        if (type == Name.Type.OPERATION) ps.setShort(i++, (short) n.kind());
        return i;
      }
    };
  }
}
