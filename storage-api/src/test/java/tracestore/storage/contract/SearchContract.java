package tracestore.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MICRO;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.SECOND;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TraceHit;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * {@code TraceReader.search}: each predicate alone and combined (as data: {@link #cases()}, run
 * against one fixture set so every case has counter-examples), limit and cursor paging, the
 * inclusive time-range edges, and malformed cursors.
 *
 * <p>Fixture times are whole microseconds; a backend keeping index times in micros must round a
 * request's start up and its end down, so that one nanosecond outside the range stays outside.
 */
public abstract class SearchContract extends StorageContract {
  private Shop shop;

  /**
   * The "shop" fixture: six traces 10 ms apart, T1 oldest, T6 newest. The window is narrow, so a
   * search by time range alone sees no other test's data.
   */
  static final class Shop {
    final String suffix = testSuffix();
    final String frontend = "frontend" + suffix;
    final String api = "api" + suffix;
    final String db = "db" + suffix;
    final String auth = "auth" + suffix;
    final long base = newBaseTime();
    final List<List<Span>> traces = new ArrayList<>(); // index 0 is T1

    long start(int t) {
      return base + t * 10 * MILLI;
    }

    TraceId id(int t) {
      return traces.get(t - 1).get(0).traceId();
    }

    Shop() {
      // T1: frontend -> api -> db, a fast successful read.
      trace(1,
          s(1, frontend, "GET /home", 0, 100).addTag(Tag.of("http.method", "GET")).addTag(Tag.of("region", "eu"))
              .addTag(Tag.of("http.status_code", 200L)),
          s(1, api, "GET /items", 1, 80).addTag(Tag.of("http.method", "GET")),
          s(1, api, "query", 2, 50).kind(SpanKind.CLIENT).remoteService(db),
          s(1, db, "SELECT", 3, 45));
      // T2: a fast home page from the US.
      trace(2,
          s(2, frontend, "GET /home", 0, 20).addTag(Tag.of("http.method", "GET")).addTag(Tag.of("region", "us"))
              .addTag(Tag.of("http.status_code", 200L)));
      // T3: a failing checkout: frontend -> api (500) -> auth.
      trace(3,
          s(3, frontend, "POST /checkout", 0, 300).status(StatusCode.ERROR, "checkout failed")
              .addTag(Tag.of("http.method", "POST")).addTag(Tag.of("region", "eu")),
          s(3, api, "POST /pay", 1, 250).status(StatusCode.ERROR, "")
              .addTag(Tag.of("http.method", "POST")).addTag(Tag.of("http.status_code", 500L)),
          s(3, api, "verify", 2, 10).kind(SpanKind.CLIENT).remoteService(auth),
          s(3, auth, "verify", 3, 8));
      // T4: api alone, a quick item list.
      trace(4, s(4, api, "GET /items", 0, 5).addTag(Tag.of("http.method", "GET")).addTag(Tag.of("region", "eu")));
      // T5: a slow home page that timed out: an error by Zipkin's "error" tag, status unset.
      trace(5,
          s(5, frontend, "GET /home", 0, 1500).addTag(Tag.of("error", "timeout"))
              .addTag(Tag.of("http.method", "GET")).addTag(Tag.of("region", "eu")));
      // T6: an internal auth check with a bool, a long and a double tag.
      trace(6,
          s(6, auth, "verify", 0, 2).kind(SpanKind.INTERNAL).addTag(Tag.of("retried", true))
              .addTag(Tag.of("attempt", 3L)).addTag(Tag.of("ratio", 0.5d)));
    }

    private final List<Span.Builder> pending = new ArrayList<>();
    private TraceId pendingId;

    /** A span of trace {@code t}, {@code offsetMs} after its start, lasting {@code durationMs}. */
    private Span.Builder s(int t, String service, String name, long offsetMs, long durationMs) {
      if (pending.isEmpty() && traces.size() == t - 1) pendingId = newTraceId();
      Span.Builder b =
          span(pendingId, newSpanId(), 0, service, name, start(t) + offsetMs * MILLI, durationMs * MILLI);
      pending.add(b);
      return b;
    }

    /** Closes trace {@code t}: each span is a child of the previous one. */
    private void trace(int t, Span.Builder... spans) {
      List<Span> out = new ArrayList<>();
      long parent = 0;
      for (Span.Builder b : spans) {
        Span built = b.parentSpanId(parent).build();
        out.add(built);
        parent = built.spanId();
      }
      pending.clear();
      traces.add(out);
      if (traces.size() != t) throw new IllegalStateException("trace " + t + " out of order");
    }

    List<Span> allSpans() {
      List<Span> all = new ArrayList<>();
      traces.forEach(all::addAll);
      return all;
    }
  }

  /**
   * One query case: how to build the request from the fixture, and which traces (1..6) it must
   * return, newest first. The time range is the fixture's window unless the case sets its own.
   */
  record QueryCase(
      String name, BiFunction<Shop, SearchRequest.Builder, SearchRequest.Builder> request, int... expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Every predicate alone, then combined; each expects a list that others' fixtures contradict. */
  static Stream<QueryCase> cases() {
    return Stream.of(
        new QueryCase("service", (f, b) -> b.service(f.frontend), 5, 3, 2, 1),
        new QueryCase("service of child spans only", (f, b) -> b.service(f.db), 1),
        new QueryCase("service with root and child spans", (f, b) -> b.service(f.api), 4, 3, 1),
        new QueryCase("unknown service", (f, b) -> b.service("nobody" + f.suffix)),
        new QueryCase("operation", (f, b) -> b.service(f.api).operation("GET /items"), 4, 1),
        new QueryCase("operation of another service", (f, b) -> b.service(f.frontend).operation("GET /items")),
        new QueryCase("operation, client kind", (f, b) -> b.service(f.api).operation("verify"), 3),
        new QueryCase("remoteService", (f, b) -> b.service(f.api).remoteService(f.db), 1),
        new QueryCase("remoteService, other", (f, b) -> b.service(f.api).remoteService(f.auth), 3),
        new QueryCase("remoteService of another service", (f, b) -> b.service(f.frontend).remoteService(f.db)),
        new QueryCase("tag", (f, b) -> b.service(f.frontend).tag("http.method", "GET"), 5, 2, 1),
        new QueryCase("tag on another service", (f, b) -> b.service(f.api).tag("region", "us")),
        new QueryCase("tag value mismatch", (f, b) -> b.service(f.frontend).tag("region", "asia")),
        new QueryCase("tags AND", (f, b) -> b.service(f.frontend).tag("http.method", "GET").tag("region", "eu"), 5, 1),
        new QueryCase("tags AND, no trace has both",
            (f, b) -> b.service(f.frontend).tag("http.method", "POST").tag("region", "us")),
        new QueryCase("long tag as text", (f, b) -> b.service(f.api).tag("http.status_code", "500"), 3),
        new QueryCase("bool tag as text", (f, b) -> b.service(f.auth).tag("retried", "true"), 6),
        new QueryCase("Zipkin error tag", (f, b) -> b.service(f.frontend).tag("error", "timeout"), 5),
        new QueryCase("minDuration", (f, b) -> b.service(f.frontend).minDurationNanos(200 * MILLI), 5, 3),
        new QueryCase("minDuration is inclusive", (f, b) -> b.service(f.frontend).minDurationNanos(300 * MILLI), 5, 3),
        new QueryCase("maxDuration, inclusive", (f, b) -> b.service(f.frontend).maxDurationNanos(100 * MILLI), 2, 1),
        new QueryCase("min and max duration",
            (f, b) -> b.service(f.frontend).minDurationNanos(50 * MILLI).maxDurationNanos(400 * MILLI), 3, 1),
        new QueryCase("min equals max",
            (f, b) -> b.service(f.frontend).minDurationNanos(100 * MILLI).maxDurationNanos(100 * MILLI), 1),
        new QueryCase("duration is the service's longest span",
            (f, b) -> b.service(f.api).minDurationNanos(60 * MILLI), 3, 1),
        new QueryCase("duration of an operation",
            (f, b) -> b.service(f.frontend).operation("GET /home").minDurationNanos(50 * MILLI), 5, 1),
        new QueryCase("maxDuration of an operation",
            (f, b) -> b.service(f.api).operation("GET /items").maxDurationNanos(10 * MILLI), 4),
        new QueryCase("errorOnly", (f, b) -> b.service(f.frontend).errorOnly(true), 5, 3),
        new QueryCase("errorOnly, child service", (f, b) -> b.service(f.api).errorOnly(true), 3),
        new QueryCase("errorOnly, no errors", (f, b) -> b.service(f.auth).errorOnly(true)),
        new QueryCase("combined: operation, tag, duration, error",
            (f, b) -> b.service(f.frontend).operation("GET /home").tag("region", "eu")
                .minDurationNanos(SECOND).errorOnly(true), 5),
        new QueryCase("combined: operation, remoteService, tag",
            (f, b) -> b.service(f.api).operation("GET /items").remoteService(f.db).tag("http.method", "GET"), 1),
        new QueryCase("combined: operation and remoteService of different traces",
            (f, b) -> b.service(f.api).operation("GET /items").remoteService(f.auth)),
        new QueryCase("combined: tag and maxDuration",
            (f, b) -> b.service(f.frontend).tag("region", "eu").maxDurationNanos(500 * MILLI), 3, 1),
        new QueryCase("time range inside the window",
            (f, b) -> b.service(f.frontend).timeRange(f.start(2), f.start(3)), 3, 2),
        new QueryCase("time range excluding both ends",
            (f, b) -> b.service(f.frontend).timeRange(f.start(2) + 1, f.start(5) - 1), 3));
  }

  @BeforeAll
  final void loadShop() {
    shop = new Shop();
    write(shop.allSpans());
  }

  private SearchRequest.Builder inShopWindow() {
    return SearchRequest.newBuilder().timeRange(shop.start(1), shop.start(7)).limit(100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void query(QueryCase c) {
    SearchResult result = search(c.request().apply(shop, inShopWindow()));

    assertThat(result.hits()).extracting(TraceHit::traceId).as(c.name())
        .containsExactlyElementsOf(ids(c.expected()));
    assertThat(result.complete()).isTrue();
    assertThat(result.nextCursor()).isNull();
    for (TraceHit hit : result.hits()) assertHitTimeWithinTrace(hit);
  }

  @Test
  void timeRangeOnly() {
    excuse(supportsSearchWithoutService(), "search without a service");
    SearchResult result = search(inShopWindow());
    assertThat(result.hits()).extracting(TraceHit::traceId).containsExactlyElementsOf(ids(6, 5, 4, 3, 2, 1));
    assertThat(result.complete()).isTrue();
  }

  @Test
  void timeRangeOnlyErrors() {
    excuse(supportsSearchWithoutService(), "search without a service");
    SearchResult result = search(inShopWindow().errorOnly(true));
    assertThat(result.hits()).extracting(TraceHit::traceId).containsExactlyElementsOf(ids(5, 3));
  }

  /** Start and end are inclusive; one nanosecond outside excludes, on every index. */
  @Test
  void timeRangeEdgesAreInclusive() {
    String svc = "edge" + testSuffix();
    long t = newBaseTime();
    TraceId id = newTraceId();
    write(span(id, newSpanId(), 0, svc, "op", t, MILLI).addTag(Tag.of("k", "v")).remoteService("r" + svc).build());

    List<SearchRequest.Builder> predicates =
        List.of(
            SearchRequest.newBuilder().service(svc),
            SearchRequest.newBuilder().service(svc).operation("op"),
            SearchRequest.newBuilder().service(svc).tag("k", "v"),
            SearchRequest.newBuilder().service(svc).remoteService("r" + svc),
            SearchRequest.newBuilder().service(svc).minDurationNanos(MILLI),
            SearchRequest.newBuilder().service(svc).minDurationNanos(MILLI).maxDurationNanos(MILLI));
    for (SearchRequest.Builder p : predicates) {
      assertThat(hitIds(p.timeRange(t, t))).as("[t, t] %s", p.build()).containsExactly(id);
      assertThat(hitIds(p.timeRange(t - SECOND, t))).as("end inclusive %s", p.build()).containsExactly(id);
      assertThat(hitIds(p.timeRange(t, t + SECOND))).as("start inclusive %s", p.build()).containsExactly(id);
      assertThat(hitIds(p.timeRange(t - SECOND, t - 1))).as("end 1 ns before %s", p.build()).isEmpty();
      assertThat(hitIds(p.timeRange(t + 1, t + SECOND))).as("start 1 ns after %s", p.build()).isEmpty();
    }
    assertThat(search(SearchRequest.newBuilder().service(svc).timeRange(t, t)).hits())
        .containsExactly(new TraceHit(id, t));
  }

  /** A trace whose spans of one service arrive in two batches is one hit, at its earliest start. */
  @Test
  void aTraceIndexedByTwoBatchesIsOneHit() {
    String svc = "twice" + testSuffix();
    long t = newBaseTime();
    TraceId id = newTraceId();
    Span root = span(id, newSpanId(), 0, svc, "op", t, 10 * MILLI).build();
    Span child = span(id, newSpanId(), root.spanId(), svc, "op", t + 2 * MILLI, MILLI).build();
    write(child);
    write(root);

    SearchResult r = search(SearchRequest.newBuilder().service(svc).operation("op").timeRange(t, t + SECOND));
    assertThat(r.hits()).containsExactly(new TraceHit(id, t));
    assertThat(r.complete()).isTrue();
  }

  /**
   * Pages of every size over 26 traces, six sharing one start time: together they hold every hit
   * once, in order; each page but the last is full and has a cursor; the last is complete.
   */
  @ParameterizedTest(name = "limit {0}")
  @ValueSource(ints = {1, 4, 6, 13, 26, 27, 100})
  void pagingLosesAndRepeatsNothing(int limit) {
    String svc = "paging" + testSuffix();
    long t = newBaseTime();
    List<TraceHit> expected = writePagingFixture(svc, t, "all");
    SearchRequest.Builder request = SearchRequest.newBuilder().service(svc).timeRange(t, t + SECOND);

    List<TraceHit> seen = pages(request, limit);

    assertThat(seen).containsExactlyElementsOf(expected);
  }

  /**
   * Traces 35 minutes apart over more than two hours: a search (and its pages) spans whatever time
   * buckets or partitions the backend uses, and a narrower range picks the ones inside it.
   */
  @Test
  void searchesAcrossHoursOfData() {
    String svc = "hours" + testSuffix();
    long t = newBaseTime();
    long step = 35 * TestObjects.MINUTE;
    List<TraceHit> expected = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      TraceId id = newTraceId();
      long start = t - k * step;
      write(span(id, newSpanId(), 0, svc, "op", start, MILLI).addTag(Tag.of("k", "v")).build());
      expected.add(new TraceHit(id, start)); // newest first
    }

    SearchRequest.Builder all = SearchRequest.newBuilder().service(svc).timeRange(t - 3 * 60 * TestObjects.MINUTE, t);
    assertThat(pages(all, 2)).containsExactlyElementsOf(expected);
    SearchRequest.Builder tagged =
        SearchRequest.newBuilder().service(svc).operation("op").tag("k", "v").timeRange(t - 3 * 60 * TestObjects.MINUTE, t);
    assertThat(pages(tagged, 3)).containsExactlyElementsOf(expected);
    SearchRequest.Builder middle =
        SearchRequest.newBuilder().service(svc).timeRange(t - 80 * TestObjects.MINUTE, t - 30 * TestObjects.MINUTE);
    assertThat(pages(middle, 10)).containsExactlyElementsOf(expected.subList(1, 3));
  }

  @Test
  void pagingWithAPredicate() {
    String svc = "paging-tag" + testSuffix();
    long t = newBaseTime();
    List<TraceHit> expected = writePagingFixture(svc, t, "even");
    SearchRequest.Builder request =
        SearchRequest.newBuilder().service(svc).tag("parity", "even").timeRange(t, t + SECOND);

    assertThat(pages(request, 3)).containsExactlyElementsOf(expected);
  }

  @Test
  void rejectsAMalformedCursor() {
    SearchRequest.Builder request = inShopWindow().service(shop.frontend);
    String good = SearchCursor.after(new TraceHit(shop.id(3), shop.start(3))).encode();
    char flipped = good.charAt(10) == 'A' ? 'B' : 'A';
    String corrupt = good.substring(0, 10) + flipped + good.substring(11);

    for (String bad : List.of("garbage", "!!!!", good.substring(1), corrupt, good + "A")) {
      assertThatThrownBy(() -> search(request.cursor(bad)))
          .as("cursor %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cursor");
    }
  }

  /** A cursor made by {@link SearchCursor} continues strictly after its position. */
  @Test
  void aCursorContinuesStrictlyAfterItsPosition() {
    SearchRequest.Builder request = inShopWindow().service(shop.frontend);
    String after3 = SearchCursor.after(new TraceHit(shop.id(3), shop.start(3))).encode();
    assertThat(hitIds(request.cursor(after3))).containsExactlyElementsOf(ids(2, 1));
  }

  @Test
  void findsUnicodeEmptyAndTruncatedTagValues() {
    String suffix = testSuffix();
    String svc = "café-☕-服务" + suffix;
    String longValue = "x".repeat(batches.policy().maxValueLength() + 40);
    long t = newBaseTime();
    TraceId id = newTraceId();
    write(
        span(id, newSpanId(), 0, svc, "получить /товары/🚀", t, MILLI)
            .addTag(Tag.of("ключ", "值🚀"))
            .addTag(Tag.of("empty", ""))
            .addTag(Tag.of("long", longValue))
            .remoteService("δ-remote" + suffix)
            .build());

    Supplier<SearchRequest.Builder> base = () -> SearchRequest.newBuilder().service(svc).timeRange(t, t);
    assertThat(hitIds(base.get())).containsExactly(id);
    assertThat(hitIds(base.get().operation("получить /товары/🚀"))).containsExactly(id);
    assertThat(hitIds(base.get().tag("ключ", "值🚀"))).containsExactly(id);
    assertThat(hitIds(base.get().tag("ключ", "值"))).isEmpty();
    assertThat(hitIds(base.get().tag("empty", ""))).containsExactly(id);
    assertThat(hitIds(base.get().tag("long", batches.policy().indexedValue(longValue)))).containsExactly(id);
    assertThat(hitIds(base.get().remoteService("δ-remote" + suffix))).containsExactly(id);
  }

  /**
   * 26 single-span traces: 20 at distinct microseconds, plus 6 more sharing the start of the
   * eighth, so pages must break ties by trace id. Returns the hits {@code parity} selects ("all",
   * "even", "odd"), in the documented order.
   */
  private List<TraceHit> writePagingFixture(String svc, long t, String parity) {
    List<Span> spans = new ArrayList<>();
    List<TraceHit> hits = new ArrayList<>();
    for (int i = 0; i < 26; i++) {
      long start = t + (i < 20 ? i : 7) * 10 * MICRO;
      TraceId id = newTraceId();
      String p = i % 2 == 0 ? "even" : "odd";
      spans.add(span(id, newSpanId(), 0, svc, "op", start, MILLI).addTag(Tag.of("parity", p)).build());
      if (parity.equals("all") || parity.equals(p)) hits.add(new TraceHit(id, start));
    }
    write(spans);
    hits.sort(
        Comparator.comparingLong(TraceHit::startEpochNanos).reversed()
            .thenComparing(TraceHit::traceId, Comparator.reverseOrder()));
    return hits;
  }

  /** Follows cursors to the end, checking each page's shape; returns all hits in page order. */
  private List<TraceHit> pages(SearchRequest.Builder request, int limit) {
    List<TraceHit> seen = new ArrayList<>();
    Set<TraceId> unique = new HashSet<>();
    String cursor = null;
    for (int page = 0; ; page++) {
      assertThat(page).as("pages for limit %d", limit).isLessThan(100);
      SearchResult r = search(request.limit(limit).cursor(cursor));
      assertThat(r.hits().size()).as("page %d size", page).isLessThanOrEqualTo(limit);
      for (TraceHit h : r.hits()) {
        assertThat(unique.add(h.traceId())).as("hit %s repeated on page %d", h, page).isTrue();
        seen.add(h);
      }
      if (r.complete()) {
        assertThat(r.nextCursor()).isNull();
        return seen;
      }
      assertThat(r.hits()).as("an incomplete page is full (page %d)", page).hasSize(limit);
      assertThat(r.nextCursor()).isNotNull();
      cursor = r.nextCursor();
    }
  }

  private List<TraceId> hitIds(SearchRequest.Builder request) {
    return search(request.limit(100)).hits().stream().map(TraceHit::traceId).toList();
  }

  private List<TraceId> ids(int... traces) {
    List<TraceId> out = new ArrayList<>();
    for (int t : traces) out.add(shop.id(t));
    return out;
  }

  /** A hit's time is the earliest start among the index entries that matched: inside the trace. */
  private void assertHitTimeWithinTrace(TraceHit hit) {
    for (List<Span> trace : shop.traces) {
      if (!trace.get(0).traceId().equals(hit.traceId())) continue;
      long first = trace.stream().mapToLong(Span::startEpochNanos).min().orElseThrow();
      long last = trace.stream().mapToLong(Span::startEpochNanos).max().orElseThrow();
      assertThat(hit.startEpochNanos()).as("start of %s", hit).isBetween(first, last);
      return;
    }
    throw new AssertionError("hit of an unknown trace: " + hit);
  }
}
