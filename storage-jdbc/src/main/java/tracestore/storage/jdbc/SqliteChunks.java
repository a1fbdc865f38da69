package tracestore.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import tracestore.storage.Chunk;
import tracestore.storage.model.TraceId;

/**
 * SQLite's chunk insert: one prepared single-row {@code INSERT OR IGNORE} run as a JDBC batch, as
 * the raw ceiling does. The update count of each row (1 inserted, 0 already stored) tells which
 * chunks were new, as {@code RETURNING} does on PostgreSQL, without parsing a statement of
 * hundreds of rows per batch (in process, a statement per row costs no round trip).
 */
final class SqliteChunks {
  private SqliteChunks() {}

  static final String INSERT = "INSERT OR IGNORE INTO chunks (trace_id, chunk_id, start_ns, end_ns,"
      + " span_count, payload) VALUES (?, ?, ?, ?, ?, ?)";

  /** Inserts the chunks in the caller's transaction; adds the traces of new ones to {@code fresh}. */
  static void insert(Connection c, List<Chunk> chunks, Set<TraceId> fresh) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Chunk ch : chunks) {
        ps.setBytes(1, ch.traceId().toBytes());
        ps.setLong(2, ch.chunkId());
        ps.setLong(3, ch.minStartEpochNanos());
        ps.setLong(4, ch.maxEndEpochNanos());
        ps.setInt(5, ch.spanCount());
        ps.setBytes(6, ch.payload());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < counts.length; i++) if (counts[i] > 0) fresh.add(chunks.get(i).traceId());
    }
  }
}
