package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.Chunk;

/** One chunk row. Rewriting the same chunk overwrites the same (trace_id, chunk_id) row. */
final class InsertChunk {
  static final String CQL =
      "INSERT INTO %s.chunks (trace_id, chunk_id, min_start, max_end, span_count, payload)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertChunk(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  BoundStatement bind(Chunk c) {
    return ctx.write(ps)
        .setByteBuffer(0, ByteBuffer.wrap(c.traceId().toBytes()))
        .setLong(1, c.chunkId())
        .setLong(2, c.minStartEpochNanos())
        .setLong(3, c.maxEndEpochNanos())
        .setInt(4, c.spanCount())
        .setByteBuffer(5, ByteBuffer.wrap(c.payload()))
        .build();
  }
}
