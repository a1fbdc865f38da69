package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The postings of one (service, hour) partition. */
final class SelectServiceIndex {
  static final String CQL =
      "SELECT min_start, max_start, traces FROM %s.service_index WHERE service = ? AND bucket = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectServiceIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, int bucket, int pageSize) {
    return ctx.read(ps).setString(0, service).setInt(1, bucket).setPageSize(pageSize).build();
  }
}
