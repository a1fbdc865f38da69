package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.ByteBuffer;
import tracestore.storage.ChunkDictionary;

/**
 * One chunk dictionary row, with its own TTL ({@link DictionaryWrites} says which). A plain insert:
 * the id hashes the payload, so a rewrite stores the same bytes and only renews the TTL, and no
 * lightweight transaction (four round trips of Paxos) is needed.
 */
final class InsertDictionary {
  static final String CQL = "INSERT INTO %s.chunk_dictionaries (id, payload) VALUES (?, ?) USING TTL ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  InsertDictionary(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  /** @param ttlSeconds 0 for no expiry */
  BoundStatement bind(ChunkDictionary d, int ttlSeconds) {
    return ctx.write(ps)
        .setLong(0, d.id())
        .setByteBuffer(1, ByteBuffer.wrap(d.payload()))
        .setInt(2, ttlSeconds)
        .build();
  }
}
