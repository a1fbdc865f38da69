package tracestore.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tracestore.retention.AggregationJob;
import tracestore.retention.OperationStats;
import tracestore.retention.ProgressListener;
import tracestore.retention.RetentionPolicy;
import tracestore.retention.StatsService;
import tracestore.retention.Summary;
import tracestore.schema.CqlMigrator;
import tracestore.storage.Storage;
import tracestore.storage.WriteBatches;
import tracestore.storage.cassandra.CassandraStorage;
import tracestore.storage.jdbc.JdbcStorage;
import tracestore.storage.model.Span;
import tracestore.testnode.ContactPoint;
import tracestore.testnode.NodeLauncher;

/**
 * The retention figures of BENCHMARKS.md: aggregation throughput (raw spans scanned, rolled up,
 * linked and exemplars copied, per second of wall time) on SQLite and PostgreSQL, over {@link
 * RealisticTraces} spread across a few hours, plus the latency of a stats query over those hours
 * before aggregation (from raw) and after (from rollups).
 *
 * <p>Run: {@code ./mvnw -q -B -pl benchmarks -am package -DskipTests && java -Xmx4g -cp
 * benchmarks/target/benchmarks.jar tracestore.benchmarks.RetentionBenchmark [spans] [hours]}. The
 * PostgreSQL URL comes from {@code TRACESTORE_TEST_PG_URL}; it creates and drops the schema {@code
 * bench_retention}. A third argument {@code cassandra} measures Cassandra only, on the shared test node
 * of cassandra-testnode (started or reused), in keyspace {@code bench_retention} (dropped first).
 */
public final class RetentionBenchmark {
  private static final long HOUR = 3_600_000_000_000L;
  /** An hour boundary well in the past, so every bucket is due. */
  private static final long START = RealisticTraces.DEFAULT_START_EPOCH_NANOS / HOUR * HOUR;

  private RetentionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<List<Span>> traces = new ArrayList<>();
    for (int h = 0; h < hours; h++) {
      traces.addAll(new RealisticTraces(17 + h, START + h * HOUR + 1_000_000_000L).traces(spans / hours));
    }
    if (args.length > 2 && args[2].equals("cassandra")) {
      cassandra(traces, hours);
      return;
    }
    String url = BenchDatabases.postgresUrl();
    Path dir = Files.createTempDirectory("retention-bench");
    try (Storage sqlite = JdbcStorage.newBuilder().sqlite(dir.resolve("bench.db")).migrate(true).build()) {
      measure("sqlite", sqlite, traces, hours);
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS bench_retention CASCADE");
      s.execute("CREATE SCHEMA bench_retention");
    }
    try (Storage pg = JdbcStorage.newBuilder().postgres(url).schema("bench_retention").migrate(true).build()) {
      measure("postgres", pg, traces, hours);
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS bench_retention CASCADE");
    }
  }

  private static void cassandra(List<List<Span>> traces, int hours) {
    ContactPoint cp = NodeLauncher.shared().startOrReuse(Duration.ofMinutes(3), NodeLauncher.defaultOwnerPid());
    try (CqlSession session = CqlSession.builder().addContactPoint(cp.address())
        .withLocalDatacenter(cp.localDatacenter())
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
        .build()) {
      session.execute("DROP KEYSPACE IF EXISTS bench_retention");
      CqlMigrator.newBuilder(session, "bench_retention").build().migrate();
      try (Storage storage = CassandraStorage.newBuilder().session(session).keyspace("bench_retention").build()) {
        measure("cassandra", storage, traces, hours);
      }
      session.execute("DROP KEYSPACE IF EXISTS bench_retention");
    }
  }

  private static void measure(String name, Storage storage, List<List<Span>> traces, int hours) {
    WriteBatches batches = WriteBatches.create();
    List<Span> batch = new ArrayList<>();
    long spans = 0;
    for (List<Span> t : traces) {
      batch.addAll(t);
      spans += t.size();
      if (batch.size() >= 500) {
        storage.writer().write(batches.toBatch(batch)).toCompletableFuture().join();
        batch.clear();
      }
    }
    if (!batch.isEmpty()) storage.writer().write(batches.toBatch(batch)).toCompletableFuture().join();

    long end = START + hours * HOUR;
    StatsService stats = new StatsService(storage.rollups());
    long t0 = System.nanoTime();
    List<OperationStats> fromRaw = stats.operations("frontend", START, end);
    long rawStatsNanos = System.nanoTime() - t0;

    AggregationJob job = AggregationJob.newBuilder().store(storage.rollups()).reader(storage.reader())
        .policy(RetentionPolicy.newBuilder().raw(Duration.ofDays(3650)).rollups(Duration.ofDays(3650))
            .exemplars(Duration.ofDays(3650)).build())
        .owner("bench").clockNanos(() -> end + HOUR).build();
    Summary summary = job.run(START, end, false, ProgressListener.NONE);

    t0 = System.nanoTime();
    List<OperationStats> fromRollups = stats.operations("frontend", START, end);
    long rollupStatsNanos = System.nanoTime() - t0;
    if (summary.spans() != spans || fromRaw.size() != fromRollups.size()) {
      throw new IllegalStateException(name + ": scanned " + summary.spans() + " of " + spans
          + " spans; stats rows " + fromRaw.size() + " vs " + fromRollups.size());
    }
    System.out.printf(Locale.ROOT,
        "%s: %d spans in %d hours aggregated in %.2f s = %.0f spans/s (%d rollups, %d links, %d exemplars);"
            + " stats of one service over the range: %.1f ms from raw, %.1f ms from rollups%n",
        name, spans, hours, summary.elapsedNanos() / 1e9, summary.spansPerSecond(), summary.rollups(),
        summary.links(), summary.exemplars(), rawStatsNanos / 1e6, rollupStatsNanos / 1e6);
  }
}
