package tracestore.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.Storage;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * What retention must do on every backend, over a {@link Dataset} with known answers. A backend
 * test overrides {@link #newStorage(String)}: a fresh, empty storage per name.
 */
abstract class RetentionContract {
  static final int HOURS = 4;
  static final long END = Dataset.T0 + HOURS * Dataset.HOUR;
  static final RetentionPolicy POLICY = RetentionPolicy.newBuilder()
      .raw(Duration.ofHours(6)).rollups(Duration.ofDays(90)).exemplars(Duration.ofDays(30))
      .grace(Duration.ofMinutes(10)).build();
  /** Wide enough for every row the tests write. */
  static final long ALL_FROM = Dataset.T0 - 3 * Dataset.HOUR;
  static final long ALL_TO = Dataset.T0 + 100 * 24 * Dataset.HOUR;

  final Dataset dataset = new Dataset(42, HOURS, 60);
  final AtomicLong clock = new AtomicLong(END + Duration.ofMinutes(11).toNanos());
  final List<Storage> opened = new ArrayList<>();
  Storage storage;

  /** A fresh, empty storage; {@code name} tells apart several in one test. */
  abstract Storage newStorage(String name);

  /**
   * Whether {@link RollupStore#deleteRawBefore} removes raw data by statement. False where a TTL
   * expires it (Cassandra): there the call is a no-op returning 0, and raw data past retention is
   * gone only once its TTL runs out, which a test cannot wait for.
   */
  boolean deletesRawByStatement() {
    return true;
  }

  @BeforeEach
  void setUp() {
    storage = open("main");
    dataset.writeTo(storage);
  }

  @AfterEach
  void tearDown() {
    for (Storage s : opened) s.close();
  }

  Storage open(String name) {
    Storage s = newStorage(name);
    opened.add(s);
    return s;
  }

  AggregationJob job(RollupStore store, Storage s, String owner) {
    return AggregationJob.newBuilder().store(store).reader(s.reader()).policy(POLICY).owner(owner)
        .clockNanos(clock::get).leaseTtl(Duration.ofMinutes(5)).build();
  }

  AggregationJob job(Storage s) {
    return job(s.rollups(), s, "test-owner");
  }

  record Rows(List<Rollup> rollups, List<DependencyLink> links, List<Exemplar> exemplars, long watermark) {}

  static Rows rows(Storage s) {
    RollupStore r = s.rollups();
    return new Rows(r.readRollups("", ALL_FROM, ALL_TO), r.readLinks(ALL_FROM, ALL_TO),
        r.readExemplars("", ALL_FROM, ALL_TO), r.watermark(AggregationJob.JOB).orElse(-1));
  }

  @Test
  void rollupCountsAndPercentilesMatchRaw() {
    Summary s = job(storage).runDue(ProgressListener.NONE);
    assertThat(s.spans()).isEqualTo(dataset.spanCount());
    assertThat(storage.rollups().watermark(AggregationJob.JOB)).hasValue(END);

    Map<Dataset.Key, List<Long>> expected = dataset.durations();
    Map<Dataset.Key, Long> errors = dataset.errors();
    List<Rollup> rollups = storage.rollups().readRollups("", ALL_FROM, ALL_TO);
    assertThat(rollups).hasSize(expected.size());
    for (Rollup r : rollups) {
      Dataset.Key k = new Dataset.Key(r.service(), r.operation(), r.kind(), r.bucketStartEpochNanos());
      List<Long> durations = expected.get(k);
      assertThat(durations).as("rollup %s", k).isNotNull();
      assertThat(r.count()).as("count of %s", k).isEqualTo(durations.size());
      assertThat(r.errorCount()).as("errors of %s", k).isEqualTo(errors.getOrDefault(k, 0L));
      var h = LatencySketch.decode(r.latencySketch());
      for (double p : new double[] {50, 95, 99}) {
        long exact = Dataset.exactPercentile(durations, p);
        assertThat((double) h.getValueAtPercentile(p)).as("p%s of %s", p, k)
            .isCloseTo(exact, within(exact * LatencySketch.RELATIVE_ERROR + 1));
      }
    }
  }

  @Test
  void dependencyLinksAreExact() {
    job(storage).runDue(ProgressListener.NONE);
    Map<Dataset.LinkKey, long[]> expected = dataset.links();
    List<DependencyLink> links = storage.rollups().readLinks(ALL_FROM, ALL_TO);
    Map<Dataset.LinkKey, long[]> actual = new HashMap<>();
    for (DependencyLink l : links) {
      actual.put(new Dataset.LinkKey(l.parent(), l.child(), l.bucketStartEpochNanos()),
          new long[] {l.calls(), l.errors()});
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((k, v) -> assertThat(actual.get(k)).as("link %s", k).containsExactly(v));
  }

  @Test
  void exemplarsAreTheErrorAndSlowestTracesCopiedWhole() {
    job(storage).runDue(ProgressListener.NONE);
    List<Exemplar> exemplars = storage.rollups().readExemplars("", ALL_FROM, ALL_TO);
    Map<TraceId, List<Span>> traces = new HashMap<>();
    for (List<Span> t : dataset.traces) traces.put(t.get(0).traceId(), t);
    // Oracle: per (service, operation, hour, reason), the 3 traces whose longest matching span is longest.
    Map<String, Map<TraceId, Long>> best = new HashMap<>();
    for (List<Span> t : dataset.traces) {
      long bucket = Dataset.bucketOf(t);
      for (Span sp : t) {
        String key = sp.service() + '|' + sp.name() + '|' + bucket;
        best.computeIfAbsent(key + "|SLOW", k -> new HashMap<>()).merge(sp.traceId(), sp.durationNanos(), Math::max);
        if (sp.isError()) {
          best.computeIfAbsent(key + "|ERROR", k -> new HashMap<>()).merge(sp.traceId(), sp.durationNanos(), Math::max);
        }
      }
    }
    Map<String, Set<TraceId>> expected = new HashMap<>();
    best.forEach((k, m) -> {
      List<Map.Entry<TraceId, Long>> es = new ArrayList<>(m.entrySet());
      es.sort(Map.Entry.<TraceId, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
      Set<TraceId> top = new HashSet<>();
      for (int i = 0; i < Math.min(3, es.size()); i++) top.add(es.get(i).getKey());
      expected.put(k, top);
    });
    Map<String, Set<TraceId>> actual = new HashMap<>();
    for (Exemplar e : exemplars) {
      actual.computeIfAbsent(e.service() + '|' + e.operation() + '|' + e.bucketStartEpochNanos() + '|' + e.reason(),
          k -> new HashSet<>()).add(e.traceId());
      Set<Long> storedIds = new HashSet<>();
      for (Span sp : ChunkDecoder.decode(e.payload())) storedIds.add(sp.spanId());
      Set<Long> generatedIds = new HashSet<>();
      for (Span sp : traces.get(e.traceId())) generatedIds.add(sp.spanId());
      assertThat(storedIds).as("whole trace of %s", e).isEqualTo(generatedIds);
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(exemplars).anyMatch(e -> e.reason() == Exemplar.Reason.ERROR);
  }

  @Test
  void rerunIsIdentical() {
    AggregationJob job = job(storage);
    job.runDue(ProgressListener.NONE);
    Rows first = rows(storage);
    Summary again = job.run(Dataset.T0, END, false, ProgressListener.NONE);
    assertThat(again.buckets()).isEqualTo(HOURS);
    assertThat(rows(storage)).isEqualTo(first);
    assertThat(job.runDue(ProgressListener.NONE).buckets()).as("nothing due").isZero();
  }

  @Test
  void multiPassGroupingGivesTheSameRows() {
    job(storage).runDue(ProgressListener.NONE);
    Rows onePass = rows(storage);
    Storage other = open("multipass");
    dataset.writeTo(other);
    AggregationJob.newBuilder().store(other.rollups()).reader(other.reader()).policy(POLICY)
        .owner("o").clockNanos(clock::get).maxTrackedSpans(50).build().runDue(ProgressListener.NONE);
    assertThat(rows(other)).isEqualTo(onePass);
  }

  @Test
  void runKilledHalfwayAndRestartedGivesTheRowsOfACleanRun() {
    Storage clean = open("clean");
    dataset.writeTo(clean);
    job(clean).runDue(ProgressListener.NONE);

    KillingStore killing = new KillingStore(storage.rollups(), 4); // dies between rollups and links of hour two
    assertThatThrownBy(() -> job(killing, storage, "test-owner").runDue(ProgressListener.NONE))
        .isInstanceOf(KillingStore.Killed.class);
    assertThat(storage.rollups().watermark(AggregationJob.JOB).getAsLong()).isLessThan(END);
    job(storage).runDue(ProgressListener.NONE); // same owner restarts: its own lease is renewed
    assertThat(rows(storage)).isEqualTo(rows(clean));
  }

  @Test
  void twoConcurrentRunsDoNotDoubleProcess() throws Exception {
    SlowStore slow = new SlowStore(storage.rollups());
    AggregationJob a = job(slow, storage, "scheduler-a");
    AggregationJob b = job(slow, storage, "scheduler-b");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Summary> fa = pool.submit(() -> a.runDue(ProgressListener.NONE));
      Future<Summary> fb = pool.submit(() -> b.runDue(ProgressListener.NONE));
      Summary sa = fa.get();
      Summary sb = fb.get();
      int due = (int) ((END - (END - 6 * Dataset.HOUR)) / Dataset.HOUR);
      assertThat(sa.buckets() + sb.buckets()).isEqualTo(due);
      assertThat(slow.scannedBuckets()).doesNotHaveDuplicates().hasSize(due);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aHeldLeaseStopsTheRun() {
    assertThat(storage.rollups().tryLease(AggregationJob.JOB, "someone-else", Duration.ofMinutes(5))).isTrue();
    Summary s = job(storage).runDue(ProgressListener.NONE);
    assertThat(s.leaseLost()).isTrue();
    assertThat(s.buckets()).isZero();
    assertThat(storage.rollups().readRollups("", ALL_FROM, ALL_TO)).isEmpty();
  }

  @Test
  void lagNearRawRetentionIsReportedAndNothingIsDeletedUnaggregated() {
    AggregationJob job = job(storage);
    job.run(Dataset.T0 - Dataset.HOUR, Dataset.T0 + Dataset.HOUR, false, ProgressListener.NONE);
    // Another scheduler holds the lease and makes no progress while the clock runs on.
    storage.rollups().tryLease(AggregationJob.JOB, "stuck-elsewhere", Duration.ofDays(30));
    clock.set(Dataset.T0 + Dataset.HOUR + 5 * Dataset.HOUR); // lag 5 h > 80% of 6 h raw retention
    RetentionRunner runner = new RetentionRunner(job, storage.rollups(), clock::get);
    Summary s = runner.runOnce(ProgressListener.NONE);
    assertThat(s.leaseLost()).isTrue();
    assertThat(runner.lagNanos()).isEqualTo(5 * Dataset.HOUR);
    assertThat(runner.lagNearRawRetention()).isTrue();
    assertThat(countRaw(storage, Dataset.T0 + Dataset.HOUR, END)).isEqualTo(spansIn(Dataset.T0 + Dataset.HOUR, END));
  }

  @Test
  void dryRunWritesNothing() {
    Summary s = job(storage).run(Dataset.T0, END, true, ProgressListener.NONE);
    assertThat(s.spans()).isEqualTo(dataset.spanCount());
    assertThat(s.rollups()).isEqualTo(dataset.durations().size());
    assertThat(rows(storage)).isEqualTo(new Rows(List.of(), List.of(), List.of(), -1));
  }

  @Test
  void rawDeletedOnlyBelowTheWatermark() {
    // Aggregate only the first two hours, then let the clock run far past raw retention.
    AggregationJob job = job(storage);
    job.run(Dataset.T0 - 2 * Dataset.HOUR, Dataset.T0 + 2 * Dataset.HOUR, false, ProgressListener.NONE);
    assertThat(storage.rollups().watermark(AggregationJob.JOB)).hasValue(Dataset.T0 + 2 * Dataset.HOUR);
    clock.set(END + 3 * 24 * Dataset.HOUR);
    new RetentionRunner(job, storage.rollups(), clock::get).deleteRaw();
    assertThat(countRaw(storage, Dataset.T0 + 2 * Dataset.HOUR, END))
        .as("unaggregated hours are kept").isEqualTo(spansIn(Dataset.T0 + 2 * Dataset.HOUR, END));
  }

  @Test
  void rawGoneAfterDeletionWhileRollupsExemplarsAndStatsRemain() {
    StatsService stats = new StatsService(storage.rollups());
    // Before any aggregation, stats come from raw spans.
    OperationStats fromRaw = stats.service("api", Dataset.T0, END);
    List<DependencyLink> depsFromRaw = stats.dependencies(Dataset.T0, END);
    assertThat(fromRaw.count()).isEqualTo(expectedCount("api"));

    AggregationJob job = job(storage);
    RetentionRunner runner = new RetentionRunner(job, storage.rollups(), clock::get);
    runner.runOnce(ProgressListener.NONE);
    Rows aggregated = rows(storage);
    assertThat(stats.service("api", Dataset.T0, END)).isEqualTo(fromRaw);

    clock.set(Dataset.T0 + 2 * 24 * Dataset.HOUR); // day one is now past raw retention (6 h)
    runner.runOnce(ProgressListener.NONE);
    if (deletesRawByStatement()) {
      assertThat(countRaw(storage, ALL_FROM, ALL_TO)).as("raw spans left").isZero();
    } else {
      assertThat(storage.rollups().deleteRawBefore(ALL_TO)).as("raw data is left to TTL").isZero();
    }
    Rows after = rows(storage);
    assertThat(after.rollups()).isEqualTo(aggregated.rollups());
    assertThat(after.links()).isEqualTo(aggregated.links());
    assertThat(after.exemplars()).isEqualTo(aggregated.exemplars()).isNotEmpty();
    assertThat(stats.service("api", Dataset.T0, END)).isEqualTo(fromRaw);
    assertThat(stats.dependencies(Dataset.T0, END)).isEqualTo(depsFromRaw);
    assertThat(runner.lagNanos()).as("caught up: an hour plus grace at most")
        .isLessThanOrEqualTo(Dataset.HOUR + POLICY.grace().toNanos());
    assertThat(runner.lagNearRawRetention()).isFalse();
  }

  @Test
  void rollupsAndExemplarsDeletedPastTheirOwnRetention() {
    AggregationJob job = job(storage);
    job.runDue(ProgressListener.NONE);
    RetentionRunner runner = new RetentionRunner(job, storage.rollups(), clock::get);
    Rows aggregated = rows(storage);
    assertThat(runner.deleteAggregates()).isZero();

    clock.set(Dataset.T0 + 30 * 24 * Dataset.HOUR + 2 * Dataset.HOUR); // exemplars: 30 d
    assertThat(runner.deleteAggregates()).isPositive();
    Rows after = rows(storage);
    assertThat(after.exemplars()).as("exemplars of hours 0 and 1 gone, 2 and 3 kept")
        .isNotEmpty().allMatch(e -> e.bucketStartEpochNanos() >= Dataset.T0 + 2 * Dataset.HOUR);
    assertThat(after.rollups()).isEqualTo(aggregated.rollups());

    clock.set(Dataset.T0 + 91 * 24 * Dataset.HOUR); // rollups: 90 d
    runner.deleteAggregates();
    assertThat(rows(storage).rollups()).isEmpty();
    assertThat(rows(storage).links()).isEmpty();
    assertThat(rows(storage).exemplars()).isEmpty();
  }

  @Test
  void statsMatchTheDataset() {
    job(storage).runDue(ProgressListener.NONE);
    StatsService stats = new StatsService(storage.rollups());
    List<Long> api = new ArrayList<>();
    long errors = 0;
    for (List<Span> t : dataset.traces) {
      for (Span s : t) {
        if (!s.service().equals("api")) continue;
        api.add(s.durationNanos() / 1_000);
        if (s.isError()) errors++;
      }
    }
    OperationStats s = stats.service("api", Dataset.T0, END);
    assertThat(s.count()).isEqualTo(api.size());
    assertThat(s.errors()).isEqualTo(errors);
    assertThat(s.ratePerSecond()).isCloseTo(api.size() / (HOURS * 3600.0), within(1e-9));
    long p99 = Dataset.exactPercentile(api, 99) * 1_000;
    assertThat((double) s.p99Nanos()).isCloseTo(p99, within(p99 * LatencySketch.RELATIVE_ERROR + 1_000));
    assertThat(stats.operations("api", Dataset.T0, END)).extracting(OperationStats::operation)
        .containsExactly("handle", "serialize");
  }

  long expectedCount(String service) {
    long n = 0;
    for (List<Span> t : dataset.traces) for (Span s : t) if (s.service().equals(service)) n++;
    return n;
  }

  long spansIn(long from, long to) {
    long n = 0;
    for (List<Span> t : dataset.traces) {
      long b = Dataset.bucketOf(t);
      if (b >= from && b < to) n += t.size();
    }
    return n;
  }

  static long countRaw(Storage s, long from, long to) {
    long[] n = {0};
    s.rollups().scanRaw(from, to, chunk -> n[0] += chunk.size());
    return n[0];
  }
}
