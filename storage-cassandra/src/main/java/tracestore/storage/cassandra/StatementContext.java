package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;

/**
 * What every statement class shares: the session, the keyspace its CQL names explicitly (so a session
 * may be shared across keyspaces), and the consistency levels.
 */
record StatementContext(
    CqlSession session, CqlIdentifier keyspace, ConsistencyLevel writeConsistency, ConsistencyLevel readConsistency) {

  /** Prepares {@code cql}, in which {@code %s} stands for the keyspace. */
  PreparedStatement prepare(String cql) {
    return session.prepare(String.format(cql, keyspace.asCql(true)));
  }

  /** A write: idempotent (every tracestore write is), at the write consistency. */
  BoundStatementBuilder write(PreparedStatement ps) {
    return ps.boundStatementBuilder().setIdempotence(true).setConsistencyLevel(writeConsistency);
  }

  /** A read at the read consistency. */
  BoundStatementBuilder read(PreparedStatement ps) {
    return ps.boundStatementBuilder().setIdempotence(true).setConsistencyLevel(readConsistency);
  }
}
