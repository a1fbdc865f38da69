package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.List;

/**
 * The entries of chosen segments of one (service, hour) partition (schema V005): an {@code IN} on
 * the clustering key of one partition, so one replica read; or every segment of the partition.
 */
final class SelectSegmentEntries {
  /** Segments per statement at most. */
  static final int MAX_IN = 100;

  static final String CQL =
      "SELECT segment, postings FROM %s.index_segments WHERE service = ? AND bucket = ? AND segment IN ?";
  static final String ALL_CQL =
      "SELECT min_start, max_start, postings FROM %s.index_segments WHERE service = ? AND bucket = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;
  private final PreparedStatement all;

  SelectSegmentEntries(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
    this.all = ctx.prepare(ALL_CQL);
  }

  BoundStatement bind(String service, int bucket, List<Long> segments, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setInt(1, bucket)
        .setList(2, segments, Long.class)
        .setPageSize(pageSize)
        .build();
  }

  BoundStatement bindAll(String service, int bucket, int pageSize) {
    return ctx.read(all).setString(0, service).setInt(1, bucket).setPageSize(pageSize).build();
  }
}
