package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracestore.schema.CqlMigrator;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.IndexPolicy;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Chunk dictionaries on the test node: stored before the chunks of the write that carries them,
 * loaded back byte for byte, one row however often written, and with a TTL past their chunks'. The
 * chunks are ordinary ones; the codec's contract tests decode chunks that really reference one.
 */
class CassandraDictionaryTest extends MigratedKeyspaceTest {
  static final WriteBatches BATCHES = WriteBatches.create(IndexPolicy.everyKey());

  static CassandraStorage storage(String keyspace) {
    return CassandraStorage.newBuilder().session(session).keyspace(keyspace).build();
  }

  static ChunkDictionary dictionary() {
    return TestObjects.randomDictionary();
  }

  static List<Span> trace() {
    TraceId id = newTraceId();
    long t = newBaseTime();
    Span root = span(id, newSpanId(), 0, "dict-svc", "root", t, 10 * MILLI).build();
    return List.of(root, span(id, newSpanId(), root.spanId(), "dict-svc", "child", t + MILLI, MILLI).build());
  }

  /** A batch of {@code spans} whose write carries {@code dictionaries}. */
  static WriteBatch batch(List<Span> spans, ChunkDictionary... dictionaries) {
    WriteBatch b = BATCHES.toBatch(spans);
    return new WriteBatch(b.chunks(), b.serviceEntries(), b.operationEntries(), b.tagEntries(),
        List.of(dictionaries));
  }

  static void write(CassandraStorage storage, WriteBatch batch) throws Exception {
    try {
      storage.writer().write(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException se) throw se;
      throw e;
    }
  }

  static long rows(String keyspace, long id) {
    return session.execute("SELECT count(*) FROM " + keyspace + ".chunk_dictionaries WHERE id = ?", id)
        .one().getLong(0);
  }

  static int ttl(String table, String where, Object key) {
    return session.execute("SELECT TTL(payload) FROM " + keyspace + '.' + table + " WHERE " + where + " = ?", key)
        .one().getInt(0);
  }

  @Test
  void aBatchStoresItsDictionary_theLoaderReturnsItsBytes_andRewritesKeepOneRow() throws Exception {
    ChunkDictionary d = dictionary();
    List<Span> spans = trace();
    try (CassandraStorage storage = storage(keyspace)) {
      write(storage, batch(spans, d));
      assertThat(rows(keyspace, d.id())).isEqualTo(1);
      assertThat(storage.dictionaryLoader().load(d.id())).isEqualTo(d.payload());
      assertThat(storage.reader().getTrace(spans.get(0).traceId())).containsExactlyElementsOf(spans);

      DictionaryWrites writes = storage.spanWriter().dictionaryWrites();
      int chunkTtl = writes.chunkTtlSeconds();
      assertThat(chunkTtl).as("V001's chunks TTL, from the schema metadata").isEqualTo(604_800);
      long now = System.nanoTime();
      assertThat(writes.due(List.of(d), now, chunkTtl)).as("written lately: not again").isEmpty();
      long halfMargin = TimeUnit.SECONDS.toNanos(DictionaryWrites.marginSeconds(chunkTtl)) / 2;
      assertThat(writes.due(List.of(d), now + halfMargin + TimeUnit.SECONDS.toNanos(1), chunkTtl))
          .as("half the margin later it is written again, renewing its TTL").containsExactly(d);

      write(storage, batch(spans, d)); // a replay
      write(storage, batch(trace(), d, d)); // another batch, listing it twice
    }
    try (CassandraStorage other = storage(keyspace)) { // knows nothing: rewrites the row
      write(other, batch(trace(), d));
      assertThat(other.dictionaryLoader().load(d.id())).isEqualTo(d.payload());
      assertThat(other.dictionaryLoader().load(dictionary().id())).as("an id never stored").isNull();
    }
    assertThat(rows(keyspace, d.id())).isEqualTo(1);
  }

  /** The retention rule: a dictionary's TTL is the chunks' plus the refresh margin (one day here). */
  @Test
  void aDictionaryIsWrittenWithATtlPastItsChunks() throws Exception {
    ChunkDictionary d = dictionary();
    List<Span> spans = trace();
    try (CassandraStorage storage = storage(keyspace)) {
      write(storage, batch(spans, d));
    }
    int chunk = ttl("chunks", "trace_id", ByteBuffer.wrap(spans.get(0).traceId().toBytes()));
    int dictionary = ttl("chunk_dictionaries", "id", d.id());
    assertThat(chunk).isBetween(604_800 - 60, 604_800);
    assertThat(dictionary).isBetween(604_800 + 86_400 - 60, 604_800 + 86_400);
  }

  /** Dictionaries go first: when their insert fails, no chunk of the write is sent. */
  @Test
  void aWriteWhoseDictionaryInsertFails_storesNoChunk() throws Exception {
    String broken = keyspace + "_nd";
    CqlMigrator.newBuilder(session, broken).build().migrate();
    try (CassandraStorage storage = storage(broken)) {
      session.execute("DROP TABLE " + broken + ".chunk_dictionaries");
      List<Span> spans = trace();
      assertThatThrownBy(() -> write(storage, batch(spans, dictionary())))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("chunk dictionaries");
      assertThat(session.execute("SELECT count(*) FROM " + broken + ".chunks WHERE trace_id = ?",
          ByteBuffer.wrap(spans.get(0).traceId().toBytes())).one().getLong(0)).isZero();
    } finally {
      session.execute("DROP KEYSPACE IF EXISTS " + broken);
    }
  }
}
