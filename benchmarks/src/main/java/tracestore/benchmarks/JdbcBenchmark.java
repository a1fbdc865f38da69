package tracestore.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import tracestore.storage.Chunk;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.jdbc.JdbcStorage;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * The PostgreSQL and SQLite figures of BENCHMARKS.md, in one run on one dataset of realistic
 * traces ({@link RealisticTraces}), batched as ingest batches them (whole traces, about 500 spans a
 * batch, index entries derived by {@link WriteBatches} with the default policy):
 *
 * <ol>
 *   <li>the raw PostgreSQL ceiling: binary COPY of the same chunk rows (same bytes) into an
 *       unindexed, unpartitioned table, with as many connections as our writer;
 *   <li>our write path: {@link JdbcStorage#writer()} with all indexes, spans/s, and its ratio to
 *       the ceiling;
 *   <li>bytes at rest per span on PostgreSQL: pg_total_relation_size of every partition (heap,
 *       TOAST and indexes) of the raw tables, plus the name tables;
 *   <li>index rows by COPY versus multi-row INSERT (the choice the backend makes);
 *   <li>tag search by a normalized tag table versus a GIN index over per-(trace, service) tag
 *       arrays: load time, size and search latency on the same entries;
 *   <li>the same ceiling and write path for SQLite.
 * </ol>
 *
 * Run: {@code ./mvnw -q -B -pl benchmarks -am package -DskipTests && java -Xmx6g -cp
 * benchmarks/target/benchmarks.jar tracestore.benchmarks.JdbcBenchmark [pgSpans] [sqliteSpans]}
 * (defaults 1,000,000 and 200,000; 0 skips that database).
 * The PostgreSQL URL comes from {@code TRACESTORE_TEST_PG_URL} (default: the local test server);
 * it creates and drops schemas named {@code bench_*}.
 */
public final class JdbcBenchmark {
  static final int BATCH_SPANS = 500;
  /**
   * Writer connections for both the ceiling and our path: the cores of this machine (2), or
   * {@code -Djdbcbench.connections} (the concurrency experiment of BENCHMARKS.md).
   */
  static final int CONNECTIONS = Integer.getInteger("jdbcbench.connections",
      Math.max(2, Runtime.getRuntime().availableProcessors()));
  static final int IN_FLIGHT = 2 * CONNECTIONS;
  /**
   * Skips the side comparisons (COPY vs INSERT rounds, tag layouts): {@code -Djdbcbench.quick=true}
   * measures only the ceilings, our paths, bytes at rest and read latencies.
   */
  static final boolean QUICK = Boolean.getBoolean("jdbcbench.quick");
  /** Alternated (ceiling, ours) rounds per database ({@code -Djdbcbench.rounds}, default 5). */
  static final int ROUNDS = Integer.getInteger("jdbcbench.rounds", 5);
  /**
   * Discarded rounds of both PostgreSQL paths before the measured ones ({@code
   * -Djdbcbench.warmup}, default 1): the first round of our path otherwise pays the JIT's
   * compilation of the write path (about 2 JVM CPU-s per million spans more than later rounds).
   */
  static final int WARMUP_ROUNDS = Integer.getInteger("jdbcbench.warmup", 1);


  private final String url;
  private final Map<String, String> report = new LinkedHashMap<>();

  JdbcBenchmark(String url) {
    this.url = url;
  }

  public static void main(String[] args) throws Exception {
    int pgSpans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int sqliteSpans = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    String url = BenchDatabases.postgresUrl();
    new JdbcBenchmark(url).run(pgSpans, sqliteSpans);
  }

  void run(int pgSpans, int sqliteSpans) throws Exception {
    // Times near now, so the backend's partitions ahead already cover most of them.
    long start = (System.currentTimeMillis() - 3_600_000L) * 1_000_000L;
    if (pgSpans > 0) runPostgres(start, pgSpans);
    if (sqliteSpans > 0) runSqlite(start, sqliteSpans);

    StringBuilder out = new StringBuilder("| measure | result |\n|---|---|\n");
    report.forEach((k, v) -> out.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    System.out.println();
    System.out.print(out);
    Path file = Path.of("target", "jdbc-benchmark.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out.toString());
  }

  void runPostgres(long start, int pgSpans) throws Exception {
    long t0 = System.nanoTime();
    List<WriteBatch> batches = batches(new RealisticTraces(20261125L, start), pgSpans);
    int spans = 0;
    long chunkBytes = 0;
    long service = 0;
    long operation = 0;
    long tag = 0;
    for (WriteBatch b : batches) {
      spans += b.spanCount();
      for (Chunk c : b.chunks()) chunkBytes += c.payload().length;
      service += b.serviceEntries().size();
      operation += b.operationEntries().size();
      tag += b.tagEntries().size();
    }
    put("dataset", String.format(Locale.ROOT,
        "%,d spans in %,d batches (%,d chunks); per span: %.1f B of chunk payload, %.2f service,"
            + " %.2f operation and %.2f tag index rows; derived in %.1f s",
        spans, batches.size(), batches.stream().mapToInt(b -> b.chunks().size()).sum(),
        chunkBytes / (double) spans, service / (double) spans, operation / (double) spans,
        tag / (double) spans, (System.nanoTime() - t0) / 1e9));

    // Alternated rounds: on a shared machine one pair alone moves by 2x; the ratio is the one of
    // the medians, and each round's pair is listed. The last round also measures reads and bytes.
    // Warm-up: both paths once, not measured (the JIT compiles our write path in its first round).
    for (int round = 0; round < WARMUP_ROUNDS; round++) {
      double c = pgCeiling(batches, spans);
      double o = pgOurs(batches, spans, JdbcStorage.IndexLoad.COPY, "bench_ours", false);
      System.out.printf(Locale.ROOT, "warm-up round (discarded): ceiling %,.0f / ours %,.0f spans/s%n",
          c, o);
    }
    double[] ceiling = new double[ROUNDS];
    double[] ours = new double[ROUNDS];
    StringBuilder cpu = new StringBuilder();
    StringBuilder load = new StringBuilder();
    for (int round = 0; round < ROUNDS; round++) {
      load.append(round == 0 ? "" : "; ").append(loadAverage());
      ceiling[round] = pgCeiling(batches, spans);
      double[] c = lastCpu;
      ours[round] = pgOurs(batches, spans, JdbcStorage.IndexLoad.COPY, "bench_ours",
          round == ROUNDS - 1);
      double[] o = lastCpu;
      cpu.append(round == 0 ? "" : "; ").append(String.format(Locale.ROOT,
          "ceiling JVM %.1f + postgres %.1f, ours JVM %.1f + postgres %.1f", c[0], c[1], o[0], o[1]));
      System.out.printf(Locale.ROOT, "round %d: ceiling %,.0f / ours %,.0f spans/s (%.0f%%)%n",
          round + 1, ceiling[round], ours[round], 100 * ours[round] / ceiling[round]);
    }
    load.append("; ").append(loadAverage());
    put("PostgreSQL rounds (ceiling / ours, spans/s)", pairs(ceiling, ours));
    put("PostgreSQL CPU seconds per 1,000,000 spans while writing (postgres: every process of the"
        + " shared server, exited backends included)", cpu.toString());
    put("load average (1 min) before each round and after the last", load.toString());
    put("PostgreSQL median of the per-round ratios", String.format(Locale.ROOT, "%.0f%%",
        100 * median(ratios(ceiling, ours))));
    put("PostgreSQL ratio", String.format(Locale.ROOT,
        "%.0f%% of the raw ceiling (medians of %d alternated rounds: %,.0f / %,.0f spans/s)",
        100 * median(ours) / median(ceiling), ROUNDS, median(ours), median(ceiling)));

    if (QUICK) return;
    List<WriteBatch> head = batches.subList(0, Math.min(batches.size(), 300));
    int headSpans = head.stream().mapToInt(WriteBatch::spanCount).sum();
    // Alternated and repeated: the machine is shared, so one pair alone can mislead.
    double[] copy = new double[3];
    double[] insert = new double[3];
    for (int round = 0; round < 3; round++) {
      copy[round] = pgOurs(head, headSpans, JdbcStorage.IndexLoad.COPY, "bench_copy", false);
      insert[round] = pgOurs(head, headSpans, JdbcStorage.IndexLoad.INSERT, "bench_insert", false);
    }
    put("PostgreSQL index rows, COPY vs multi-row INSERT, 3 alternated rounds of "
        + String.format(Locale.ROOT, "%,d spans", headSpans), String.format(Locale.ROOT,
        "COPY %s spans/s; INSERT %s spans/s", rates(copy), rates(insert)));

    tagIndexComparison(head);
  }

  void runSqlite(long start, int sqliteSpans) throws Exception {
    List<WriteBatch> small = batches(new RealisticTraces(7L, start), sqliteSpans);
    int smallSpans = small.stream().mapToInt(WriteBatch::spanCount).sum();
    // A discarded warm-up round of both paths first: the first round otherwise charges the JIT
    // compiling the write path (and the driver's native library loading) to whichever side runs
    // first. Every round starts from an empty file in a fresh directory, for both sides.
    double warmCeiling = sqliteCeiling(small, smallSpans, false);
    double[] warmCpu = lastCpu;
    double warmOurs = sqliteOurs(small, smallSpans, false);
    put("SQLite warm-up round, discarded (ceiling / ours, spans/s; JVM CPU-s per 1,000,000 spans)",
        String.format(Locale.ROOT, "%,.0f / %,.0f; %.1f / %.1f", warmCeiling, warmOurs,
            warmCpu[0], lastCpu[0]));
    double[] ceiling = new double[ROUNDS];
    double[] ours = new double[ROUNDS];
    StringBuilder cpu = new StringBuilder();
    for (int round = 0; round < ROUNDS; round++) {
      ceiling[round] = sqliteCeiling(small, smallSpans, round == ROUNDS - 1);
      double[] c = lastCpu;
      ours[round] = sqliteOurs(small, smallSpans, round == ROUNDS - 1);
      cpu.append(round == 0 ? "" : "; ").append(String.format(Locale.ROOT,
          "ceiling %.1f, ours %.1f", c[0], lastCpu[0]));
    }
    put("SQLite rounds (ceiling / ours, spans/s)", pairs(ceiling, ours));
    put("SQLite CPU seconds per 1,000,000 spans while writing (this process, SQLite included)",
        cpu.toString());
    put("SQLite ratio", String.format(Locale.ROOT,
        "%.0f%% of the raw ceiling (medians of %d alternated rounds after the warm-up: %,.0f / %,.0f"
            + " spans/s)", 100 * median(ours) / median(ceiling), ROUNDS, median(ours),
        median(ceiling)));
  }

  static List<WriteBatch> batches(RealisticTraces traces, int totalSpans) {
    WriteBatches derive = WriteBatches.create();
    List<WriteBatch> out = new ArrayList<>();
    List<Span> batch = new ArrayList<>();
    for (List<Span> trace : traces.traces(totalSpans)) {
      batch.addAll(trace);
      if (batch.size() >= BATCH_SPANS) {
        out.add(derive.toBatch(batch));
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) out.add(derive.toBatch(batch));
    return out;
  }

  // ---- PostgreSQL

  double pgCeiling(List<WriteBatch> batches, int spans) throws Exception {
    freshSchema("bench_raw");
    exec("CREATE TABLE bench_raw.raw_chunks (trace_id uuid NOT NULL, chunk_id bigint NOT NULL,"
        + " start_ns bigint NOT NULL, end_ns bigint NOT NULL, span_count integer NOT NULL,"
        + " payload bytea NOT NULL)");
    AtomicInteger next = new AtomicInteger();
    exec("CHECKPOINT"); // both sides start with no dirty buffers and a fresh checkpoint
    settleHeap();
    double[] cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      done.add(pool.submit(() -> {
        try (Connection c = DriverManager.getConnection(url)) {
          c.setAutoCommit(false);
          var copy = c.unwrap(PGConnection.class).getCopyAPI();
          for (int b; (b = next.getAndIncrement()) < batches.size(); ) {
            byte[] rows = binaryCopy(batches.get(b).chunks());
            CopyIn in = copy.copyIn("COPY bench_raw.raw_chunks FROM STDIN (FORMAT binary)");
            in.writeToCopy(rows, 0, rows.length);
            in.endCopy();
            c.commit();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get();
    pool.shutdown();
    double seconds = (System.nanoTime() - t0) / 1e9;
    lastCpu = cpuPerMillionSpans(cpu0, spans);
    double rate = spans / seconds;
    long bytes = size("SELECT pg_total_relation_size('bench_raw.raw_chunks')");
    put("PostgreSQL raw ceiling (binary COPY of the chunk rows, no index)", String.format(Locale.ROOT,
        "%,.0f spans/s (%.1f s); %.1f B/span at rest", rate, seconds, bytes / (double) spans));
    dropSchema("bench_raw");
    return rate;
  }

  double pgOurs(List<WriteBatch> batches, int spans, JdbcStorage.IndexLoad load, String schema,
      boolean full) throws Exception {
    freshSchema(schema);
    double rate;
    try (JdbcStorage storage = JdbcStorage.newBuilder().postgres(url).schema(schema).migrate(true)
        .writeConnections(CONNECTIONS).indexLoad(load).build()) {
      for (String index : System.getProperty("jdbcbench.dropIndexes", "").split(",")) {
        if (!index.isBlank()) exec("DROP INDEX " + schema + '.' + index.strip()); // experiments only
      }
      // Experiments only: statements run after the migration, "{s}" standing for the schema.
      for (String sql : System.getProperty("jdbcbench.sql", "").split(";")) {
        if (!sql.isBlank()) exec(sql.strip().replace("{s}", schema));
      }
      exec("CHECKPOINT"); // as before the ceiling's write
      rate = writeAll(storage, batches, spans);
      if (full) {
        exec("VACUUM ANALYZE " + schema + ".chunks, " + schema + ".trace_index");
        readLatencies("PostgreSQL", storage, batches);
      }
    }
    if (full) {
      put("PostgreSQL our write path (JdbcStorage, all indexes, index rows by COPY)",
          String.format(Locale.ROOT, "%,.0f spans/s", rate));
      exec("VACUUM ANALYZE " + schema + ".chunks, " + schema + ".trace_index");
      long indexRows = size("SELECT count(*) FROM " + schema + ".trace_index");
      put("PostgreSQL trace_index rows", String.format(Locale.ROOT, "%,d (%.3f per span)",
          indexRows, indexRows / (double) spans));
      StringBuilder parts = new StringBuilder();
      long total = 0;
      for (String t : List.of("chunks", "trace_index")) {
        long b = size("SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('" + schema
            + '.' + t + "')");
        total += b;
        parts.append(String.format(Locale.ROOT, "%s %.1f, ", t, b / (double) spans));
      }
      long names = size("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN"
          + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "'"
          + " AND c.relkind = 'r' AND c.relname LIKE '%names'");
      total += names;
      put("PostgreSQL bytes at rest per span (tables + indexes + TOAST, after VACUUM)",
          String.format(Locale.ROOT, "%.1f B/span: %snames %.1f", total / (double) spans, parts,
              names / (double) spans));
    }
    if (!(full && Boolean.getBoolean("jdbcbench.keep"))) dropSchema(schema);
    return rate;
  }

  static double writeAll(JdbcStorage storage, List<WriteBatch> batches, int spans) throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    settleHeap();
    double[] cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    for (WriteBatch b : batches) {
      inFlight.acquire();
      storage.writer().write(b).whenComplete((v, e) -> {
        if (e != null) failure.compareAndSet(null, e);
        inFlight.release();
      });
    }
    inFlight.acquire(IN_FLIGHT);
    double seconds = (System.nanoTime() - t0) / 1e9;
    lastCpu = cpuPerMillionSpans(cpu0, spans);
    if (failure.get() != null) throw new IllegalStateException("a write failed", failure.get());
    return spans / seconds;
  }

  /**
   * A full collection before each timed write, for both sides: the prepared dataset (about 1 GB of
   * batches) is otherwise copied between survivor spaces and promoted during the first timed
   * writes, and those pauses (up to 270 ms each, seen with JFR) were charged to whichever side ran.
   */
  static void settleHeap() {
    System.gc();
  }

  /** CPU seconds per 1,000,000 spans of the last timed write: {JVM, every postgres process}. */
  static volatile double[] lastCpu = {0, 0};

  static double[] cpuPerMillionSpans(double[] before, int spans) {
    double[] after = cpuSeconds();
    return new double[] {(after[0] - before[0]) * 1e6 / spans, (after[1] - before[1]) * 1e6 / spans};
  }

  /**
   * {this JVM's CPU seconds, the CPU seconds of every process named postgres}. The second counts
   * other users of the shared server too, so it is an upper bound.
   */
  static double[] cpuSeconds() {
    double jvm = ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    return new double[] {jvm, POSTGRES_CPU.secondsByName("postgres")};
  }

  /**
   * USER_HZ is 100 on Linux. Reaped children count: the ceiling's connections close (and their
   * backends exit) before its CPU is sampled, which the previous count by live processes missed.
   */
  private static final ProcCpu POSTGRES_CPU = new ProcCpu(100);

  /** The 1-minute load average ({@code /proc/loadavg}). */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static double[] ratios(double[] ceiling, double[] ours) {
    double[] r = new double[ceiling.length];
    for (int i = 0; i < r.length; i++) r[i] = ours[i] / ceiling[i];
    return r;
  }

  /**
   * Tag search two ways over the same tag entries: a normalized table (one row per trace, service,
   * key and value; b-tree on service, key, value, start; what SQLite keeps) and the GIN layouts
   * of PostgreSQL's V001 schema (one row per trace, service and start holding {@code
   * service=key=value} elements, as text or as hashes, in an array under a GIN index). V003 keeps
   * the hashes under a GIN, in {@code trace_index} rows; this comparison is what chose them.
   */
  void tagIndexComparison(List<WriteBatch> batches) throws Exception {
    freshSchema("bench_tags");
    exec("CREATE TABLE bench_tags.tag_n (service text NOT NULL, tag_key text NOT NULL,"
        + " tag_value text NOT NULL, start_ns bigint NOT NULL, trace_id uuid NOT NULL)");
    exec("CREATE INDEX ON bench_tags.tag_n (service, tag_key, tag_value, start_ns, trace_id)");
    exec("CREATE TABLE bench_tags.tag_g (start_ns bigint NOT NULL, trace_id uuid NOT NULL,"
        + " tags text[] NOT NULL)");
    exec("CREATE INDEX ON bench_tags.tag_g USING gin (tags)");
    exec("CREATE TABLE bench_tags.tag_h (start_ns bigint NOT NULL, trace_id uuid NOT NULL,"
        + " tags bigint[] NOT NULL)");
    exec("CREATE INDEX ON bench_tags.tag_h USING gin (tags)");

    // The same entries: normalized rows, and per (trace, service) arrays of key=value.
    StringBuilder normalized = new StringBuilder();
    StringBuilder arrays = new StringBuilder();
    StringBuilder hashes = new StringBuilder();
    List<String[]> probes = new ArrayList<>();
    Map<String, Integer> frequency = new LinkedHashMap<>();
    for (WriteBatch b : batches) {
      Map<String, List<TagIndexEntry>> byTraceService = new LinkedHashMap<>();
      for (TagIndexEntry e : b.tagEntries()) {
        normalized.append(text(e.service())).append('\t').append(text(e.key())).append('\t')
            .append(text(e.value())).append('\t').append(e.startEpochNanos()).append('\t')
            .append(uuid(e.traceId())).append('\n');
        byTraceService.computeIfAbsent(e.traceId() + "/" + e.service() + '/' + e.startEpochNanos(),
            k -> new ArrayList<>()).add(e);
        frequency.merge(e.service() + '\u0001' + e.key() + '\u0001' + e.value(), 1, Integer::sum);
      }
      for (List<TagIndexEntry> group : byTraceService.values()) {
        TagIndexEntry first = group.get(0);
        arrays.append(first.startEpochNanos()).append('\t').append(uuid(first.traceId()))
            .append("\t{");
        hashes.append(first.startEpochNanos()).append('\t').append(uuid(first.traceId()))
            .append("\t{");
        for (int i = 0; i < group.size(); i++) {
          if (i > 0) hashes.append(',');
          hashes.append(hash(element(group.get(i))));
          if (i > 0) arrays.append(',');
          String kv = element(group.get(i));
          arrays.append('"').append(text(kv.replace("\\", "\\\\").replace("\"", "\\\""))).append('"');
        }
        arrays.append("}\n");
        hashes.append("}\n");
      }
    }
    long tn = copyText("COPY bench_tags.tag_n FROM STDIN", normalized);
    long tg = copyText("COPY bench_tags.tag_g FROM STDIN", arrays);
    long th = copyText("COPY bench_tags.tag_h FROM STDIN", hashes);
    exec("VACUUM ANALYZE bench_tags.tag_n");
    exec("VACUUM ANALYZE bench_tags.tag_g");
    exec("VACUUM ANALYZE bench_tags.tag_h");
    long sizeN = size("SELECT pg_total_relation_size('bench_tags.tag_n')");
    long sizeG = size("SELECT pg_total_relation_size('bench_tags.tag_g')");
    long sizeH = size("SELECT pg_total_relation_size('bench_tags.tag_h')");

    // Probes: rare, middling and common key=value pairs of one service.
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(frequency.entrySet());
    sorted.sort(Map.Entry.comparingByValue());
    for (double q : new double[] {0.1, 0.5, 0.9, 0.99, 0.999}) {
      String[] p = sorted.get((int) (q * (sorted.size() - 1))).getKey().split("\u0001", -1);
      probes.add(p);
    }
    long[] range = timeRange(batches);
    double latN = medianMillis(probes, "SELECT trace_id, min(start_ns) AS ts FROM bench_tags.tag_n"
        + " WHERE service = ? AND tag_key = ? AND tag_value = ? AND start_ns BETWEEN ? AND ?"
        + " GROUP BY trace_id ORDER BY ts DESC LIMIT 20", range, 0);
    double latG = medianMillis(probes, "SELECT trace_id, min(start_ns) AS ts FROM bench_tags.tag_g"
        + " WHERE tags @> ARRAY[?]::text[] AND start_ns BETWEEN ? AND ?"
        + " GROUP BY trace_id ORDER BY ts DESC LIMIT 20", range, 1);
    double latH = medianMillis(probes, "SELECT trace_id, min(start_ns) AS ts FROM bench_tags.tag_h"
        + " WHERE tags @> ARRAY[?]::bigint[] AND start_ns BETWEEN ? AND ?"
        + " GROUP BY trace_id ORDER BY ts DESC LIMIT 20", range, 2);
    int tagRows = batches.stream().mapToInt(b -> b.tagEntries().size()).sum();
    put("tag index, normalized b-tree table (SQLite's layout)", String.format(Locale.ROOT,
        "COPY of %,d rows in %.1f s; %.1f B/span; search median %.2f ms", tagRows, tn / 1e9,
        sizeN / (double) spanCount(batches), latN));
    put("tag index, GIN over per-(trace, service, start) text arrays of service=key=value",
        String.format(Locale.ROOT, "COPY of the same entries in %.1f s; %.1f B/span; search median"
            + " %.2f ms", tg / 1e9, sizeG / (double) spanCount(batches), latG));
    put("tag index, GIN over per-(trace, service, start) arrays of XXH64 hashes (PostgreSQL's"
        + " V001 layout; V003 folds these hashes into trace_index)", String.format(Locale.ROOT, "COPY of the same entries in %.1f s; %.1f"
            + " B/span; search median %.2f ms", th / 1e9, sizeH / (double) spanCount(batches), latH));
    dropSchema("bench_tags");
  }

  /** @param layout 0 normalized, 1 GIN on text, 2 GIN on hashes */
  double medianMillis(List<String[]> probes, String sql, long[] range, int layout)
      throws SQLException {
    List<Double> times = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int round = 0; round < 7; round++) {
        for (String[] p : probes) {
          int i = 1;
          if (layout == 1) {
            ps.setString(i++, element(p[0], p[1], p[2]));
          } else if (layout == 2) {
            ps.setLong(i++, hash(element(p[0], p[1], p[2])));
          } else {
            ps.setString(i++, p[0]);
            ps.setString(i++, p[1]);
            ps.setString(i++, p[2]);
          }
          ps.setLong(i++, range[0]);
          ps.setLong(i, range[1]);
          long t0 = System.nanoTime();
          int rows = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) rows++;
          }
          if (rows == 0) throw new IllegalStateException("probe found nothing: " + Arrays.toString(p));
          if (round > 1) times.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }

  // ---- SQLite

  double sqliteCeiling(List<WriteBatch> batches, int spans) throws Exception {
    return sqliteCeiling(batches, spans, true);
  }

  /**
   * The same chunk rows (same bytes) into one unindexed rowid table, one transaction per batch,
   * WAL, {@code synchronous=FULL}, one connection (SQLite has one writer), statement prepared once.
   */
  double sqliteCeiling(List<WriteBatch> batches, int spans, boolean report) throws Exception {
    Path dir = Files.createTempDirectory("bench-sqlite-raw");
    Path file = dir.resolve("raw.db");
    long t0;
    double[] cpu0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE raw_chunks (trace_id BLOB, chunk_id INTEGER, start_ns INTEGER,"
            + " end_ns INTEGER, span_count INTEGER, payload BLOB)");
      }
      c.setAutoCommit(false);
      settleHeap();
      cpu0 = cpuSeconds();
      t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_chunks VALUES (?, ?, ?, ?, ?, ?)")) {
        for (WriteBatch b : batches) {
          for (Chunk ch : b.chunks()) {
            ps.setBytes(1, ch.traceId().toBytes());
            ps.setLong(2, ch.chunkId());
            ps.setLong(3, ch.minStartEpochNanos());
            ps.setLong(4, ch.maxEndEpochNanos());
            ps.setInt(5, ch.spanCount());
            ps.setBytes(6, ch.payload());
            ps.addBatch();
          }
          ps.executeBatch();
          c.commit();
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    lastCpu = cpuPerMillionSpans(cpu0, spans);
    double rate = spans / seconds;
    if (report) put("SQLite raw ceiling (same chunk rows, unindexed table, one transaction per batch, WAL,"
        + " synchronous=FULL)", String.format(Locale.ROOT, "%,.0f spans/s (%.1f s); %.1f B/span",
        rate, seconds, fileBytes(dir) / (double) spans));
    deleteTree(dir);
    return rate;
  }

  double sqliteOurs(List<WriteBatch> batches, int spans, boolean report) throws Exception {
    Path dir = Files.createTempDirectory("bench-sqlite-ours");
    double rate;
    double[] cpu;
    try (JdbcStorage storage = JdbcStorage.newBuilder().sqlite(dir.resolve("tracestore.db"))
        .migrate(true).build()) {
      rate = writeAll(storage, batches, spans);
      cpu = lastCpu;
      if (report) {
        readLatencies("SQLite", storage, batches);
        sqliteRowCounts(dir.resolve("tracestore.db"), spans);
      }
    }
    lastCpu = cpu;
    if (report) put("SQLite our write path (JdbcStorage, all indexes)", String.format(Locale.ROOT,
        "%,.0f spans/s on %,d spans; %.1f B/span (file incl. WAL)", rate, spans,
        fileBytes(dir) / (double) spans));
    deleteTree(dir);
    return rate;
  }

  /** Rows per span and bytes per span of every table and index of our SQLite file (dbstat). */
  void sqliteRowCounts(Path file, int spans) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'"
          + " AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'flyway%' ORDER BY name")) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t + '"')) {
          rs.next();
          if (rs.getLong(1) > 0) {
            out.append(String.format(Locale.ROOT, "%s %.3f, ", t, rs.getLong(1) / (double) spans));
          }
        }
      }
      out.append("bytes per span:");
      try (ResultSet rs = s.executeQuery("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
          + " HAVING sum(pgsize) > 4096 ORDER BY 2 DESC")) {
        while (rs.next()) {
          out.append(String.format(Locale.ROOT, " %s %.1f", rs.getString(1),
              rs.getLong(2) / (double) spans));
        }
      }
    }
    put("SQLite rows per span by table, and bytes per span by table or index", out.toString());
  }

  // ---- helpers

  /**
   * Read latency through {@code JdbcStorage.reader()} on the loaded data, medians over 100 probes
   * each (after 20 warm-up probes): a trace by id, and searches of the last hour of data (limit 10)
   * by service, by service and a tag of middling frequency, and by service, operation and a
   * minimum duration.
   */
  void readLatencies(String db, JdbcStorage storage, List<WriteBatch> batches) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    long[] range = timeRange(batches);
    long from = Math.max(range[0], range[1] - 3_600_000_000_000L);
    List<TraceId> ids = new ArrayList<>();
    List<ServiceIndexEntry> services = new ArrayList<>();
    List<TagIndexEntry> tags = new ArrayList<>();
    List<tracestore.storage.OperationIndexEntry> ops = new ArrayList<>();
    for (WriteBatch b : batches) {
      for (Chunk c : b.chunks()) ids.add(c.traceId());
      services.addAll(b.serviceEntries());
      ops.addAll(b.operationEntries());
      for (TagIndexEntry e : b.tagEntries()) {
        if (e.key().equals("http.method") || e.key().equals("peer.service")) tags.add(e);
      }
    }
    double byId = median(120, () -> storage.reader().getTrace(ids.get(random.nextInt(ids.size()))));
    double byService = median(120, () -> {
      ServiceIndexEntry e = services.get(random.nextInt(services.size()));
      storage.reader().search(tracestore.storage.SearchRequest.newBuilder()
          .timeRange(from, range[1]).service(e.service()).limit(10).build());
    });
    double byTag = median(120, () -> {
      TagIndexEntry e = tags.get(random.nextInt(tags.size()));
      storage.reader().search(tracestore.storage.SearchRequest.newBuilder()
          .timeRange(from, range[1]).service(e.service()).tag(e.key(), e.value()).limit(10).build());
    });
    double byOperation = median(120, () -> {
      var e = ops.get(random.nextInt(ops.size()));
      storage.reader().search(tracestore.storage.SearchRequest.newBuilder()
          .timeRange(from, range[1]).service(e.service()).operation(e.operation())
          .minDurationNanos(1_000_000).limit(10).build());
    });
    put(db + " read latency, medians (last hour of data, limit 10)", String.format(Locale.ROOT,
        "trace by id %.2f ms; service %.2f ms; service + tag %.2f ms; service + operation +"
            + " minDuration %.2f ms", byId, byService, byTag, byOperation));
  }

  static double median(int n, Runnable probe) {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      probe.run();
      if (i >= 20) times.add((System.nanoTime() - t0) / 1e6);
    }
    times.sort(null);
    return times.get(times.size() / 2);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static String pairs(double[] ceiling, double[] ours) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < ceiling.length; i++) {
      b.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%,.0f / %,.0f (%.0f%%)",
          ceiling[i], ours[i], 100 * ours[i] / ceiling[i]));
    }
    return b.toString();
  }

  static String rates(double[] r) {
    StringBuilder b = new StringBuilder();
    for (double v : r) b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", v));
    return b.toString();
  }

  static int spanCount(List<WriteBatch> batches) {
    return batches.stream().mapToInt(WriteBatch::spanCount).sum();
  }

  static long[] timeRange(List<WriteBatch> batches) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (WriteBatch b : batches) {
      for (ServiceIndexEntry e : b.serviceEntries()) {
        min = Math.min(min, e.startEpochNanos());
        max = Math.max(max, e.startEpochNanos());
      }
    }
    return new long[] {min, max};
  }

  static byte[] binaryCopy(List<Chunk> chunks) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeBytes("PGCOPY\n");
    out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
    out.writeInt(0);
    out.writeInt(0);
    for (Chunk c : chunks) {
      out.writeShort(6);
      out.writeInt(16);
      out.writeLong(c.traceId().high());
      out.writeLong(c.traceId().low());
      out.writeInt(8);
      out.writeLong(c.chunkId());
      out.writeInt(8);
      out.writeLong(c.minStartEpochNanos());
      out.writeInt(8);
      out.writeLong(c.maxEndEpochNanos());
      out.writeInt(4);
      out.writeInt(c.spanCount());
      out.writeInt(c.payload().length);
      out.write(c.payload());
    }
    out.writeShort(-1);
    return bytes.toByteArray();
  }

  long copyText(String sql, StringBuilder rows) throws SQLException, IOException {
    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url)) {
      c.unwrap(PGConnection.class).getCopyAPI()
          .copyIn(sql, new java.io.ByteArrayInputStream(bytes));
    }
    return System.nanoTime() - t0;
  }

  /** The element PostgreSQL's tag index stores: service=key=value, '=' and '\\' escaped in names. */
  static String element(TagIndexEntry e) {
    return element(e.service(), e.key(), e.value());
  }

  static String element(String service, String key, String value) {
    return escapeName(service) + '=' + escapeName(key) + '=' + value;
  }

  private static final net.jpountz.xxhash.XXHash64 XXH64 =
      net.jpountz.xxhash.XXHashFactory.fastestInstance().hash64();

  /** As the backend hashes a tag element (XXH64 of the UTF-8, seed 0x7467). */
  static long hash(String element) {
    byte[] utf8 = element.getBytes(StandardCharsets.UTF_8);
    return XXH64.hash(utf8, 0, utf8.length, 0x7467L);
  }

  static String escapeName(String s) {
    return s.replace("\\", "\\\\").replace("=", "\\=");
  }

  static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\u0000' -> b.append(' ');
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  static String uuid(TraceId id) {
    return String.format(Locale.ROOT, "%016x%016x", id.high(), id.low());
  }

  void freshSchema(String schema) throws SQLException {
    dropSchema(schema);
    exec("CREATE SCHEMA " + schema);
  }

  void dropSchema(String schema) throws SQLException {
    exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  void exec(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  long size(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long fileBytes(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }

  void put(String key, String value) {
    report.put(key, value);
    System.out.println(key + ": " + value);
    System.out.flush();
  }
}
