package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.cassandra.CassandraDictionaryTest.batch;
import static tracestore.storage.cassandra.CassandraDictionaryTest.dictionary;
import static tracestore.storage.cassandra.CassandraDictionaryTest.trace;
import static tracestore.storage.cassandra.CassandraDictionaryTest.write;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.model.Span;

/**
 * The retention rule in real time, on a keyspace whose chunks live 14 s (T): dictionaries get
 * T + T / 7 = 16 s, and are written again before a chunk once less than 15 s is left. A dictionary
 * whose chunks expired expires too; one a later chunk still references is renewed and kept.
 */
class CassandraDictionaryExpiryTest extends MigratedKeyspaceTest {
  static final int CHUNK_TTL = 14;

  @BeforeAll
  static void shortenTheChunkTtl() {
    session.execute("ALTER TABLE " + keyspace + ".chunks WITH default_time_to_live = " + CHUNK_TTL);
  }

  @Test
  void anUnusedDictionaryExpiresWithItsChunks_aUsedOneIsRenewedAndKept() throws Exception {
    ChunkDictionary unused = dictionary();
    ChunkDictionary used = dictionary();
    List<Span> old = trace();
    List<Span> recent = trace();
    try (CassandraStorage storage =
        CassandraStorage.newBuilder().session(session).keyspace(keyspace).build()) {
      assertThat(storage.spanWriter().dictionaryWrites().chunkTtlSeconds()).isEqualTo(CHUNK_TTL);
      long t0 = System.nanoTime();
      write(storage, batch(old, unused, used));
      assertThat(ttl(unused.id())).isBetween(15, 16);

      Thread.sleep(6_000);
      write(storage, batch(recent, used)); // 10 s left < 15 s: rewritten, 16 s again
      assertThat(ttl(used.id())).as("renewed").isGreaterThan(ttl(unused.id()) + 3);

      sleepUntil(t0, 17_000); // the old chunk (14 s) and the unused dictionary (16 s) are gone
      assertThat(storage.reader().getTrace(old.get(0).traceId())).isEmpty();
      assertThat(storage.dictionaryLoader().load(unused.id())).as("expired").isNull();
      assertThat(storage.dictionaryLoader().load(used.id())).isEqualTo(used.payload());
      assertThat(storage.reader().getTrace(recent.get(0).traceId())).containsExactlyElementsOf(recent);
    }
  }

  static int ttl(long id) {
    return session.execute("SELECT TTL(payload) FROM " + keyspace + ".chunk_dictionaries WHERE id = ?", id)
        .one().getInt(0);
  }

  static void sleepUntil(long startNanos, long millis) throws InterruptedException {
    long left = millis - (System.nanoTime() - startNanos) / 1_000_000;
    if (left > 0) Thread.sleep(left);
  }
}
