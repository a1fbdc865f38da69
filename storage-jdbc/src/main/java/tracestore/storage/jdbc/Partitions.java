package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Daily range partitions of the PostgreSQL raw tables ({@link #TABLES}). A day is a UTC day; its
 * partition {@code <table>_pYYYYMMDD} holds {@code start_ns} in [midnight, next midnight).
 *
 * <p>Partitions are created ahead of time (today and the next days) at startup and on a timer, and
 * on demand before a batch whose start times fall on a day not yet known. Creation runs in its own
 * short transaction under a transaction-scoped advisory lock, so several instances can race safely.
 * Retention drops whole days ({@link #dropBefore}) instead of deleting rows. Thread-safe.
 */
final class Partitions {
  static final List<String> TABLES = List.of("chunks", "trace_index");
  static final long NANOS_PER_DAY = 86_400L * 1_000_000_000L;
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

  /** Serializes partition DDL between instances: a fixed advisory lock key ("tracestore partitions"). */
  private static final long LOCK_KEY = 0x7472_6163_6570_6172L;

  static final String LIST_SQL =
      "SELECT c.relname FROM pg_inherits i"
          + " JOIN pg_class c ON c.oid = i.inhrelid"
          + " JOIN pg_class p ON p.oid = i.inhparent"
          + " JOIN pg_namespace n ON n.oid = p.relnamespace"
          + " WHERE p.relname = ? AND n.nspname = current_schema()";

  private final DataSource dataSource;
  /** Days (epoch day numbers) whose partitions exist for every table. */
  private final Set<Long> knownDays = ConcurrentHashMap.newKeySet();

  Partitions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  static long dayOf(long epochNanos) {
    return Math.floorDiv(epochNanos, NANOS_PER_DAY);
  }

  /** Makes sure the partitions of every day in {@code days} exist. Cheap when they are known. */
  void ensure(Collection<Long> days) throws SQLException {
    List<Long> missing = new ArrayList<>();
    for (Long d : days) if (!knownDays.contains(d)) missing.add(d);
    if (missing.isEmpty()) return;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        for (long day : new TreeSet<>(missing)) {
          for (String table : TABLES) {
            s.execute("CREATE TABLE IF NOT EXISTS " + partitionName(table, day) + " PARTITION OF "
                + table + " FOR VALUES FROM (" + day * NANOS_PER_DAY + ") TO ("
                + (day + 1) * NANOS_PER_DAY + ')' + storageParameters(table));
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
    knownDays.addAll(missing);
  }

  /**
   * Chunk partitions keep rows up to {@value #CHUNK_TOAST_TUPLE_TARGET} bytes inline. Payloads
   * are LZ4 (V004 stores them uncompressed), and with the default target of about 2 kB every
   * larger chunk, a third of them, was cut into a TOAST table with its own index: a second heap
   * row and b-tree insert per chunk, both on write and on read (BENCHMARKS.md). PostgreSQL 15 takes
   * no storage parameters on a partitioned table, so each partition gets it; V006 sets it on the
   * partitions that already existed.
   *
   * <p>{@code trace_index} partitions (V007) take the same target: its rows (one per service and
   * batch, about 1.6 kB on average) would otherwise be pglz-compressed, and the larger ones moved
   * to TOAST, above about 2 kB. Inline rows cost about 0.4 PostgreSQL CPU-s per million spans less
   * to write, for about 25 bytes per span more at rest (BENCHMARKS.md); V007 creates its
   * partitions with it.
   */
  static final int CHUNK_TOAST_TUPLE_TARGET = 8160;

  private static String storageParameters(String table) {
    return " WITH (toast_tuple_target = " + CHUNK_TOAST_TUPLE_TARGET + ')'; // both tables, above
  }

  /** Creates today's partitions and those of the next {@code daysAhead} days (UTC). */
  void ensureAhead(long nowEpochNanos, int daysAhead) throws SQLException {
    long today = dayOf(nowEpochNanos);
    List<Long> days = new ArrayList<>();
    for (long d = today; d <= today + daysAhead; d++) days.add(d);
    ensure(days);
  }

  /** The days that have a chunks partition, ascending. */
  List<Long> existingDays() throws SQLException {
    List<Long> days = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(LIST_SQL)) {
      ps.setString(1, "chunks");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Long day = parseDay(rs.getString(1));
          if (day != null) days.add(day);
        }
      }
    }
    days.sort(null);
    return days;
  }

  /**
   * Drops the partitions of every day that ends at or before {@code epochNanos}. Returns the number
   * of days dropped.
   */
  long dropBefore(long epochNanos) throws SQLException {
    long firstKept = Math.floorDiv(epochNanos, NANOS_PER_DAY); // a day d ends at (d+1)*NANOS_PER_DAY
    long dropped = 0;
    for (long day : existingDays()) {
      if (day >= firstKept) break;
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
          for (String table : TABLES) s.execute("DROP TABLE IF EXISTS " + partitionName(table, day));
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
      knownDays.remove(day);
      dropped++;
    }
    return dropped;
  }

  /** Forgets these days, so the next {@link #ensure} checks and recreates their partitions. */
  void forget(Collection<Long> days) {
    knownDays.removeAll(days);
  }

  static String partitionName(String table, long epochDay) {
    return table + "_p" + LocalDate.ofEpochDay(epochDay).format(SUFFIX);
  }

  private static Long parseDay(String relname) {
    int p = relname.lastIndexOf("_p");
    if (p < 0) return null;
    try {
      return LocalDate.parse(relname.substring(p + 2), SUFFIX).toEpochDay();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
