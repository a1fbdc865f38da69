package tracestore.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import tracestore.schema.CqlMigrator;
import tracestore.storage.Chunk;
import tracestore.storage.IndexPolicy;
import tracestore.storage.OperationIndexEntry;
import tracestore.storage.OverCapacityException;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.SpanWriter;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.cassandra.CassandraStorage;
import tracestore.storage.model.Span;
import tracestore.testnode.ContactPoint;
import tracestore.testnode.NodeLauncher;

/**
 * Cassandra write path against the raw ceiling of the same node, for BENCHMARKS.md.
 *
 * <ol>
 *   <li>Data: {@link RealisticTraces} (seed 42) grouped into write batches of about {@code
 *       batchSpans} spans, as ingest would, encoded and indexed up front (the default index policy),
 *       so neither side pays for encoding.
 *   <li>Raw ceiling: the same chunk bytes as prepared single-row {@code executeAsync} inserts into one
 *       unindexed table of the chunk table's shape, with the same in-flight bound (256).
 *   <li>Ours: {@link CassandraStorage#writer()} with every index, 256 statements in flight at most,
 *       {@code writes} writes in flight (default 8), each with 256 / writes statements in flight.
 *   <li>Amplification: rows and logical bytes (bound values) written per span, index and name rows
 *       included; then {@code nodetool flush} + {@code compact} and the bytes on disk per span.
 * </ol>
 *
 * Usage (from the root, after {@code ./mvnw -q -pl benchmarks -am package -DskipTests}):
 * {@code java -cp benchmarks/target/benchmarks.jar tracestore.benchmarks.CassandraWriteBenchmark
 * [spans=400000] [batchSpans=1000] [host:port]}. Without host:port it forks a node of its own under
 * {@code target/cassandra-bench} (1 GB heap, the flags of DESIGN.md section 12) and stops it at the end.
 */
public final class CassandraWriteBenchmark {
  static final int MAX_IN_FLIGHT = 256;
  /** Writes in flight on our path (argument {@code writes=N}); each gets 256 / N statements in flight. */
  static int concurrentWrites = 8;
  static final String KEYSPACE = "bench";
  static final String RAW_KEYSPACE = "bench_raw";
  static final String ALL_KEYSPACE = "bench_all";
  static final int ROUNDS = 3;

  private CassandraWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int spans = 400_000;
    int batchSpans = 1_000;
    String hostPort = null;
    boolean profile = false;
    for (String a : args) {
      if (a.startsWith("spans=")) spans = Integer.parseInt(a.substring(6));
      else if (a.startsWith("batchSpans=")) batchSpans = Integer.parseInt(a.substring(11));
      else if (a.startsWith("writes=")) concurrentWrites = Integer.parseInt(a.substring(7));
      else if (a.equals("profile")) profile = true;
      else hostPort = a;
    }
    NodeLauncher node = null;
    ContactPoint cp;
    if (hostPort != null) {
      cp = ContactPoint.parse(hostPort);
    } else {
      node = NodeLauncher.dedicated(Path.of("target", "cassandra-bench"), "1G");
      node.stop();
      cp = node.startOrReuse(Duration.ofMinutes(3), ProcessHandle.current().pid());
    }
    try {
      if (profile) profile(cp, node, spans, batchSpans);
      else run(cp, node, spans, batchSpans);
    } finally {
      if (node != null) node.stop();
    }
  }

  /** The default policy: an allow list of common search keys (IndexPolicy.DEFAULT_ALLOWED_KEYS). */
  static IndexPolicy defaultPolicy() {
    return IndexPolicy.defaults();
  }

  /** Every key not denied (the default before the allow list). */
  static IndexPolicy everyKeyPolicy() {
    return IndexPolicy.everyKey();
  }

  /**
   * Only our path with the default policy, several times, for a profiler attached to the node and
   * this JVM (argument {@code profile}; prints the node's pid).
   */
  private static void profile(ContactPoint cp, NodeLauncher node, int spans, int batchSpans) throws Exception {
    WriteBatches indexer = WriteBatches.create(defaultPolicy());
    List<WriteBatch> measured = batches(indexer, new RealisticTraces(42), spans, batchSpans);
    try (CqlSession session = CqlSession.builder().addContactPoint(cp.address()).withLocalDatacenter(cp.localDatacenter()).build()) {
      session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
      CqlMigrator.newBuilder(session, KEYSPACE).build().migrate();
    }
    System.out.println("node pid " + (node == null ? "?" : node.process().map(ProcessHandle::pid).orElse(-1L)));
    try (CassandraStorage storage = storage(cp, KEYSPACE)) {
      ours(storage, measured, node);
      Thread.sleep(10_000); // time to attach
      for (int i = 1; i <= 4; i++) {
        Result o = ours(storage, measured, node);
        System.out.printf("ours: %,.0f spans/s, %.2f CPU s/100k spans (client %.2f)%n", o.spansPerSecond(), o.cpuSecondsPer100k(), o.clientCpuSecondsPer100k());
      }
    }
  }

  private static void run(ContactPoint cp, NodeLauncher node, int spans, int batchSpans) throws Exception {
    System.out.printf("generating %,d warm-up + %,d measured spans in batches of %,d...%n", spans, spans, batchSpans);
    WriteBatches indexer = WriteBatches.create(defaultPolicy());
    List<WriteBatch> warm = batches(indexer, new RealisticTraces(7), spans, batchSpans);
    List<WriteBatch> warmAll = batches(WriteBatches.create(everyKeyPolicy()), new RealisticTraces(7), spans / 4, batchSpans);
    List<WriteBatch> measured = batches(indexer, new RealisticTraces(42), spans, batchSpans);
    List<WriteBatch> measuredAll = batches(WriteBatches.create(everyKeyPolicy()), new RealisticTraces(42), spans, batchSpans);
    Amplification amp = Amplification.of(measured);
    Amplification ampAll = Amplification.of(measuredAll);

    try (CqlSession session = CqlSession.builder().addContactPoint(cp.address()).withLocalDatacenter(cp.localDatacenter()).build()) {
      for (String ks : List.of(KEYSPACE, ALL_KEYSPACE, RAW_KEYSPACE)) session.execute("DROP KEYSPACE IF EXISTS " + ks);
      CqlMigrator.newBuilder(session, KEYSPACE).build().migrate();
      CqlMigrator.newBuilder(session, ALL_KEYSPACE).build().migrate();
      session.execute(
          "CREATE KEYSPACE " + RAW_KEYSPACE
              + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute(
          "CREATE TABLE " + RAW_KEYSPACE + ".chunks (trace_id blob, chunk_id bigint, min_start bigint,"
              + " max_end bigint, span_count int, payload blob, PRIMARY KEY ((trace_id), chunk_id))"
              + " WITH default_time_to_live = 604800 AND gc_grace_seconds = 10800 AND compaction ="
              + " {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'HOURS',"
              + " 'compaction_window_size': '6'}");
      PreparedStatement insert =
          session.prepare(
              "INSERT INTO " + RAW_KEYSPACE + ".chunks (trace_id, chunk_id, min_start, max_end, span_count, payload)"
                  + " VALUES (?, ?, ?, ?, ?, ?)");

      try (CassandraStorage storage = storage(cp, KEYSPACE);
          CassandraStorage allStorage = storage(cp, ALL_KEYSPACE)) {
        // warm-up: a full pass of another dataset through both paths (a quarter for every key), twice
        for (int pass = 1; pass <= 2; pass++) {
          System.out.println("warm-up pass " + pass + "...");
          for (String ks : List.of(RAW_KEYSPACE, KEYSPACE, ALL_KEYSPACE)) truncate(session, ks);
          raw(session, insert, warm, node);
          ours(storage, warm, node);
          ours(allStorage, warmAll, node);
        }
        List<Result> raws = new ArrayList<>();
        List<Result> ourss = new ArrayList<>();
        List<Result> alls = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
          // each measured pass starts from the same node state: its tables emptied, every memtable
          // flushed and no flush or compaction running or queued; the tables end up holding exactly
          // one pass of the data (group commit makes a rewrite's segments differ from the first)
          settle(session, node, RAW_KEYSPACE);
          Result r = raw(session, insert, measured, node);
          System.out.printf("round %d raw ceiling: %,.0f spans/s, %.2f CPU s/100k spans (client %.2f)%n", round, r.spansPerSecond(), r.cpuSecondsPer100k(), r.clientCpuSecondsPer100k());
          settle(session, node, KEYSPACE);
          Result o = ours(storage, measured, node);
          System.out.printf("round %d ours:        %,.0f spans/s, %.2f CPU s/100k spans (client %.2f; %d over-capacity retries)%n", round, o.spansPerSecond(), o.cpuSecondsPer100k(), o.clientCpuSecondsPer100k(), o.retries());
          settle(session, node, ALL_KEYSPACE);
          Result a = ours(allStorage, measuredAll, node);
          System.out.printf("round %d ours, every key: %,.0f spans/s, %.2f CPU s/100k spans (client %.2f)%n", round, a.spansPerSecond(), a.cpuSecondsPer100k(), a.clientCpuSecondsPer100k());
          raws.add(r);
          ourss.add(o);
          alls.add(a);
        }

        String rowsCounted = rowsCounted(session, spans);
        String atRest =
            node == null
                ? "(bytes at rest need the forked node: run without host:port)"
                : atRest(node, Map.of(KEYSPACE, (long) spans, ALL_KEYSPACE, (long) spans, RAW_KEYSPACE, (long) spans));
        String report = report(spans, batchSpans, measured, amp, ampAll, raws, ourss, alls, rowsCounted, atRest);
        System.out.println();
        System.out.println(report);
        Path target = Files.isDirectory(Path.of("benchmarks", "target")) ? Path.of("benchmarks", "target") : Path.of("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("cassandra-report.md"), report);
      }
    }
  }

  /**
   * Empties {@code ks}, flushes every memtable of the node and waits until no flush or compaction is
   * running or queued (the node's {@code system_views.thread_pools}, checked twice a second apart),
   * so each measured pass starts from the same state and pays for no earlier pass's background work.
   */
  static void settle(CqlSession session, NodeLauncher node, String ks) throws InterruptedException {
    truncate(session, ks);
    if (node != null) node.nodetool("flush");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    int quiet = 0;
    while (quiet < 2 && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      long busy = 0;
      for (var row : session.execute(
          "SELECT name, active_tasks, pending_tasks FROM system_views.thread_pools")) {
        String name = row.getString(0).replace("_", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("compaction") || name.startsWith("memtable")) {
          busy += ((Number) row.getObject(1)).longValue() + ((Number) row.getObject(2)).longValue();
        }
      }
      quiet = busy == 0 ? quiet + 1 : 0;
    }
  }

  /** Empties every table of {@code ks} but the migrator's own. */
  static void truncate(CqlSession session, String ks) {
    for (var table : session.getMetadata().getKeyspace(ks).orElseThrow().getTables().keySet()) {
      String name = table.asInternal();
      if (!name.startsWith("tracestore_schema")) {
        session.execute(SimpleStatement.newInstance("TRUNCATE " + ks + "." + name).setTimeout(Duration.ofMinutes(1)));
      }
    }
  }

  /** Rows in each table of our two keyspaces after the last round (one pass of the measured data), per span. */
  static String rowsCounted(CqlSession session, int spans) {
    StringBuilder b = new StringBuilder();
    b.append("Rows in the tables after the last round (one pass of the measured data, written with ")
        .append(concurrentWrites).append(" writes in flight, so group commit merged index entries), per span:\n\n");
    b.append("| table | rows/span (default policy) | rows/span (every key) |\n|---|---:|---:|\n");
    double[] total = new double[2];
    for (String table : List.of("chunks", "index_segments",
        "service_names", "operation_names", "remote_service_names", "tag_keys", "tag_values")) {
      double[] perSpan = new double[2];
      int i = 0;
      for (String ks : List.of(KEYSPACE, ALL_KEYSPACE)) {
        long n = session.execute(SimpleStatement.newInstance("SELECT COUNT(*) FROM " + ks + "." + table)
            .setTimeout(Duration.ofMinutes(2))).one().getLong(0);
        perSpan[i] = (double) n / spans;
        total[i] += perSpan[i];
        i++;
      }
      b.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", table, perSpan[0], perSpan[1]));
    }
    b.append(String.format(Locale.ROOT, "| **all** | **%.3f** | **%.3f** |%n%n", total[0], total[1]));
    b.append("Logical bytes of those index segments (the bound values: key columns, ids, filter and postings), per span:\n\n");
    b.append("| | default policy | every key |\n|---|---:|---:|\n");
    long[] filter = new long[2];
    long[] entries = new long[2];
    long[] keys = new long[2];
    int i = 0;
    for (String ks : List.of(KEYSPACE, ALL_KEYSPACE)) {
      for (var row : session.execute(SimpleStatement.newInstance("SELECT service, terms, postings FROM " + ks + ".index_segments")
          .setPageSize(500).setTimeout(Duration.ofMinutes(2)))) {
        keys[i] += row.getString(0).getBytes(StandardCharsets.UTF_8).length + 4 + 8 + 8 + 8;
        filter[i] += row.getByteBuffer(1).remaining();
        entries[i] += row.getByteBuffer(2).remaining();
      }
      i++;
    }
    b.append(String.format(Locale.ROOT, "| key columns, segment id, min/max start | %.1f | %.1f |%n", (double) keys[0] / spans, (double) keys[1] / spans));
    b.append(String.format(Locale.ROOT, "| terms (filter) | %.1f | %.1f |%n", (double) filter[0] / spans, (double) filter[1] / spans));
    b.append(String.format(Locale.ROOT, "| postings (the segment) | %.1f | %.1f |%n", (double) entries[0] / spans, (double) entries[1] / spans));
    b.append(String.format(Locale.ROOT, "| **index_segments** | **%.1f** | **%.1f** |%n%n",
        (double) (keys[0] + filter[0] + entries[0]) / spans, (double) (keys[1] + filter[1] + entries[1]) / spans));
    return b.toString();
  }

  static CassandraStorage storage(ContactPoint cp, String keyspace) {
    return CassandraStorage.newBuilder()
        .contactPoint(cp.address())
        .localDatacenter(cp.localDatacenter())
        .keyspace(keyspace)
        .maxInFlight(MAX_IN_FLIGHT)
        .perWriteWindow(MAX_IN_FLIGHT / concurrentWrites)
        .build();
  }

  /** The round of median throughput (rounds are odd in number). */
  static Result median(List<Result> rounds) {
    List<Result> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingDouble(Result::spansPerSecond));
    return sorted.get(sorted.size() / 2);
  }

  static double medianCpu(List<Result> rounds, boolean clientOnly) {
    double[] v = rounds.stream().mapToDouble(r -> clientOnly ? r.clientCpuSecondsPer100k() : r.cpuSecondsPer100k()).sorted().toArray();
    return v[v.length / 2];
  }

  static List<WriteBatch> batches(WriteBatches indexer, RealisticTraces gen, int spans, int batchSpans) {
    List<WriteBatch> out = new ArrayList<>();
    List<Span> pending = new ArrayList<>();
    for (List<Span> trace : gen.traces(spans)) {
      pending.addAll(trace);
      if (pending.size() >= batchSpans) {
        out.add(indexer.toBatch(pending));
        pending = new ArrayList<>();
      }
    }
    if (!pending.isEmpty()) out.add(indexer.toBatch(pending));
    return out;
  }

  /**
   * @param nodeCpuNanos CPU time the Cassandra node used during the run (0 when not ours to measure)
   * @param clientCpuNanos CPU time this JVM used during the run
   */
  record Result(long spans, long rows, long nanos, long retries, long nodeCpuNanos, long clientCpuNanos) {
    /** CPU seconds (node + client) per 100,000 spans: comparable even on a busy machine. */
    double cpuSecondsPer100k() {
      return (nodeCpuNanos + clientCpuNanos) / 1e9 * 100_000 / spans;
    }

    /** The client JVM's share of {@link #cpuSecondsPer100k()}. */
    double clientCpuSecondsPer100k() {
      return clientCpuNanos / 1e9 * 100_000 / spans;
    }

    double spansPerSecond() {
      return spans * 1e9 / nanos;
    }

    double rowsPerSecond() {
      return rows * 1e9 / nanos;
    }
  }

  /** Prepared single-row async inserts of every chunk, at most 256 in flight. */
  static Result raw(CqlSession session, PreparedStatement insert, List<WriteBatch> batches, NodeLauncher node)
      throws Exception {
    long[] cpu = cpu(node);
    Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long spans = 0;
    long rows = 0;
    long start = System.nanoTime();
    for (WriteBatch b : batches) {
      for (Chunk c : b.chunks()) {
        permits.acquire();
        session
            .executeAsync(
                insert.boundStatementBuilder()
                    .setByteBuffer(0, ByteBuffer.wrap(c.traceId().toBytes()))
                    .setLong(1, c.chunkId())
                    .setLong(2, c.minStartEpochNanos())
                    .setLong(3, c.maxEndEpochNanos())
                    .setInt(4, c.spanCount())
                    .setByteBuffer(5, ByteBuffer.wrap(c.payload()))
                    .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)
                    .setIdempotence(true)
                    .build())
            .whenComplete(
                (rs, err) -> {
                  if (err != null) failure.compareAndSet(null, err);
                  permits.release();
                });
        rows++;
      }
      spans += b.spanCount();
    }
    permits.acquire(MAX_IN_FLIGHT);
    long nanos = System.nanoTime() - start;
    permits.release(MAX_IN_FLIGHT);
    long[] cpuEnd = cpu(node);
    if (failure.get() != null) throw new IllegalStateException("raw insert failed", failure.get());
    return new Result(spans, rows, nanos, 0, cpuEnd[0] - cpu[0], cpuEnd[1] - cpu[1]);
  }

  /** Every batch through the backend, {@link #concurrentWrites} writes in flight; over-capacity answers are retried. */
  static Result ours(CassandraStorage storage, List<WriteBatch> batches, NodeLauncher node) throws Exception {
    long[] cpu = cpu(node);
    Semaphore writes = new Semaphore(concurrentWrites);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong retries = new AtomicLong();
    long spans = 0;
    long start = System.nanoTime();
    for (WriteBatch b : batches) {
      writes.acquire();
      writeWithRetry(storage.writer(), b, retries)
          .whenComplete(
              (v, err) -> {
                if (err != null) failure.compareAndSet(null, err);
                writes.release();
              });
      spans += b.spanCount();
    }
    writes.acquire(concurrentWrites);
    long nanos = System.nanoTime() - start;
    writes.release(concurrentWrites);
    long[] cpuEnd = cpu(node);
    if (failure.get() != null) throw new IllegalStateException("write failed", failure.get());
    return new Result(spans, 0, nanos, retries.get(), cpuEnd[0] - cpu[0], cpuEnd[1] - cpu[1]);
  }

  /** {node CPU nanos, this JVM's CPU nanos} so far. */
  static long[] cpu(NodeLauncher node) {
    long nodeCpu =
        node == null
            ? 0
            : node.process().flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    long own =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    return new long[] {nodeCpu, own};
  }

  /** Writes, and writes again on {@link OverCapacityException}, without blocking the caller. */
  static CompletableFuture<Void> writeWithRetry(SpanWriter writer, WriteBatch b, AtomicLong retries) {
    return writer.write(b).toCompletableFuture()
        .handle(
            (v, err) -> {
              if (err == null) return CompletableFuture.<Void>completedFuture(null);
              Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
              if (cause instanceof OverCapacityException) {
                retries.incrementAndGet();
                return writeWithRetry(writer, b, retries);
              }
              return CompletableFuture.<Void>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  /**
   * Rows per span that one write at a time sends (no group commit): a chunk row per trace, one
   * index segment per (service, hour) of the batch (at most 2,000 traces each), and the names not
   * yet written; logical bytes (the bound values) of the chunks and names. The segments' bytes are
   * measured from the table after the runs ({@link #rowsCounted}).
   */
  record Amplification(long spans, Map<String, long[]> rowsAndBytesByTable, long statements) {
    static Amplification of(List<WriteBatch> batches) {
      Map<String, long[]> t = new LinkedHashMap<>();
      for (String table : List.of("chunks", "index_segments", "names")) t.put(table, new long[2]);
      long statements = 0;
      Set<String> names = new HashSet<>();
      long spans = 0;
      for (WriteBatch b : batches) {
        spans += b.spanCount();
        for (Chunk c : b.chunks()) add(t, "chunks", 1, 16 + 8 + 8 + 8 + 4 + c.payload().length);
        // traces per (service, hour): a segment lists at most 2,000
        Map<String, Set<Object>> segments = new HashMap<>();
        // statements: one per chunk, one per partition key of the index rows (service, hour) and names
        Set<String> keys = new HashSet<>();
        statements += b.chunks().size();
        for (ServiceIndexEntry e : b.serviceEntries()) {
          segment(segments, keys, e.service(), e.startEpochNanos(), e.traceId());
          if (names.add("s" + e.service())) {
            add(t, "names", 1, 4 + utf8(e.service()));
            keys.add("service_names");
          }
        }
        for (OperationIndexEntry e : b.operationEntries()) {
          segment(segments, keys, e.service(), e.startEpochNanos(), e.traceId());
          if (names.add("o" + e.service() + '\0' + e.operation() + '\0' + e.kind())) {
            add(t, "names", 1, utf8(e.service()) + utf8(e.operation()) + utf8(e.kind().name()));
            keys.add("operation_names\0" + e.service());
          }
        }
        for (TagIndexEntry e : b.tagEntries()) {
          segment(segments, keys, e.service(), e.startEpochNanos(), e.traceId());
          if (e.key().equals(TagIndexEntry.REMOTE_SERVICE_KEY) && names.add("r" + e.service() + '\0' + e.value())) {
            add(t, "names", 1, utf8(e.service()) + utf8(e.value()));
            keys.add("remote_service_names\0" + e.service());
          }
          if (!e.listed()) continue; // past the cardinality guard: no autocomplete names
          if (names.add("k" + e.key())) {
            add(t, "names", 1, 4 + utf8(e.key()));
            keys.add("tag_keys");
          }
          if (names.add("v" + e.key() + '\0' + e.value())) {
            add(t, "names", 1, utf8(e.key()) + utf8(e.value()));
            keys.add("tag_values\0" + e.key());
          }
        }
        for (Set<Object> traces : segments.values()) add(t, "index_segments", (traces.size() + 1_999) / 2_000, 0);
        statements += keys.size();
      }
      return new Amplification(spans, t, statements);
    }

    private static void segment(Map<String, Set<Object>> segments, Set<String> keys, String service, long start, Object traceId) {
      String key = service + '\0' + bucket(start);
      segments.computeIfAbsent(key, k -> new HashSet<>()).add(traceId);
      keys.add(key);
    }

    private static long bucket(long epochNanos) {
      return Math.floorDiv(epochNanos, 3_600_000_000_000L);
    }

    private static void add(Map<String, long[]> t, String table, long rows, long bytes) {
      long[] rb = t.get(table);
      rb[0] += rows;
      rb[1] += bytes;
    }

    private static int utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8).length;
    }
  }

  /** nodetool flush + compact each keyspace, then bytes of their SSTables per table and per stored span. */
  static String atRest(NodeLauncher node, Map<String, Long> spansStored) throws Exception {
    Path dataDir = node.directory().resolve("data").resolve("data");
    StringBuilder b = new StringBuilder();
    b.append("| keyspace.table | bytes on disk | bytes/span |\n|---|---:|---:|\n");
    for (String ks : List.of(KEYSPACE, ALL_KEYSPACE, RAW_KEYSPACE)) {
      node.nodetool("flush", ks);
      node.nodetool("compact", ks);
      Thread.sleep(3_000); // let the compacted-away SSTables be deleted
      long total = 0;
      long stored = spansStored.get(ks);
      try (Stream<Path> tables = Files.list(dataDir.resolve(ks))) {
        for (Path table : tables.sorted().toList()) {
          long bytes = sizeOf(table);
          String name = table.getFileName().toString().replaceAll("-[0-9a-f]{32}$", "");
          if (bytes == 0 || name.startsWith("tracestore_schema")) continue;
          total += bytes;
          b.append(String.format(Locale.ROOT, "| %s.%s | %,d | %.1f |%n", ks, name, bytes, (double) bytes / stored));
        }
      }
      b.append(String.format(Locale.ROOT, "| **%s, all tables** | **%,d** | **%.1f** |%n", ks, total, (double) total / stored));
    }
    return b.toString();
  }

  /** Bytes of the live files under {@code dir}; compaction may delete files meanwhile, so retry. */
  private static long sizeOf(Path dir) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(Files::isRegularFile)
            .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/"))
            .mapToLong(p -> p.toFile().length())
            .sum();
      } catch (java.io.UncheckedIOException | IOException e) {
        if (attempt == 10) throw e;
        Thread.sleep(1_000);
      }
    }
  }

  static String report(
      int spans,
      int batchSpans,
      List<WriteBatch> measured,
      Amplification amp,
      Amplification ampAll,
      List<Result> raws,
      List<Result> ourss,
      List<Result> alls,
      String rowsCounted,
      String atRest) {
    StringBuilder b = new StringBuilder();
    long traces = measured.stream().mapToLong(w -> w.chunks().size()).sum();
    b.append(String.format(Locale.ROOT,
        "Dataset: RealisticTraces seed 42, %,d spans in %,d traces (%.1f spans/trace), %,d write batches of ~%,d spans."
            + " Warm-up: two full passes of another dataset; then %d interleaved rounds, each pass into emptied tables"
            + " on a flushed node with no compaction running or queued. Our path: %d writes in flight, %d statements in"
            + " flight each (%d at most, the raw path's bound).%n%n", spans, traces, (double) spans / traces, measured.size(), batchSpans, ROUNDS,
        concurrentWrites, MAX_IN_FLIGHT / concurrentWrites, MAX_IN_FLIGHT));
    b.append("| round | raw spans/s | CPU s/100k (client) | ours spans/s | CPU s/100k (client) | ratio | every key spans/s | CPU s/100k (client) | ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < raws.size(); i++) {
      Result r = raws.get(i);
      Result o = ourss.get(i);
      Result a = alls.get(i);
      b.append(String.format(Locale.ROOT, "| %d | %,.0f | %.2f (%.2f) | %,.0f | %.2f (%.2f) | %.0f%% | %,.0f | %.2f (%.2f) | %.0f%% |%n", i + 1,
          r.spansPerSecond(), r.cpuSecondsPer100k(), r.clientCpuSecondsPer100k(),
          o.spansPerSecond(), o.cpuSecondsPer100k(), o.clientCpuSecondsPer100k(), 100 * o.spansPerSecond() / r.spansPerSecond(),
          a.spansPerSecond(), a.cpuSecondsPer100k(), a.clientCpuSecondsPer100k(), 100 * a.spansPerSecond() / r.spansPerSecond()));
    }
    b.append('\n');
    Result raw = median(raws);
    Result ours = median(ourss);
    Result all = median(alls);
    b.append("Medians of the rounds (throughput and CPU taken separately):\n\n");
    b.append("| write path | spans/s | ratio | CPU s per 100k spans (node + client) | of which client |\n|---|---:|---:|---:|---:|\n");
    b.append(String.format(Locale.ROOT, "| raw ceiling: prepared async single-row inserts of the chunk bytes into one unindexed table, 256 in flight | %,.0f | 100%% | %.2f | %.2f |%n",
        raw.spansPerSecond(), medianCpu(raws, false), medianCpu(raws, true)));
    b.append(String.format(Locale.ROOT, "| ours: CassandraStorage.writer(), all indexes, default IndexPolicy (allow list of %d common search keys) | %,.0f | **%.0f%%** | %.2f | %.2f |%n",
        IndexPolicy.DEFAULT_ALLOWED_KEYS.size(), ours.spansPerSecond(), 100 * ours.spansPerSecond() / raw.spansPerSecond(), medianCpu(ourss, false), medianCpu(ourss, true)));
    b.append(String.format(Locale.ROOT, "| ours: all indexes, every key indexed (IndexPolicy.everyKey()) | %,.0f | **%.0f%%** | %.2f | %.2f |%n%n",
        all.spansPerSecond(), 100 * all.spansPerSecond() / raw.spansPerSecond(), medianCpu(alls, false), medianCpu(alls, true)));
    b.append("Write amplification of one write at a time (no group commit): rows per span, and logical bytes (the bound values) of chunks and names (index segment bytes: see below):\n\n");
    b.append("| table | rows/span (default policy) | bytes/span | rows/span (every key) | bytes/span |\n|---|---:|---:|---:|---:|\n");
    long[] tot = new long[4];
    for (String table : amp.rowsAndBytesByTable().keySet()) {
      long[] d = amp.rowsAndBytesByTable().get(table);
      long[] a = ampAll.rowsAndBytesByTable().get(table);
      tot[0] += d[0];
      tot[1] += d[1];
      tot[2] += a[0];
      tot[3] += a[1];
      b.append(String.format(Locale.ROOT, "| %s | %.3f | %.1f | %.3f | %.1f |%n", table,
          (double) d[0] / amp.spans(), (double) d[1] / amp.spans(), (double) a[0] / ampAll.spans(), (double) a[1] / ampAll.spans()));
    }
    b.append(String.format(Locale.ROOT, "| **all** | **%.3f** | **%.1f** | **%.3f** | **%.1f** |%n",
        (double) tot[0] / amp.spans(), (double) tot[1] / amp.spans(), (double) tot[2] / ampAll.spans(), (double) tot[3] / ampAll.spans()));
    b.append(String.format(Locale.ROOT, "| statements (requests) per span | %.3f | | %.3f | |%n%n",
        (double) amp.statements() / amp.spans(), (double) ampAll.statements() / ampAll.spans()));
    b.append(rowsCounted);
    b.append("Bytes at rest after nodetool flush + compact (each keyspace holds one pass of the measured spans):\n\n");
    b.append(atRest);
    return b.toString();
  }
}
