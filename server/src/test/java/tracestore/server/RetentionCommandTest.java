package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.server.cli.Main;
import tracestore.storage.IndexPolicy;
import tracestore.storage.Storage;
import tracestore.storage.WriteBatches;
import tracestore.storage.jdbc.JdbcStorage;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/** {@code tracestore retention run|status} against a SQLite file holding spans of three hours ago. */
class RetentionCommandTest {
  @TempDir Path dir;

  @Test
  void runAggregatesDueHoursAndStatusShowsThem() {
    Path db = dir.resolve("t.db");
    long hour = 3_600_000_000_000L;
    long start = (System.currentTimeMillis() * 1_000_000L / hour - 3) * hour + 60_000_000_000L;
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      TraceId id = new TraceId(7, i);
      spans.add(Span.newBuilder().traceId(id).spanId(1).name("GET /").service("web")
          .kind(SpanKind.SERVER).startEpochNanos(start).durationNanos(5_000_000).build());
      spans.add(Span.newBuilder().traceId(id).spanId(2).parentSpanId(1).name("query").service("db")
          .kind(SpanKind.SERVER).startEpochNanos(start + 1_000).durationNanos(1_000_000).build());
    }
    try (Storage s = JdbcStorage.newBuilder().sqlite(db).migrate(true).build()) {
      s.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(spans)).toCompletableFuture().join();
    }

    String dry = run("retention", "run", "--dry-run", "--storage", "sqlite", "--sqlite-path", db.toString());
    assertThat(dry).contains("dry run: ").contains("40 spans").contains("2 rollups, 1 links");
    assertThat(run("retention", "status", "--storage", "sqlite", "--sqlite-path", db.toString()))
        .contains("watermark: none");

    String out = run("retention", "run", "--storage", "sqlite", "--sqlite-path", db.toString());
    assertThat(out).contains("retention: bucket ").contains("40 spans, 2 rollups, 1 links");
    String status = run("retention", "status", "--storage", "sqlite", "--sqlite-path", db.toString());
    assertThat(status).contains("rollups:   2 rows in 1 hour buckets").contains("links:     1 rows")
        .doesNotContain("watermark: none");
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    return out.toString();
  }
}
