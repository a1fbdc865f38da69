package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * Reads of schema V001's {@code tag_index}, which V003 replaced by {@code service_tag_index} and
 * which is no longer written. Rows written before the upgrade live there until their TTL, so a
 * search reads it too while {@link #anyRow()} found rows when the storage was built.
 */
final class SelectLegacyTagIndex {
  static final String CQL =
      "SELECT min_start, max_start, traces FROM %s.tag_index"
          + " WHERE service = ? AND key = ? AND bucket = ? AND value = ?";
  static final String ANY_CQL = "SELECT bucket FROM %s.tag_index LIMIT 1";

  private final StatementContext ctx;
  private final PreparedStatement ps;
  private final PreparedStatement any;

  SelectLegacyTagIndex(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
    this.any = ctx.prepare(ANY_CQL);
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

  /**
   * Whether the old table holds any live row. A failed probe (e.g. a table full of expired cells)
   * answers true, so searches keep reading it rather than miss a hit.
   */
  boolean anyRow() {
    try {
      return ctx.session().execute(ctx.read(any).build()).one() != null;
    } catch (RuntimeException e) {
      return true;
    }
  }
}
