package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tracestore.storage.IndexPolicy;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/** What the retention contract does not pin down on Cassandra: the index walk, the LWT lease, day deletes. */
class CassandraRollupStoreTest extends MigratedKeyspaceTest {
  static final long HOUR = Buckets.BUCKET_NANOS;

  static CassandraStorage storage() {
    return CassandraStorage.newBuilder().session(session).keyspace(keyspace).build();
  }

  /** Chunks of {@code ids} delivered by a scan, as the sorted span ids of each chunk. */
  static List<List<Long>> scan(RollupStore store, long from, long to, Set<TraceId> ids) {
    List<List<Long>> chunks = new ArrayList<>();
    store.scanRaw(from, to, spans -> {
      if (!ids.contains(spans.get(0).traceId())) return;
      chunks.add(spans.stream().map(Span::spanId).sorted().toList());
    });
    return chunks;
  }

  @Test
  void scanRawDeliversEachChunkOnceInTheHourOfItsEarliestStart() {
    String suffix = testSuffix();
    long hour = Buckets.start(Buckets.of(newBaseTime())) - 2 * HOUR;
    TraceId spanning = newTraceId();
    TraceId single = newTraceId();
    Span root = span(spanning, newSpanId(), 0, "front" + suffix, "GET /", hour + 10 * 60_000 * MILLI, MILLI).build();
    Span alone = span(single, newSpanId(), 0, "front" + suffix, "GET /", hour + 20 * 60_000 * MILLI, MILLI).build();
    // A later batch of the same trace, in the next hour and from another service.
    Span late = span(spanning, newSpanId(), root.spanId(), "back" + suffix, "work", hour + HOUR + 5 * 60_000 * MILLI,
        MILLI).build();
    WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey());
    try (CassandraStorage s = storage()) {
      s.writer().write(batches.toBatch(List.of(root, alone))).toCompletableFuture().join();
      s.writer().write(batches.toBatch(List.of(late))).toCompletableFuture().join();
      Set<TraceId> ids = Set.of(spanning, single);
      RollupStore store = s.rollups();

      assertThat(scan(store, hour, hour + 2 * HOUR, ids)).containsExactlyInAnyOrder(
          List.of(root.spanId()), List.of(alone.spanId()), List.of(late.spanId()));
      assertThat(scan(store, hour, hour + HOUR, ids))
          .containsExactlyInAnyOrder(List.of(root.spanId()), List.of(alone.spanId()));
      assertThat(scan(store, hour + HOUR, hour + 2 * HOUR, ids)).containsExactly(List.of(late.spanId()));
      // Edges are exact: [from, to) on the chunk's earliest start.
      assertThat(scan(store, root.startEpochNanos() + 1, alone.startEpochNanos() + 1, ids))
          .containsExactly(List.of(alone.spanId()));
      assertThat(store.deleteRawBefore(hour + 2 * HOUR)).as("TTL expires raw data").isZero();
      assertThat(scan(store, hour, hour + 2 * HOUR, ids)).hasSize(3);
    }
  }

  @Test
  void leaseIsExclusiveRenewableReleasableAndExpires() throws InterruptedException {
    String name = "lease" + testSuffix();
    try (CassandraStorage s = storage()) {
      RollupStore store = s.rollups();
      assertThat(store.tryLease(name, "a", Duration.ofMinutes(5))).isTrue();
      assertThat(store.tryLease(name, "b", Duration.ofMinutes(5))).isFalse();
      assertThat(store.tryLease(name, "a", Duration.ofMinutes(5))).as("renewed by its owner").isTrue();
      store.releaseLease(name, "b");
      assertThat(store.tryLease(name, "b", Duration.ofMinutes(5))).as("only the owner releases").isFalse();
      store.releaseLease(name, "a");
      assertThat(store.tryLease(name, "b", Duration.ofSeconds(1))).isTrue();
      Thread.sleep(2_100);
      assertThat(store.tryLease(name, "a", Duration.ofMinutes(5))).as("expired by TTL").isTrue();
    }
  }

  @Test
  void deletesWholeDaysAndThePartOfTheCutoffDay() {
    long day = CassandraRollupStore.DAY_NANOS;
    long d0 = Math.floorDiv(newBaseTime(), day) * day - 400 * day; // far from other tests' data
    List<Rollup> rollups = List.of(
        rollup(d0), rollup(d0 + HOUR), rollup(d0 + 23 * HOUR), rollup(d0 + day), rollup(d0 + day + 5 * HOUR),
        rollup(d0 + 2 * day));
    try (CassandraStorage s = storage()) {
      RollupStore store = s.rollups();
      store.writeRollups(rollups).toCompletableFuture().join();
      assertThat(store.readRollups("", d0, d0 + 3 * day)).isEqualTo(rollups);
      assertThat(store.readRollups("svc", d0 + HOUR, d0 + day + 5 * HOUR))
          .isEqualTo(rollups.subList(1, 4));
      assertThat(store.deleteRollupsBefore(d0 + day + 3 * HOUR)).isEqualTo(4);
      assertThat(store.readRollups("", d0 - day, d0 + 3 * day)).isEqualTo(rollups.subList(4, 6));
      assertThat(store.deleteRollupsBefore(d0 + day + 3 * HOUR)).isZero();
    }
  }

  static Rollup rollup(long bucket) {
    return new Rollup("svc", "op", SpanKind.SERVER, bucket, bucket % 7 + 1, 0, new byte[] {1, 2});
  }
}
