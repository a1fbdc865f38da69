package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The postings of one key=value in a (service, hour) partition (schema V003): a clustering slice. */
final class SelectTagIndex {
  static final String CQL =
      "SELECT min_start, max_start, traces FROM %s.service_tag_index"
          + " WHERE service = ? AND bucket = ? AND key = ? AND value = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectTagIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, String key, String value, int bucket, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setInt(1, bucket)
        .setString(2, key)
        .setString(3, value)
        .setPageSize(pageSize)
        .build();
  }
}
