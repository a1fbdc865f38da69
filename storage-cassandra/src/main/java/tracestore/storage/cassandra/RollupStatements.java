package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * The prepared statements of retention's tables (schema V002), prepared once with the storage. Grouped
 * in one class rather than one class each: they are plain single-table statements used only by {@link
 * CassandraRollupStore}.
 */
final class RollupStatements {
  static final String INSERT_ROLLUP =
      "INSERT INTO %s.rollups (day, bucket_ns, service, operation, kind, span_count, error_count, latency_sketch)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  static final String SELECT_ROLLUPS =
      "SELECT bucket_ns, service, operation, kind, span_count, error_count, latency_sketch FROM %s.rollups"
          + " WHERE day = ? AND bucket_ns >= ? AND bucket_ns < ?";
  static final String INSERT_LINK =
      "INSERT INTO %s.dependency_links (day, bucket_ns, parent, child, calls, errors) VALUES (?, ?, ?, ?, ?, ?)";
  static final String SELECT_LINKS =
      "SELECT bucket_ns, parent, child, calls, errors FROM %s.dependency_links"
          + " WHERE day = ? AND bucket_ns >= ? AND bucket_ns < ?";
  static final String INSERT_EXEMPLAR =
      "INSERT INTO %s.exemplars (day, bucket_ns, service, operation, reason, trace_id, duration_ns, payload)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  static final String SELECT_EXEMPLARS =
      "SELECT bucket_ns, service, operation, reason, trace_id, duration_ns, payload FROM %s.exemplars"
          + " WHERE day = ? AND bucket_ns >= ? AND bucket_ns < ?";
  static final String INSERT_DAY = "INSERT INTO %s.aggregate_days (table_name, day) VALUES (?, ?)";
  static final String SELECT_DAYS =
      "SELECT day FROM %s.aggregate_days WHERE table_name = ? AND day >= ? AND day <= ?";
  static final String DELETE_DAY = "DELETE FROM %s.aggregate_days WHERE table_name = ? AND day = ?";
  static final String SELECT_WATERMARK = "SELECT epoch_ns FROM %s.watermarks WHERE job = ?";
  static final String UPSERT_WATERMARK = "INSERT INTO %s.watermarks (job, epoch_ns) VALUES (?, ?)";
  static final String TAKE_LEASE = "INSERT INTO %s.leases (name, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ?";
  static final String RENEW_LEASE = "UPDATE %s.leases USING TTL ? SET owner = ? WHERE name = ? IF owner = ?";
  static final String RELEASE_LEASE = "DELETE FROM %s.leases WHERE name = ? IF owner = ?";

  final StatementContext ctx;
  final PreparedStatement insertRollup;
  final PreparedStatement selectRollups;
  final PreparedStatement insertLink;
  final PreparedStatement selectLinks;
  final PreparedStatement insertExemplar;
  final PreparedStatement selectExemplars;
  final PreparedStatement insertDay;
  final PreparedStatement selectDays;
  final PreparedStatement deleteDay;
  final PreparedStatement selectWatermark;
  final PreparedStatement upsertWatermark;
  final PreparedStatement takeLease;
  final PreparedStatement renewLease;
  final PreparedStatement releaseLease;
  final SelectChunkStarts selectChunkStarts;
  /** Per table: count of rows before a bucket in one day, and the range delete of them. */
  final TableDeletes rollupDeletes;
  final TableDeletes linkDeletes;
  final TableDeletes exemplarDeletes;

  RollupStatements(StatementContext ctx) {
    this.ctx = ctx;
    insertRollup = ctx.prepare(INSERT_ROLLUP);
    selectRollups = ctx.prepare(SELECT_ROLLUPS);
    insertLink = ctx.prepare(INSERT_LINK);
    selectLinks = ctx.prepare(SELECT_LINKS);
    insertExemplar = ctx.prepare(INSERT_EXEMPLAR);
    selectExemplars = ctx.prepare(SELECT_EXEMPLARS);
    insertDay = ctx.prepare(INSERT_DAY);
    selectDays = ctx.prepare(SELECT_DAYS);
    deleteDay = ctx.prepare(DELETE_DAY);
    selectWatermark = ctx.prepare(SELECT_WATERMARK);
    upsertWatermark = ctx.prepare(UPSERT_WATERMARK);
    takeLease = ctx.prepare(TAKE_LEASE);
    renewLease = ctx.prepare(RENEW_LEASE);
    releaseLease = ctx.prepare(RELEASE_LEASE);
    selectChunkStarts = new SelectChunkStarts(ctx);
    rollupDeletes = new TableDeletes(ctx, "rollups");
    linkDeletes = new TableDeletes(ctx, "dependency_links");
    exemplarDeletes = new TableDeletes(ctx, "exemplars");
  }

  /** Counting and range-deleting the rows of one day partition before a bucket start. */
  static final class TableDeletes {
    final String table;
    final PreparedStatement countBefore;
    final PreparedStatement deleteBefore;
    final PreparedStatement deletePartition;

    TableDeletes(StatementContext ctx, String table) {
      this.table = table;
      countBefore = ctx.prepare("SELECT COUNT(*) FROM %s." + table + " WHERE day = ? AND bucket_ns < ?");
      deleteBefore = ctx.prepare("DELETE FROM %s." + table + " WHERE day = ? AND bucket_ns < ?");
      deletePartition = ctx.prepare("DELETE FROM %s." + table + " WHERE day = ?");
    }
  }
}
