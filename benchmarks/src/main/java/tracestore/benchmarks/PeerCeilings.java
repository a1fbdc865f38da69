package tracestore.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.testnode.ContactPoint;

/**
 * The raw write ceilings of the peer run's databases for the bytes tracestore writes: the chunk
 * rows (LZ4 chunks of {@link RealisticTraces}, encoded up front) written with no index at all.
 *
 * <ul>
 *   <li>Cassandra: {@link CassandraWriteBenchmark#raw} (prepared single-row async inserts, 256 in
 *       flight) into an unindexed table of the chunk table's shape, after a warm-up of a quarter
 *       of the spans; with the node's CPU over the measured part.
 *   <li>PostgreSQL: {@link JdbcBenchmark#pgCeiling} (binary COPY of the same rows, one connection
 *       per core, no index), with the CPU of every {@code postgres} process.
 *   <li>SQLite ({@code --sqlite true}): {@link JdbcBenchmark#sqliteCeiling} (the same rows in one
 *       transaction per batch, WAL, synchronous=FULL, no index), on half the spans.
 * </ul>
 *
 * Usage: {@code PeerCeilings --cassandra 127.0.0.1:9042 --cassandra-pid PID --pg-url URL --spans
 * 300000 --out FILE}; either database may be left out. {@code --pg-fresh-schema NAME} (re)creates an
 * empty schema first; given with {@code --pg-url} alone, it does only that.
 */
public final class PeerCeilings {
  private PeerCeilings() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = PeerLoad.parse(args);
    int spans = Integer.parseInt(opts.getOrDefault("spans", "300000"));
    ProcCpu proc = new ProcCpu(Long.parseLong(opts.getOrDefault("clk-tck", "100")));
    long start = (System.currentTimeMillis() - 600_000L) * 1_000_000L;
    Map<String, String> out = new LinkedHashMap<>();

    if (opts.containsKey("cassandra")) {
      ContactPoint cp = ContactPoint.parse(opts.get("cassandra"));
      WriteBatches indexer = WriteBatches.create();
      List<WriteBatch> warm = CassandraWriteBenchmark.batches(indexer, new RealisticTraces(7, start), spans / 4, 1_000);
      List<WriteBatch> batches = CassandraWriteBenchmark.batches(indexer, new RealisticTraces(42, start), spans, 1_000);
      // DDL on a busy 2-core machine can take longer than the driver's 2 s default
      DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
          .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
          .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(60))
          .build();
      try (CqlSession session = CqlSession.builder().withConfigLoader(config).addContactPoint(cp.address())
          .withLocalDatacenter(cp.localDatacenter()).build()) {
        session.execute("DROP KEYSPACE IF EXISTS peer_raw");
        session.execute("CREATE KEYSPACE peer_raw WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE peer_raw.chunks (trace_id blob, chunk_id bigint, min_start bigint,"
            + " max_end bigint, span_count int, payload blob, PRIMARY KEY ((trace_id), chunk_id))"
            + " WITH compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'HOURS',"
            + " 'compaction_window_size': '6'}");
        PreparedStatement insert = session.prepare("INSERT INTO peer_raw.chunks (trace_id, chunk_id, min_start,"
            + " max_end, span_count, payload) VALUES (?, ?, ?, ?, ?, ?)");
        System.out.printf(Locale.ROOT, "[ceiling] Cassandra: warm-up %,d spans, then %,d...%n", spans / 4, spans);
        CassandraWriteBenchmark.raw(session, insert, warm, null);
        List<Long> pid = opts.containsKey("cassandra-pid") ? List.of(Long.parseLong(opts.get("cassandra-pid"))) : List.of();
        double cpu0 = proc.seconds(pid);
        CassandraWriteBenchmark.Result r = CassandraWriteBenchmark.raw(session, insert, batches, null);
        double cpu = proc.seconds(pid) - cpu0;
        out.put("cassandra.spansPerSecond", PeerLoad.fmt(r.spansPerSecond()));
        out.put("cassandra.rowsPerSecond", PeerLoad.fmt(r.rowsPerSecond()));
        out.put("cassandra.cpuSecondsPerMillionSpans", PeerLoad.fmt(cpu * 1e6 / r.spans()));
        System.out.printf(Locale.ROOT, "[ceiling] Cassandra raw: %,.0f spans/s (%,.0f rows/s), node CPU %.1f s per million spans%n",
            r.spansPerSecond(), r.rowsPerSecond(), cpu * 1e6 / r.spans());
        session.execute("DROP KEYSPACE IF EXISTS peer_raw");
      }
    }

    if (opts.containsKey("pg-fresh-schema")) {
      // an empty schema for the server under test, created here so the script needs no psql
      new JdbcBenchmark(opts.get("pg-url")).freshSchema(opts.get("pg-fresh-schema"));
      System.out.println("[ceiling] PostgreSQL schema " + opts.get("pg-fresh-schema") + " is empty");
    }

    if (opts.containsKey("pg-url") && !opts.containsKey("cassandra") && opts.containsKey("pg-fresh-schema")) {
      // schema only
    } else if (opts.containsKey("pg-url")) {
      List<WriteBatch> batches = JdbcBenchmark.batches(new RealisticTraces(42, start), spans);
      int n = batches.stream().mapToInt(WriteBatch::spanCount).sum();
      JdbcBenchmark jdbc = new JdbcBenchmark(opts.get("pg-url"));
      System.out.printf(Locale.ROOT, "[ceiling] PostgreSQL: warm-up, then %,d spans...%n", n);
      jdbc.pgCeiling(batches.subList(0, batches.size() / 4), n / 4);
      double cpu0 = proc.secondsByName("postgres");
      long t0 = System.nanoTime();
      double rate = jdbc.pgCeiling(batches, n);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = proc.secondsByName("postgres") - cpu0;
      out.put("postgres.spansPerSecond", PeerLoad.fmt(rate));
      out.put("postgres.cpuSecondsPerMillionSpans", PeerLoad.fmt(cpu * 1e6 / n));
      System.out.printf(Locale.ROOT, "[ceiling] PostgreSQL raw: %,.0f spans/s, postgres CPU %.1f s per million spans (%.1f s wall incl. schema setup)%n",
          rate, cpu * 1e6 / n, seconds);
    }

    if (opts.containsKey("sqlite")) {
      List<WriteBatch> batches = JdbcBenchmark.batches(new RealisticTraces(42, start), spans / 2);
      int n = batches.stream().mapToInt(WriteBatch::spanCount).sum();
      JdbcBenchmark jdbc = new JdbcBenchmark(opts.getOrDefault("pg-url", ""));
      System.out.printf(Locale.ROOT, "[ceiling] SQLite: warm-up, then %,d spans...%n", n);
      jdbc.sqliteCeiling(batches.subList(0, batches.size() / 4), n / 4);
      double rate = jdbc.sqliteCeiling(batches, n);
      out.put("sqlite.spansPerSecond", PeerLoad.fmt(rate));
      System.out.printf(Locale.ROOT, "[ceiling] SQLite raw: %,.0f spans/s%n", rate);
    }

    StringBuilder b = new StringBuilder();
    out.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    if (opts.containsKey("out")) {
      Path p = Path.of(opts.get("out"));
      if (p.getParent() != null) Files.createDirectories(p.getParent());
      Files.writeString(p, b.toString());
    }
    System.exit(0);
  }
}
