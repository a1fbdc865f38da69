package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.model.TraceId;

/** The chunk payloads of one trace: one partition. */
final class SelectChunks {
  static final String CQL = "SELECT payload FROM %s.chunks WHERE trace_id = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectChunks(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(TraceId traceId) {
    return ctx.read(ps).setByteBuffer(0, ByteBuffer.wrap(traceId.toBytes())).build();
  }
}
