package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.model.TraceId;

/** The chunks of one trace with their earliest span start, for retention's raw scan. */
final class SelectChunkStarts {
  static final String CQL = "SELECT min_start, payload FROM %s.chunks WHERE trace_id = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectChunkStarts(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(TraceId traceId) {
    return ctx.read(ps).setByteBuffer(0, ByteBuffer.wrap(traceId.toBytes())).build();
  }
}
