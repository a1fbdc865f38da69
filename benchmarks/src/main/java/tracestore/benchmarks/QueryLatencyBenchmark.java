package tracestore.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tracestore.query.QueryService;
import tracestore.schema.CqlMigrator;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SpanWriter;
import tracestore.storage.Storage;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.VerifyingReader;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.cassandra.CassandraStorage;
import tracestore.storage.jdbc.JdbcStorage;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;
import tracestore.testnode.ContactPoint;
import tracestore.testnode.NodeLauncher;

/**
 * Query latency over HTTP on PostgreSQL and Cassandra, for the BENCHMARKS.md section of issue 6.
 *
 * <ol>
 *   <li>Data: {@link RealisticTraces} spread over the 24 hours before the run: one generator per
 *       write batch of about 500 spans, batch {@code i} starting at {@code end - 24h + i * 24h /
 *       batches}; plus a 10-span and a 1,000-span trace of known ids a few minutes before the end.
 *       Written through {@link SpanWriter} with batches from {@link WriteBatches} (default index
 *       policy), four writes in flight, over-capacity answers retried.
 *   <li>Each backend gets a fresh schema or keyspace, then an Armeria server on an ephemeral port
 *       with {@link QueryService}; requests go one at a time through {@link HttpClient} (HTTP/1.1,
 *       no compression). Every kind is warmed up, then measured for {@code requests} requests or
 *       {@code budgetSeconds}, whichever ends first. A response counts as a failure unless it is
 *       200 with a non-empty JSON array.
 *   <li>Searches use Zipkin's {@code /api/v2/traces} with {@code limit=10} and {@code endTs} at the
 *       end of the dataset. The service rotates over every generated service; each service's tag
 *       is its most frequent indexed span tag, and its minDuration the 75th percentile of its
 *       longest span in the traces carrying that tag, both taken from the dataset's last batch.
 *       Two more searches use tags of keys the default policy does not index, found through
 *       {@link VerifyingReader} as the server wires it: the service's most frequent such value, and
 *       a value carried by a single trace.
 * </ol>
 *
 * Usage, from the root after {@code ./mvnw -q -B -pl benchmarks -am package -DskipTests}: {@code
 * java -Xmx3g -cp benchmarks/target/benchmarks.jar tracestore.benchmarks.QueryLatencyBenchmark
 * [spans=1000000] [requests=200] [budgetSeconds=30] [backends=postgres,cassandra]}. PostgreSQL comes
 * from {@code TRACESTORE_TEST_PG_URL} (default the local test server; schema {@code bench_query},
 * dropped first); Cassandra is a dedicated node under {@code target/cassandra-query-bench}, stopped
 * at the end. The section between the markers in BENCHMARKS.md is replaced.
 */
public final class QueryLatencyBenchmark {
  static final long SEED = 20261125L;
  static final int BATCH_SPANS = 500;
  static final int WRITES_IN_FLIGHT = 4;
  static final String SCHEMA = "bench_query";
  static final String BEGIN = "<!-- query-latency:begin -->";
  static final String END = "<!-- query-latency:end -->";
  static final long HOUR_MS = 3_600_000L;

  private final int spans;
  private final int requests;
  private final int budgetSeconds;
  private final long endEpochNanos;
  private final int batchCount;
  private final TraceId small = new TraceId(0x7e57_0000_0000_0010L, 0x0000_0000_0000_0010L);
  private final TraceId large = new TraceId(0x7e57_0000_0000_1000L, 0x0000_0000_0000_1000L);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, Map<String, String>> results = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private List<SearchParams> searchParams;
  private long loadedSpans;
  private long loadedTraces;

  QueryLatencyBenchmark(int spans, int requests, int budgetSeconds) {
    this.spans = spans;
    this.requests = requests;
    this.budgetSeconds = budgetSeconds;
    this.endEpochNanos = System.currentTimeMillis() / 1000 * 1_000_000_000L;
    this.batchCount = Math.max(1, spans / BATCH_SPANS);
  }

  public static void main(String[] args) throws Exception {
    int spans = 1_000_000;
    int requests = 200;
    int budget = 30;
    List<String> backends = List.of("postgres", "cassandra");
    for (String a : args) {
      if (a.startsWith("spans=")) spans = Integer.parseInt(a.substring(6));
      else if (a.startsWith("requests=")) requests = Integer.parseInt(a.substring(9));
      else if (a.startsWith("budgetSeconds=")) budget = Integer.parseInt(a.substring(14));
      else if (a.startsWith("backends=")) backends = List.of(a.substring(9).split(","));
      else throw new IllegalArgumentException("unknown argument " + a);
    }
    QueryLatencyBenchmark bench = new QueryLatencyBenchmark(spans, requests, budget);
    bench.searchParams = bench.chooseSearches();
    String command =
        "java -Xmx3g -cp benchmarks/target/benchmarks.jar tracestore.benchmarks.QueryLatencyBenchmark "
            + String.join(" ", args);
    if (backends.contains("postgres")) bench.postgres();
    if (backends.contains("cassandra")) bench.cassandra();
    String section = bench.report(command.strip());
    System.out.println(section);
    Path md = Path.of("BENCHMARKS.md");
    if (Files.exists(md)) {
      Files.writeString(md, replaceSection(Files.readString(md), section));
      System.out.println("BENCHMARKS.md updated");
    }
    System.exit(0);
  }

  // ---- the dataset

  /** Write batch {@code i} of the 24-hour dataset: one generator of its own, its own start. */
  List<Span> batchSpans(int i) {
    long window = 24 * HOUR_MS * 1_000_000L;
    long start = endEpochNanos - window + i * (window / batchCount);
    List<Span> out = new ArrayList<>();
    for (List<Span> t : new RealisticTraces(SEED + i, start).traces(BATCH_SPANS)) out.addAll(t);
    return out;
  }

  /** The 10-span trace: the first 10 spans of a generated trace of at least 10, re-keyed. */
  List<Span> smallTrace() {
    RealisticTraces gen = new RealisticTraces(10, endEpochNanos - 10 * 60_000_000_000L);
    List<Span> t;
    do t = gen.next(); while (t.size() < 10);
    List<Span> out = new ArrayList<>();
    for (Span s : t.subList(0, 10)) out.add(s.toBuilder().traceId(small).build());
    return out;
  }

  /** The 1,000-span trace: generated traces under one id, their roots made children of the first. */
  List<Span> largeTrace() {
    RealisticTraces gen = new RealisticTraces(1000, endEpochNanos - 5 * 60_000_000_000L);
    List<Span> out = new ArrayList<>();
    long rootId = 0;
    Set<Long> ids = new HashSet<>();
    for (List<Span> t : gen.traces(1000)) {
      for (Span s : t) {
        if (!ids.add(s.spanId())) throw new IllegalStateException("span id collision");
        Span.Builder b = s.toBuilder().traceId(large);
        if (s.isRoot()) {
          if (rootId == 0) rootId = s.spanId();
          else b.parentSpanId(rootId);
        }
        out.add(b.build());
      }
    }
    return out;
  }

  void load(Storage storage, String backend) throws Exception {
    WriteBatches indexer = WriteBatches.create();
    SpanWriter writer = storage.writer();
    Semaphore inFlight = new Semaphore(WRITES_IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong retries = new AtomicLong();
    long n = 0;
    long traces = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i <= batchCount; i++) {
      List<Span> batch = i < batchCount ? batchSpans(i) : null;
      List<WriteBatch> wbs = new ArrayList<>();
      if (batch != null) {
        wbs.add(indexer.toBatch(batch));
      } else {
        wbs.add(indexer.toBatch(smallTrace()));
        wbs.add(indexer.toBatch(largeTrace()));
      }
      for (WriteBatch wb : wbs) {
        if (failure.get() != null) break;
        inFlight.acquire();
        CassandraWriteBenchmark.writeWithRetry(writer, wb, retries).whenComplete((v, e) -> {
          if (e != null) failure.compareAndSet(null, e);
          inFlight.release();
        });
        n += wb.spanCount();
        traces += wb.chunks().stream().map(c -> c.traceId()).distinct().count();
      }
      if (i > 0 && i % Math.max(1, batchCount / 10) == 0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s: %,d spans loaded in %.0f s (%,.0f spans/s), load average %s%n",
            backend, n, s, n / s, loadAverage());
      }
    }
    inFlight.acquire(WRITES_IN_FLIGHT);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failure.get() != null) throw new IllegalStateException("a write failed", failure.get());
    loadedSpans = n;
    loadedTraces = traces;
    System.out.printf(Locale.ROOT, "%s: loaded %,d spans (%,d traces) in %.0f s: %,.0f spans/s, %d retries%n",
        backend, n, traces, seconds, n / seconds, retries.get());
    put(backend, "load", String.format(Locale.ROOT, "%,.0f spans/s (%.0f s, load average %s)",
        n / seconds, seconds, loadAverage()));
  }

  /**
   * One service's searches: its most frequent indexed tag, a minDuration, and two tags of keys the
   * default policy does not index (answered by {@link VerifyingReader}): the most frequent one, and
   * one carried by a single trace (the costly case: the reader examines candidates until its bound).
   */
  record SearchParams(
      String service, String tagKey, String tagValue, long minDurationMicros,
      String commonUnindexed, String rareUnindexed) {}

  /** Per service: its most frequent indexed span tag and a minDuration with hits (see class doc). */
  List<SearchParams> chooseSearches() {
    List<Span> sample = new ArrayList<>();
    for (int i = Math.max(0, batchCount - 4); i < batchCount; i++) sample.addAll(batchSpans(i));
    WriteBatch wb = WriteBatches.create().toBatch(sample);
    Map<String, Set<String>> resourceKeys = new HashMap<>();
    Map<TraceId, Map<String, Long>> longest = new HashMap<>();
    for (Span s : sample) {
      resourceKeys.computeIfAbsent(s.service(), k -> new HashSet<>())
          .addAll(s.resource().stream().map(t -> t.key()).toList());
      longest.computeIfAbsent(s.traceId(), k -> new HashMap<>())
          .merge(s.service(), s.durationNanos(), Math::max);
    }
    Map<String, Map<String, Set<TraceId>>> unindexed = new TreeMap<>();
    for (Span s : sample) {
      for (var t : s.tags()) {
        String v = t.value().asString();
        if (IndexPolicy.defaults().covers(t.key()) || IndexPolicy.DEFAULT_DENIED_KEYS.contains(t.key())
            || v.isEmpty() || v.contains(" ") || v.contains("=")) {
          continue;
        }
        unindexed.computeIfAbsent(s.service(), k -> new TreeMap<>())
            .computeIfAbsent(t.key() + '=' + v, k -> new HashSet<>()).add(s.traceId());
      }
    }
    Map<String, Map<String, Set<TraceId>>> tagTraces = new TreeMap<>();
    for (TagIndexEntry e : wb.tagEntries()) {
      if (e.key().equals(TagIndexEntry.REMOTE_SERVICE_KEY)) continue;
      if (resourceKeys.getOrDefault(e.service(), Set.of()).contains(e.key())) continue;
      if (e.value().contains(" ") || e.value().contains("=")) continue;
      tagTraces.computeIfAbsent(e.service(), k -> new HashMap<>())
          .computeIfAbsent(e.key() + '=' + e.value(), k -> new HashSet<>()).add(e.traceId());
    }
    List<SearchParams> out = new ArrayList<>();
    for (var svc : tagTraces.entrySet()) {
      var best = svc.getValue().entrySet().stream()
          .max((a, b) -> a.getValue().size() != b.getValue().size()
              ? Integer.compare(a.getValue().size(), b.getValue().size()) : b.getKey().compareTo(a.getKey()))
          .orElseThrow();
      if (best.getValue().size() < 4) continue;
      long[] d = best.getValue().stream().mapToLong(t -> longest.get(t).get(svc.getKey())).sorted().toArray();
      long p75 = d[(int) (d.length * 0.75)];
      String[] kv = best.getKey().split("=", 2);
      Map<String, Set<TraceId>> mine = unindexed.getOrDefault(svc.getKey(), Map.of());
      if (mine.isEmpty()) continue;
      String common = mine.entrySet().stream()
          .max((a, b) -> a.getValue().size() != b.getValue().size()
              ? Integer.compare(a.getValue().size(), b.getValue().size()) : b.getKey().compareTo(a.getKey()))
          .orElseThrow().getKey();
      String rare = mine.entrySet().stream().filter(e -> e.getValue().size() == 1)
          .map(Map.Entry::getKey).findFirst().orElse(common);
      out.add(new SearchParams(svc.getKey(), kv[0], kv[1], Math.max(1, p75 / 1000), common, rare));
    }
    out.forEach(p -> System.out.println("search: " + p));
    notes.add("services searched (rotating), each with its tag and minDuration: " + out.stream()
        .map(p -> p.service() + " `" + p.tagKey() + "=" + p.tagValue() + "` >= " + p.minDurationMicros()
            + " µs, unindexed `" + p.commonUnindexed() + "` and `" + p.rareUnindexed() + '`')
        .reduce((a, b) -> a + "; " + b).orElse(""));
    return out;
  }

  // ---- the backends

  void postgres() throws Exception {
    String url = BenchDatabases.postgresUrl();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      st.execute("CREATE SCHEMA " + SCHEMA);
    }
    try (JdbcStorage storage = JdbcStorage.newBuilder().postgres(url).schema(SCHEMA).migrate(true).build()) {
      load(storage, "PostgreSQL");
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
      measure(storage, "PostgreSQL");
    }
  }

  void cassandra() throws Exception {
    NodeLauncher node = NodeLauncher.dedicated(Path.of("target", "cassandra-query-bench"), "1G");
    node.stop();
    System.out.println("starting a dedicated Cassandra node...");
    ContactPoint cp = node.startOrReuse(Duration.ofMinutes(5), ProcessHandle.current().pid());
    try {
      try (CqlSession session = CqlSession.builder().addContactPoint(cp.address())
          .withLocalDatacenter(cp.localDatacenter()).build()) {
        session.execute("DROP KEYSPACE IF EXISTS " + SCHEMA);
        CqlMigrator.newBuilder(session, SCHEMA).build().migrate();
      }
      try (CassandraStorage storage = CassandraWriteBenchmark.storage(cp, SCHEMA)) {
        load(storage, "Cassandra");
        measure(storage, "Cassandra");
      }
    } finally {
      node.stop();
    }
  }

  // ---- the measurements

  void measure(Storage storage, String backend) throws Exception {
    ServerBuilder sb = Server.builder().http(0);
    // As the server wires it: tags of keys the default policy does not index are verified.
    QueryService.newBuilder(VerifyingReader.wrap(storage.reader(), IndexPolicy.defaults())).build().registerOn(sb);
    Server server = sb.build();
    server.start().join();
    try {
      String base = "http://127.0.0.1:" + server.activeLocalPort();
      long endMs = endEpochNanos / 1_000_000;
      check(base + "/api/v2/trace/" + small.toHex(), 10);
      check(base + "/api/v2/trace/" + large.toHex(), 1000);
      time(backend, "trace by id, 10 spans", i -> base + "/api/v2/trace/" + small.toHex(), requests);
      time(backend, "trace by id, 1,000 spans", i -> base + "/api/v2/trace/" + large.toHex(), requests);
      for (long lookback : new long[] {HOUR_MS, 24 * HOUR_MS}) {
        String w = lookback == HOUR_MS ? "1 h" : "24 h";
        String window = "&endTs=" + endMs + "&lookback=" + lookback + "&limit=10";
        time(backend, "search service, " + w,
            i -> base + "/api/v2/traces?serviceName=" + p(i).service() + window, requests);
        time(backend, "search service + tag, " + w,
            i -> base + "/api/v2/traces?serviceName=" + p(i).service() + "&annotationQuery="
                + enc(p(i).tagKey() + "=" + p(i).tagValue()) + window, requests);
        time(backend, "search service + tag + minDuration, " + w,
            i -> base + "/api/v2/traces?serviceName=" + p(i).service() + "&annotationQuery="
                + enc(p(i).tagKey() + "=" + p(i).tagValue()) + "&minDuration=" + p(i).minDurationMicros()
                + window, requests);
        time(backend, "search service + unindexed tag, common value, " + w,
            i -> base + "/api/v2/traces?serviceName=" + p(i).service() + "&annotationQuery="
                + enc(p(i).commonUnindexed()) + window, requests);
        time(backend, "search service + unindexed tag, one trace's value, " + w,
            i -> base + "/api/v2/traces?serviceName=" + p(i).service() + "&annotationQuery="
                + enc(p(i).rareUnindexed()) + window, requests);
      }
    } finally {
      server.stop().join();
    }
  }

  SearchParams p(int i) {
    return searchParams.get(i % searchParams.size());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  interface Url {
    String of(int i);
  }

  /** The trace must come back whole: {@code spans} span objects. */
  void check(String url, int spans) throws Exception {
    HttpResponse<String> r = get(url);
    int found = r.body().split("\"traceId\"", -1).length - 1;
    if (r.statusCode() != 200 || found != spans) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + " with " + found + " spans, not " + spans);
    }
  }

  HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void time(String backend, String what, Url url, int n) throws Exception {
    int warm = Math.max(5, Math.min(20, n / 10));
    for (int i = 0; i < warm; i++) get(url.of(i + 1000));
    long[] nanos = new long[n];
    int done = 0;
    int failures = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budgetSeconds);
    String load = loadAverage();
    while (done < n && (done < 20 || System.nanoTime() < deadline)) {
      String u = url.of(done);
      long t0 = System.nanoTime();
      HttpResponse<String> r = get(u);
      nanos[done] = System.nanoTime() - t0;
      String body = r.body().strip();
      if (r.statusCode() != 200 || body.length() <= 2 || !body.startsWith("[")) {
        failures++;
        if (failures <= 3) System.out.println("  failure " + r.statusCode() + " " + u + " -> " + abbreviate(body));
      }
      done++;
    }
    long[] t = Arrays.copyOf(nanos, done);
    Arrays.sort(t);
    double p50 = t[(int) Math.ceil(0.50 * done) - 1] / 1e6;
    double p99 = t[(int) Math.ceil(0.99 * done) - 1] / 1e6;
    String cell = String.format(Locale.ROOT, "%s / %s ms (n=%d%s)", ms(p50), ms(p99), done,
        failures == 0 ? "" : ", " + failures + " failed");
    System.out.printf(Locale.ROOT, "%s %-45s p50/p99 %s, load average %s%n", backend, what, cell, load);
    put(backend, what, cell);
  }

  static String ms(double v) {
    return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  void put(String backend, String what, String value) {
    results.computeIfAbsent(what, k -> new LinkedHashMap<>()).put(backend, value);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  // ---- the report

  String report(String command) {
    StringBuilder s = new StringBuilder();
    s.append(BEGIN).append('\n');
    s.append("## Query latency (issue 6)\n\n");
    s.append(String.format(Locale.ROOT,
        "Run of %s UTC. Machine: %d cores (%s), %s %s, load average at the end %s (1/5/15 min;"
            + " other helpers were compiling and benchmarking at the same time).%n%n",
        Instant.now().toString().substring(0, 16).replace('T', ' '), Runtime.getRuntime().availableProcessors(),
        cpuModel(), System.getProperty("java.vm.name"), Runtime.version(), loadAverage()));
    s.append(String.format(Locale.ROOT,
        "**Dataset**, the same on both backends: %,d spans in %,d traces from `RealisticTraces` (seed %d + batch"
            + " number), spread over the 24 hours before %s UTC in %,d write batches of ~%d spans, one every"
            + " %.0f s, written through `SpanWriter` with `WriteBatches` (default `IndexPolicy`), %d writes in"
            + " flight; plus the two known traces of exactly 10 and 1,000 spans, 10 and 5 minutes before the end."
            + " Each backend starts empty (PostgreSQL schema `%s` on the local PostgreSQL, stock settings;"
            + " a dedicated single Cassandra 5.0.9 node, 1 GB heap, keyspace `%s`).%n%n",
        loadedSpans, loadedTraces, SEED, Instant.ofEpochSecond(endEpochNanos / 1_000_000_000L).toString()
            .substring(0, 16).replace('T', ' '),
        batchCount, BATCH_SPANS, 86_400.0 / batchCount, WRITES_IN_FLIGHT, SCHEMA, SCHEMA));
    s.append("**Method:** the query API (`QueryService` in an Armeria server on an ephemeral port, the"
        + " storage's default settings) over HTTP/1.1 on 127.0.0.1, one request at a time from"
        + " `java.net.http.HttpClient` in the same JVM, without compression. Each kind is warmed up, then"
        + " timed for " + requests + " requests or " + budgetSeconds + " s, whichever ends first (n below)."
        + " Latency is send to last body byte. Searches are Zipkin's `/api/v2/traces` with `limit=10`"
        + " and `endTs` at the end of the dataset, rotating over the services; a response counts as"
        + " failed unless it is 200 with a non-empty array (trace-by-id is also checked once for its exact"
        + " span count).\n\n");
    s.append("| p50 / p99 (ms) | PostgreSQL | Cassandra |\n|---|---:|---:|\n");
    for (var e : results.entrySet()) {
      s.append("| ").append(e.getKey().equals("load") ? "loading throughput (by-product)" : e.getKey());
      for (String b : List.of("PostgreSQL", "Cassandra")) s.append(" | ").append(e.getValue().getOrDefault(b, "not run"));
      s.append(" |\n");
    }
    s.append('\n');
    for (String n : notes) s.append("- ").append(n).append('\n');
    s.append("\nTo reproduce (from the root; about 10 minutes after the build on a busy 2-core machine):\n\n```\n"
        + "./mvnw -q -B -pl benchmarks -am package -DskipTests\n" + command + "\n```\n");
    s.append(END).append('\n');
    return s.toString();
  }

  static String replaceSection(String md, String section) {
    int b = md.indexOf(BEGIN);
    int e = md.indexOf(END);
    if (b >= 0 && e > b) return md.substring(0, b) + section + md.substring(e + END.length() + 1);
    return md.endsWith("\n") ? md + "\n" + section : md + "\n\n" + section;
  }
}
