package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The filters of every segment of one (service, hour) partition (schema V005), without their entries. */
final class SelectSegmentFilters {
  static final String CQL =
      "SELECT segment, min_start, max_start, terms FROM %s.index_segments WHERE service = ? AND bucket = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectSegmentFilters(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, int bucket, int pageSize) {
    return ctx.read(ps).setString(0, service).setInt(1, bucket).setPageSize(pageSize).build();
  }
}
