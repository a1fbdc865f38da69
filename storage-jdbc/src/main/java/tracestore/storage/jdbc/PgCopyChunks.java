package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tracestore.storage.Chunk;
import tracestore.storage.model.TraceId;

/**
 * PostgreSQL chunk rows through one binary {@code COPY} per batch: the fast path of {@link
 * JdbcSpanWriter}. COPY has no {@code ON CONFLICT}, so a chunk already stored (a replayed batch,
 * or a concurrent replay that committed first) fails the whole COPY with a unique violation
 * ({@link #UNIQUE_VIOLATION}); the writer then rolls the transaction back and writes the batch
 * again with {@code INSERT ... ON CONFLICT DO NOTHING RETURNING}, which tells which chunks were
 * new. A first write, the usual case, pays neither the statement's planning nor the speculative
 * insertion of {@code ON CONFLICT}, and then every trace of the batch is new.
 */
final class PgCopyChunks {
  private PgCopyChunks() {}

  static final String UNIQUE_VIOLATION = "23505";
  static final String COPY_CHUNKS = "COPY chunks (trace_id, chunk_id, start_ns, end_ns, span_count,"
      + " payload) FROM STDIN (FORMAT binary)";

  /** Copies the chunks, in the order given (the writer's global lock order). */
  static void copy(Connection c, List<Chunk> chunks) throws SQLException {
    if (chunks.isEmpty()) return;
    byte[] bytes = encode(chunks);
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_CHUNKS);
    try {
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  static byte[] encode(List<Chunk> chunks) {
    int size = 64;
    for (Chunk ch : chunks) size += 70 + ch.payload().length;
    PgCopyIndexRows.Buf b = new PgCopyIndexRows.Buf(size);
    b.bytes(PgCopyIndexRows.SIGNATURE).int32(0).int32(0);
    for (Chunk ch : chunks) {
      b.int16(6);
      TraceId id = ch.traceId();
      b.int32(16).int64(id.high()).int64(id.low());
      b.int32(8).int64(ch.chunkId());
      b.int32(8).int64(ch.minStartEpochNanos());
      b.int32(8).int64(ch.maxEndEpochNanos());
      b.int32(4).int32(ch.spanCount());
      b.int32(ch.payload().length).bytes(ch.payload());
    }
    b.int16(-1);
    return b.toByteArray();
  }
}
