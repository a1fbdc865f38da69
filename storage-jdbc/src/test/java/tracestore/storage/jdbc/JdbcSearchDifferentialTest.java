package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.Storage;
import tracestore.storage.TraceHit;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.TraceId;

/**
 * Seeded random traces whose batches spread over minutes (so a trace's entries straddle the
 * search windows), written to the JDBC backend and to the in-memory reference; random searches,
 * paged to the end with cursors, must return exactly the same hits in the same order.
 */
class JdbcSearchDifferentialTest {
  static final long SECOND = 1_000_000_000L;

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Cases {
    JdbcStorage jdbc;
    final InMemoryStorage reference = new InMemoryStorage();
    final long base = TestObjects.newBaseTime();
    final String suffix = TestObjects.testSuffix();

    abstract JdbcStorage open();

    @BeforeAll
    void load() throws Exception {
      jdbc = open();
      SplittableRandom r = new SplittableRandom(42);
      WriteBatches derive = WriteBatches.create(IndexPolicy.everyKey());
      List<WriteBatch> batches = new ArrayList<>();
      for (int t = 0; t < 250; t++) {
        TraceId id = TestObjects.newTraceId();
        long traceStart = base + r.nextLong(20 * 60 * SECOND);
        int parts = 1 + r.nextInt(3);
        for (int b = 0; b < parts; b++) {
          List<Span> spans = new ArrayList<>();
          long partStart = traceStart + b * r.nextLong(1, 90 * SECOND);
          for (int s = 0; s < 1 + r.nextInt(3); s++) {
            Span.Builder span = Span.newBuilder().traceId(id).spanId(TestObjects.newSpanId())
                .service("svc" + r.nextInt(3) + suffix).name("op" + r.nextInt(2))
                .kind(SpanKind.SERVER).startEpochNanos(partStart + r.nextLong(5 * SECOND) / 1000 * 1000)
                .durationNanos(1_000_000L * (1 + r.nextInt(100)))
                .addTag("k", "v" + r.nextInt(3));
            if (r.nextInt(5) == 0) span.status(StatusCode.ERROR, "boom");
            spans.add(span.build());
          }
          batches.add(derive.toBatch(spans));
        }
      }
      for (WriteBatch b : batches) {
        jdbc.writer().write(b).toCompletableFuture().get(30, TimeUnit.SECONDS);
        reference.writer().write(b).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }

    @AfterAll
    void close() {
      jdbc.close();
    }

    @Test
    void randomSearchesPageToTheSameHitsAsTheReference() {
      SplittableRandom r = new SplittableRandom(7);
      for (int q = 0; q < 60; q++) {
        long from = base + r.nextLong(25 * 60 * SECOND);
        long to = from + r.nextLong(1, 30 * 60 * SECOND);
        if (r.nextInt(4) == 0) from = base - SECOND; // the whole data set
        SearchRequest.Builder req = SearchRequest.newBuilder().timeRange(from, to)
            .limit(1 + r.nextInt(12));
        int shape = r.nextInt(6);
        String svc = "svc" + r.nextInt(3) + suffix;
        switch (shape) {
          case 0 -> req.service(svc);
          case 1 -> req.service(svc).operation("op" + r.nextInt(2));
          case 2 -> req.service(svc).tag("k", "v" + r.nextInt(3));
          case 3 -> req.service(svc).minDurationNanos(1_000_000L * r.nextInt(60))
              .maxDurationNanos(1_000_000L * (60 + r.nextInt(40)));
          case 4 -> req.errorOnly(true).service(r.nextBoolean() ? svc : "");
          default -> { } // time range only
        }
        assertThat(pages(jdbc, req)).as("%s", req.build()).isEqualTo(pages(reference, req));
      }
    }

    static List<TraceHit> pages(Storage storage, SearchRequest.Builder req) {
      List<TraceHit> all = new ArrayList<>();
      String cursor = null;
      for (int page = 0; page < 1000; page++) {
        SearchResult result = storage.reader().search(req.cursor(cursor).build());
        all.addAll(result.hits());
        if (result.complete()) return all;
        cursor = result.nextCursor();
      }
      throw new AssertionError("paging did not end");
    }
  }

  @Nested
  class Postgres extends Cases {
    @Override
    JdbcStorage open() {
      return JdbcTestStorages.freshPostgres(JdbcSearchDifferentialTest.class);
    }
  }

  @Nested
  class Sqlite extends Cases {
    @Override
    JdbcStorage open() {
      return JdbcTestStorages.freshSqlite(JdbcSearchDifferentialTest.class);
    }
  }
}
