package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The postings of one value in a (service, key, hour) partition: a clustering slice. */
final class SelectTagIndex {
  static final String CQL =
      "SELECT min_start, max_start, traces FROM %s.tag_index"
          + " WHERE service = ? AND key = ? AND bucket = ? AND value = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectTagIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(String service, String key, String value, int bucket, int pageSize) {
    return ctx.read(ps)
        .setString(0, service)
        .setString(1, key)
        .setInt(2, bucket)
        .setString(3, value)
        .setPageSize(pageSize)
        .build();
  }
}
