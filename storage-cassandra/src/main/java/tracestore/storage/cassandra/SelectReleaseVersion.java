package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/** The coordinator's Cassandra version: the cheapest query that proves a node answers. */
final class SelectReleaseVersion {
  static final String CQL = "SELECT release_version FROM system.local";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectReleaseVersion(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.session().prepare(CQL);
  }

  BoundStatement bind() {
    return ctx.read(ps).setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.ONE).build();
  }
}
