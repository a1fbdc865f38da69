package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;

/**
 * SQLite's index rows (schema V004): PostgreSQL's {@code trace_index} rows ({@link TraceRows}), one
 * per (trace, service) per batch, with the arrays as fixed-width text, and an FTS5 index of their
 * terms that a trigger fills. BENCHMARKS.md gives the measured reason (V001 wrote about 3.2 rows
 * per span in three b-trees).
 *
 * <p><b>Row ids follow time.</b> A row's id is its start in nanoseconds, or up to {@link #ID_SLACK}
 * more when another row already holds that value, so the rows of [from, to] are the ids of [from,
 * to + ID_SLACK]: the FTS index answers a term over a time range by an id range (FTS5 seeks in
 * its id lists), and searches over all services read an id range of the table itself. SQLite
 * has one writer, so the ids are chosen here: in start order within the batch, then {@code INSERT
 * OR IGNORE} tells which collided with a stored row, and those try the next id. Each row's terms
 * then go to the FTS index under its final id, by a statement of their own: the same insert as a
 * trigger on trace_index cost about six times as much CPU (BENCHMARKS.md). A delete trigger keeps
 * the FTS index in step when retention deletes rows.
 *
 * <p><b>Text columns.</b> {@code terms} holds per term 16 lowercase hex digits and a space ({@link
 * #TERM_WIDTH} characters): the FTS tokens, and a search finds an element's position with {@code
 * instr}. A hex pattern followed by a space can only match at a multiple of 17, so the position is
 * exact. {@code term_offsets} holds 9 decimal digits per term and {@code op_durations} 19 per
 * operation term, read back with {@code substr} and a cast.
 */
final class SqliteTraceRows implements IndexRows {
  /** How far above its start a row's id may be: 1 ms of ids for rows starting in the same ns. */
  static final long ID_SLACK = 1_000_000L;
  static final int TERM_WIDTH = 17;
  static final int OFFSET_WIDTH = 9;
  static final int DURATION_WIDTH = 19;

  static final String INSERT = "INSERT OR IGNORE INTO trace_index (id, service, start_ns, trace_id,"
      + " duration_ns, error, terms, term_offsets, op_durations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String INSERT_TERMS = "INSERT INTO trace_terms (rowid, terms) VALUES (?, ?)";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  @Override
  public void write(Connection c, List<ServiceIndexEntry> service,
      List<OperationIndexEntry> operation, List<TagIndexEntry> tag) throws SQLException {
    List<TraceRows.Row> rows = TraceRows.of(service, operation, tag);
    if (rows.isEmpty()) return;
    rows.sort(Comparator.comparingLong(TraceRows.Row::startEpochNanos));
    long[] ids = new long[rows.size()];
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < ids.length; i++) {
      long start = rows.get(i).startEpochNanos();
      ids[i] = previous != Long.MIN_VALUE && previous >= start ? next(previous, start) : start;
      previous = ids[i];
    }
    String[] terms = new String[ids.length];
    for (int i = 0; i < ids.length; i++) terms[i] = terms(rows.get(i).terms());
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      List<Integer> pending = new ArrayList<>(0);
      for (int i = 0; i < ids.length; i++) {
        bind(ps, ids[i], rows.get(i), terms[i]);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) if (counts[i] == 0) pending.add(i);
      // Collisions with stored rows (rare: another row starting in the same nanosecond).
      while (!pending.isEmpty()) {
        for (int i : pending) {
          ids[i] = next(ids[i], rows.get(i).startEpochNanos());
          bind(ps, ids[i], rows.get(i), terms[i]);
          ps.addBatch();
        }
        counts = ps.executeBatch();
        List<Integer> still = new ArrayList<>(0);
        for (int k = 0; k < counts.length; k++) if (counts[k] == 0) still.add(pending.get(k));
        pending = still;
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_TERMS)) {
      for (int i = 0; i < ids.length; i++) {
        if (terms[i].isEmpty()) continue;
        ps.setLong(1, ids[i]);
        ps.setString(2, terms[i]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The id after {@code id} for a row starting at {@code start}, within {@link #ID_SLACK}. */
  private static long next(long id, long start) throws SQLException {
    if (id == Long.MAX_VALUE || id + 1 - start >= ID_SLACK) {
      throw new SQLException("SQLite trace_index: " + ID_SLACK + " index rows already start at "
          + start + " ns; no row id is left for another");
    }
    return id + 1;
  }

  private static void bind(PreparedStatement ps, long id, TraceRows.Row r, String terms)
      throws SQLException {
    ps.setLong(1, id);
    ps.setString(2, r.service());
    ps.setLong(3, r.startEpochNanos());
    ps.setBytes(4, r.traceId().toBytes());
    if (r.hasService()) {
      ps.setLong(5, r.durationNanos());
      ps.setInt(6, r.error() ? 1 : 0);
    } else {
      ps.setNull(5, Types.BIGINT);
      ps.setNull(6, Types.INTEGER);
    }
    ps.setString(7, terms);
    ps.setString(8, offsets(r.offsets()));
    ps.setString(9, durations(r.opDurations()));
  }

  /** {@code terms}: per hash 16 lowercase hex digits and a space. */
  static String terms(long[] hashes) {
    char[] out = new char[hashes.length * TERM_WIDTH];
    for (int t = 0; t < hashes.length; t++) {
      int at = t * TERM_WIDTH;
      long h = hashes[t];
      for (int i = 15; i >= 0; i--) {
        out[at + i] = HEX[(int) (h & 0xf)];
        h >>>= 4;
      }
      out[at + 16] = ' ';
    }
    return new String(out);
  }

  /** One term as the {@code instr} pattern: its 16 hex digits and the space after them. */
  static String term(long hash) {
    return terms(new long[] {hash});
  }

  /** One term as an FTS5 query: the quoted token. */
  static String match(long hash) {
    return '"' + terms(new long[] {hash}).substring(0, 16) + '"';
  }

  static String offsets(int[] offsets) {
    return digits(offsets.length, OFFSET_WIDTH, i -> offsets[i]);
  }

  static String durations(long[] durations) {
    return digits(durations.length, DURATION_WIDTH, i -> durations[i]);
  }

  private interface Values {
    long get(int i);
  }

  /** Each value as {@code width} zero-padded decimal digits (values are never negative). */
  private static String digits(int n, int width, Values values) {
    char[] out = new char[n * width];
    for (int k = 0; k < n; k++) {
      long v = values.get(k);
      if (v < 0) throw new IllegalArgumentException("negative index value " + v);
      for (int i = (k + 1) * width - 1; i >= k * width; i--) {
        out[i] = (char) ('0' + v % 10);
        v /= 10;
      }
    }
    return new String(out);
  }
}
