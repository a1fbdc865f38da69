package tracestore.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.TraceHit;
import tracestore.storage.TraceReader;
import tracestore.storage.VerifyingReader;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * Search under the default {@link IndexPolicy}, as ingest writes by default: tags of keys the
 * policy does not index are found through {@link VerifyingReader} over the backend, with the same
 * results an index would give; and the cardinality guard bounds autocomplete, never search.
 *
 * <p>Fixture: twelve traces of one service, 10 ms apart (index 0 oldest). Trace i carries
 * {@code http.url=/orders/i} (not indexed by default), {@code http.method} GET for even i and
 * POST for odd i (indexed), and {@code order.tier=gold} for i divisible by 3 (not indexed). Trace 4
 * also has a span of another service carrying {@code order.tier=gold}, and trace 5 carries it on a
 * span that starts after the end of the searched range.
 */
public abstract class VerifiedSearchContract extends StorageContract {
  private static final int TRACES = 12;

  private final String suffix = testSuffix();
  private final String shop = "shop" + suffix;
  private final String other = "other" + suffix;
  private final long base = newBaseTime();
  private final List<TraceId> ids = new ArrayList<>();
  private final WriteBatches defaults = WriteBatches.create(IndexPolicy.defaults());

  private long start(int i) {
    return base + i * 10 * MILLI;
  }

  /** The end of the fixture's search range: trace 5's late span starts after it. */
  private long end() {
    return start(TRACES) + 100 * MILLI;
  }

  @BeforeAll
  final void writeFixture() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < TRACES; i++) {
      TraceId id = newTraceId();
      ids.add(id);
      long root = newSpanId();
      Span.Builder b = span(id, root, 0, shop, "GET /orders/{id}", start(i), 5 * MILLI)
          .addTag("http.url", "/orders/" + i)
          .addTag("http.method", i % 2 == 0 ? "GET" : "POST");
      if (i % 3 == 0) b.addTag("order.tier", "gold");
      spans.add(b.build());
      if (i == 4) {
        spans.add(span(id, newSpanId(), root, other, "price", start(i) + MILLI, MILLI)
            .addTag("order.tier", "gold").build());
      }
      if (i == 5) {
        spans.add(span(id, newSpanId(), root, shop, "late", end() + MILLI, MILLI)
            .addTag("order.tier", "gold").build());
      }
    }
    write(defaults.toBatch(spans));
  }

  private VerifyingReader verifying(int maxCandidates) {
    return VerifyingReader.wrap(reader(), IndexPolicy.defaults(), maxCandidates);
  }

  private SearchRequest.Builder request() {
    return SearchRequest.newBuilder().timeRange(base, end()).service(shop).limit(100);
  }

  private List<TraceId> traceIds(SearchResult r) {
    return r.hits().stream().map(TraceHit::traceId).toList();
  }

  /** Newest first, as every search orders hits. */
  private List<TraceId> expected(int... traces) {
    List<TraceId> out = new ArrayList<>();
    for (int i = traces.length - 1; i >= 0; i--) out.add(ids.get(traces[i]));
    return out;
  }

  @Test
  void anUnindexedTagIsNotInTheIndexButIsFoundByVerification() {
    SearchRequest byUrl = request().tag("http.url", "/orders/7").build();
    assertThat(reader().search(byUrl).hits()).as("the default policy does not index http.url").isEmpty();

    SearchResult r = verifying(VerifyingReader.DEFAULT_MAX_CANDIDATES).search(byUrl);
    assertThat(traceIds(r)).containsExactly(ids.get(7));
    assertThat(r.complete()).isTrue();
    assertThat(r.hits().get(0).startEpochNanos()).isEqualTo(start(7));
  }

  @Test
  void indexedAndUnindexedTagsCombineAsAnd() {
    SearchResult r = verifying(VerifyingReader.DEFAULT_MAX_CANDIDATES)
        .search(request().tag("http.method", "GET").tag("order.tier", "gold").build());
    assertThat(traceIds(r)).containsExactlyElementsOf(expected(0, 6));
    assertThat(r.complete()).isTrue();
  }

  @Test
  void anUnindexedTagMustBeOnASpanOfTheServiceInsideTheTimeRange() {
    SearchResult r = verifying(VerifyingReader.DEFAULT_MAX_CANDIDATES)
        .search(request().tag("order.tier", "gold").build());
    // 4 has it only on another service's span, 5 only on a span after the range.
    assertThat(traceIds(r)).containsExactlyElementsOf(expected(0, 3, 6, 9));
  }

  @Test
  void aSmallCandidateBoundGivesShortIncompletePagesThatTogetherFindEveryHitOnce() {
    TraceReader bounded = verifying(2);
    List<TraceId> found = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    SearchResult r;
    do {
      r = bounded.search(request().tag("order.tier", "gold").limit(3).cursor(cursor).build());
      assertThat(r.hits().size()).isLessThanOrEqualTo(2);
      found.addAll(traceIds(r));
      cursor = r.nextCursor();
      pages++;
      assertThat(pages).as("pages").isLessThan(20);
    } while (!r.complete());
    assertThat(found).containsExactlyElementsOf(expected(0, 3, 6, 9));
    assertThat(pages).isGreaterThanOrEqualTo(TRACES / 2);
  }

  @Test
  void aFullPageStopsAtLimitAndItsCursorContinuesExactly() {
    TraceReader r = verifying(VerifyingReader.DEFAULT_MAX_CANDIDATES);
    SearchResult first = r.search(request().tag("order.tier", "gold").limit(2).build());
    assertThat(traceIds(first)).containsExactlyElementsOf(expected(6, 9));
    assertThat(first.complete()).isFalse();
    SearchResult second = r.search(request().tag("order.tier", "gold").limit(2).cursor(first.nextCursor()).build());
    assertThat(traceIds(second)).containsExactlyElementsOf(expected(0, 3));
  }

  @Test
  void requestsWithoutUnindexedTagsPassStraightThrough() {
    SearchRequest byMethod = request().tag("http.method", "POST").build();
    assertThat(traceIds(verifying(1).search(byMethod))).containsExactlyElementsOf(traceIds(reader().search(byMethod)));
    assertThat(traceIds(reader().search(byMethod))).containsExactlyElementsOf(expected(1, 3, 5, 7, 9, 11));
  }

  @Test
  void valuesPastTheCardinalityGuardAreSearchableButNotListed() {
    String key = "plan" + suffix;
    long at = base + 500 * MILLI;
    WriteBatches guarded = WriteBatches.create(IndexPolicy.everyKey().toBuilder().maxValuesPerKey(2).build());
    List<TraceId> traces = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TraceId id = newTraceId();
      traces.add(id);
      write(guarded.toBatch(List.of(
          span(id, newSpanId(), 0, other, "op", at + i * MILLI, MILLI).addTag(Tag.of(key, "v" + i)).build())));
    }
    for (int i = 0; i < 5; i++) {
      SearchResult r = reader().search(SearchRequest.newBuilder()
          .timeRange(at, at + 10 * MILLI).service(other).tag(key, "v" + i).limit(10).build());
      assertThat(traceIds(r)).as("v%d", i).containsExactly(traces.get(i));
    }
    assertThat(reader().tagValues(key)).containsExactly("v0", "v1");
  }
}
