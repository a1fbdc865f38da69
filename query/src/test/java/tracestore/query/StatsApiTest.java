package tracestore.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.retention.AggregationJob;
import tracestore.retention.ProgressListener;
import tracestore.storage.IndexPolicy;
import tracestore.storage.Storage;
import tracestore.storage.WriteBatches;
import tracestore.storage.jdbc.JdbcStorage;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.TraceId;

/**
 * Stats and dependencies served from retention's rollups and links on SQLite: one hour aggregated,
 * the next one still raw, so the answer merges both.
 */
class StatsApiTest {
  static final long HOUR = 3_600_000_000_000L;
  static final long T0 = 1_767_571_200_000_000_000L; // 2026-01-05T00:00Z
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void statsAndDependenciesMergeRollupsWithRawHours() throws Exception {
    List<Span> spans = new ArrayList<>();
    for (int h = 0; h < 2; h++) {
      for (int i = 1; i <= 10; i++) {
        TraceId id = new TraceId(h + 1, i);
        long start = T0 + h * HOUR + i * 1_000_000_000L;
        spans.add(Span.newBuilder().traceId(id).spanId(1).name("GET /").service("web")
            .kind(SpanKind.SERVER).startEpochNanos(start).durationNanos(i * 1_000_000L).build());
        Span.Builder child = Span.newBuilder().traceId(id).spanId(2).parentSpanId(1).name("get")
            .service("api").kind(SpanKind.SERVER).startEpochNanos(start + 1_000).durationNanos(500_000);
        if (i <= 2) child.status(StatusCode.ERROR, "boom");
        spans.add(child.build());
      }
    }
    try (Storage storage = JdbcStorage.newBuilder().sqlite(dir.resolve("t.db")).migrate(true).build()) {
      storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(spans)).toCompletableFuture().join();
      long now = T0 + 2 * HOUR + 20 * 60_000_000_000L;
      // Aggregate the first hour only; the second stays raw.
      AggregationJob.newBuilder().store(storage.rollups()).reader(storage.reader()).owner("t")
          .clockNanos(() -> now).build().run(T0, T0 + HOUR, false, ProgressListener.NONE);
      assertThat(storage.rollups().watermark(AggregationJob.JOB)).hasValue(T0 + HOUR);

      QueryService service = QueryService.newBuilder(storage.reader()).rollups(storage.rollups())
          .clock(Clock.fixed(Instant.ofEpochSecond(0, now), ZoneOffset.UTC)).ui(false).build();
      try (TestServer server = new TestServer(service)) {
        String range = "start=" + T0 / 1_000_000 + "&end=" + (T0 + 2 * HOUR) / 1_000_000;
        HttpResponse<String> r = server.get("/api/native/stats/services/web?" + range);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode web = JSON.readTree(r.body());
        assertThat(web.at("/total/count").asLong()).isEqualTo(20);
        assertThat(web.at("/total/errors").asLong()).isZero();
        // durations 1..10 ms per hour: p50 is 5 ms within 1%
        assertThat(web.at("/total/p50Micros").asLong()).isBetween(5_000L, 5_050L);
        assertThat(web.at("/operations/0/operation").asText()).isEqualTo("GET /");

        JsonNode api = JSON.readTree(server.get("/api/native/stats/services/api?" + range).body());
        assertThat(api.at("/total/errors").asLong()).isEqualTo(4);
        assertThat(api.at("/total/errorRate").asDouble()).isEqualTo(0.2);

        JsonNode deps = JSON.readTree(server.get("/api/native/stats/dependencies?" + range).body());
        assertThat(deps.at("/links/0/parent").asText()).isEqualTo("web");
        assertThat(deps.at("/links/0/child").asText()).isEqualTo("api");
        assertThat(deps.at("/links/0/calls").asLong()).isEqualTo(20);
        assertThat(deps.at("/links/0/errors").asLong()).isEqualTo(4);

        HttpResponse<String> zipkin = server.get("/api/v2/dependencies?endTs="
            + (T0 + 2 * HOUR) / 1_000_000 + "&lookback=" + 2 * 3_600_000);
        JsonNode z = JSON.readTree(zipkin.body());
        assertThat(z).hasSize(1);
        assertThat(z.at("/0/callCount").asLong()).isEqualTo(20);
        assertThat(z.at("/0/errorCount").asLong()).isEqualTo(4);
      }
    }
  }
}
