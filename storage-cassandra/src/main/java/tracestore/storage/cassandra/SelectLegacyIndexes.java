package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * Whether schema V003's posting tables ({@code service_index}, {@code operation_index}, {@code
 * service_tag_index}), which V005's {@code index_segments} replaced and which are no longer written,
 * still hold rows. Every write of those versions wrote a {@code service_index} row, so probing it
 * answers for all three. While it holds rows (written before the upgrade, until their TTL), searches
 * and the raw scan read those tables too.
 */
final class SelectLegacyIndexes {
  static final String ANY_CQL = "SELECT bucket FROM %s.service_index LIMIT 1";

  private final StatementContext ctx;
  private final PreparedStatement any;

  SelectLegacyIndexes(StatementContext ctx) {
    this.ctx = ctx;
    this.any = ctx.prepare(ANY_CQL);
  }

  /** A failed probe answers true, so reads keep the old tables rather than miss a hit. */
  boolean anyRow() {
    try {
      return ctx.session().execute(ctx.read(any).build()).one() != null;
    } catch (RuntimeException e) {
      return true;
    }
  }
}
