package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import tracestore.storage.codec.DictionaryLoader;

/**
 * A chunk dictionary's payload by id, one single-partition read, for the storage's one {@code
 * ChunkDictionaries}. Blocking: chunks are decoded on the reader's thread, never a driver thread.
 */
final class SelectDictionary implements DictionaryLoader {
  static final String CQL = "SELECT payload FROM %s.chunk_dictionaries WHERE id = ?";

  private final StatementContext ctx;
  private final PreparedStatement ps;

  SelectDictionary(StatementContext ctx) {
    this.ctx = ctx;
    this.ps = ctx.prepare(CQL);
  }

  @Override
  public byte[] load(long id) {
    Row row;
    try {
      row = ctx.session().execute(ctx.read(ps).setLong(0, id).build()).one();
    } catch (RuntimeException e) {
      throw Failures.map(e, "loading chunk dictionary " + Long.toHexString(id));
    }
    ByteBuffer payload = row == null ? null : row.getByteBuffer(0);
    if (payload == null) return null;
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    return bytes;
  }
}
