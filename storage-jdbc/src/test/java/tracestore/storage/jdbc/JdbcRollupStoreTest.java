package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.storage.IndexPolicy;
import tracestore.storage.DependencyLink;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;

/** What retention needs from the JDBC backend, on both dialects. */
class JdbcRollupStoreTest {
  static final long HOUR = 3_600_000_000_000L;

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Cases {
    JdbcStorage storage;
    RollupStore store;

    abstract JdbcStorage open();

    @BeforeAll
    void start() {
      storage = open();
      store = storage.rollups();
    }

    @AfterAll
    void stop() {
      storage.close();
    }

    @Test
    void rollupsAndLinksAreOverwrittenNotAdded() throws Exception {
      String svc = "roll" + TestObjects.testSuffix();
      long bucket = 1_000 * HOUR;
      Rollup first = new Rollup(svc, "get", SpanKind.SERVER, bucket, 10, 1, new byte[] {1, 2});
      Rollup rerun = new Rollup(svc, "get", SpanKind.SERVER, bucket, 12, 2, new byte[] {3});
      store.writeRollups(List.of(first)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      store.writeRollups(List.of(rerun)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(store.readRollups(svc, bucket, bucket + HOUR)).containsExactly(rerun);
      assertThat(store.readRollups("", bucket, bucket + HOUR)).contains(rerun);
      assertThat(store.readRollups(svc, bucket + HOUR, bucket + 2 * HOUR)).isEmpty();

      DependencyLink link = new DependencyLink(svc, "db", bucket, 5, 1);
      DependencyLink again = new DependencyLink(svc, "db", bucket, 7, 0);
      store.writeLinks(List.of(link)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      store.writeLinks(List.of(again)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(store.readLinks(bucket, bucket + HOUR)).contains(again).doesNotContain(link);
    }

    @Test
    void watermarks() {
      String job = "job" + TestObjects.testSuffix();
      assertThat(store.watermark(job)).isEmpty();
      store.setWatermark(job, 42);
      store.setWatermark(job, 43);
      assertThat(store.watermark(job)).hasValue(43);
    }

    @Test
    void aLeaseHasOneLiveOwner() throws Exception {
      String lease = "lease" + TestObjects.testSuffix();
      assertThat(store.tryLease(lease, "a", Duration.ofSeconds(30))).isTrue();
      assertThat(store.tryLease(lease, "b", Duration.ofSeconds(30))).isFalse();
      assertThat(store.tryLease(lease, "a", Duration.ofSeconds(30))).as("renewal").isTrue();
      store.releaseLease(lease, "a");
      assertThat(store.tryLease(lease, "b", Duration.ofMillis(50))).isTrue();
      Thread.sleep(120);
      assertThat(store.tryLease(lease, "a", Duration.ofSeconds(30))).as("lapsed").isTrue();
    }

    @Test
    void scanRawDeliversEachChunkInRangeOnce() throws Exception {
      String svc = "scan" + TestObjects.testSuffix();
      long base = TestObjects.newBaseTime();
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        spans.add(Span.newBuilder().traceId(TestObjects.newTraceId()).spanId(TestObjects.newSpanId())
            .name("op").service(svc).startEpochNanos(base + i * MILLI).durationNanos(MILLI).build());
      }
      storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(spans)).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      List<Span> seen = new ArrayList<>();
      store.scanRaw(base + MILLI, base + 4 * MILLI, seen::addAll);
      assertThat(seen).containsExactlyInAnyOrderElementsOf(spans.subList(1, 4));
    }
  }

  @Nested
  class Postgres extends Cases {
    @Override
    JdbcStorage open() {
      return JdbcTestStorages.freshPostgres(JdbcRollupStoreTest.class);
    }
  }

  @Nested
  class Sqlite extends Cases {
    @Override
    JdbcStorage open() {
      return JdbcTestStorages.freshSqlite(JdbcRollupStoreTest.class);
    }

    @Test
    void retentionDeletesRowsBeforeTheCutoff() throws Exception {
      long now = System.currentTimeMillis() * 1_000_000L;
      Span old = Span.newBuilder().traceId(TestObjects.newTraceId()).spanId(1).name("op")
          .service("ret").startEpochNanos(now - 10 * 24 * HOUR).durationNanos(MILLI).build();
      Span recent = old.toBuilder().traceId(TestObjects.newTraceId()).startEpochNanos(now).build();
      storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(old, recent)))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      long deleted = store.deleteRawBefore(now - 24 * HOUR);
      assertThat(deleted).isGreaterThanOrEqualTo(2); // the chunk and its trace_index row
      assertThat(storage.reader().getTrace(old.traceId())).isEmpty();
      assertThat(storage.reader().getTrace(recent.traceId())).containsExactly(recent);
    }
  }
}
