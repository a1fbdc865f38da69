package tracestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.RandomSpans;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

class WriteBatchesTest {
  static final TraceId T1 = new TraceId(1, 1);
  static final TraceId T2 = new TraceId(0, 2);

  static Span.Builder span(TraceId id, long spanId, String service, String name, long start, long duration) {
    return Span.newBuilder().traceId(id).spanId(spanId).service(service).name(name)
        .kind(SpanKind.SERVER).startEpochNanos(start).durationNanos(duration);
  }

  @Test
  void oneChunkPerTraceAndOneEntryPerTracePerName() {
    List<Span> spans = List.of(
        span(T1, 1, "a", "op", 300, 10).build(),
        span(T1, 2, "a", "op", 100, 5).build(),
        span(T1, 3, "a", "op", 200, 50).status(StatusCode.ERROR, "").build(),
        span(T1, 4, "b", "op", 250, 1).build(),
        span(T2, 5, "a", "op", 900, 7).build());

    WriteBatch batch = WriteBatches.create().toBatch(spans);

    assertThat(batch.chunks()).extracting(Chunk::traceId).containsExactly(T1, T2);
    assertThat(batch.chunks()).extracting(Chunk::spanCount).containsExactly(4, 1);
    assertThat(batch.serviceEntries()).containsExactlyInAnyOrder(
        new ServiceIndexEntry("a", T1, 100, 50, true),
        new ServiceIndexEntry("b", T1, 250, 1, false),
        new ServiceIndexEntry("a", T2, 900, 7, false));
    assertThat(batch.operationEntries()).containsExactlyInAnyOrder(
        new OperationIndexEntry("a", "op", SpanKind.SERVER, T1, 100, 50),
        new OperationIndexEntry("b", "op", SpanKind.SERVER, T1, 250, 1),
        new OperationIndexEntry("a", "op", SpanKind.SERVER, T2, 900, 7));
    assertThat(batch.tagEntries()).isEmpty();
  }

  @Test
  void operationsAreKeyedByKindAndEmptyNamesAreNotIndexed() {
    WriteBatch batch = WriteBatches.create().toBatch(List.of(
        span(T1, 1, "a", "op", 100, 5).build(),
        span(T1, 2, "a", "op", 150, 9).kind(SpanKind.CLIENT).build(),
        span(T1, 3, "a", "", 50, 90).build()));

    assertThat(batch.operationEntries()).containsExactlyInAnyOrder(
        new OperationIndexEntry("a", "op", SpanKind.SERVER, T1, 100, 5),
        new OperationIndexEntry("a", "op", SpanKind.CLIENT, T1, 150, 9));
    assertThat(batch.serviceEntries()).containsExactly(new ServiceIndexEntry("a", T1, 50, 90, false));
  }

  @Test
  void zipkinErrorTagMarksTheServiceEntry() {
    WriteBatch batch = WriteBatches.create().toBatch(List.of(span(T1, 1, "a", "op", 1, 1).addTag("error", "").build()));
    assertThat(batch.serviceEntries().get(0).error()).isTrue();
  }

  @Test
  void tagsAndRemoteServiceBecomeTagEntriesAtTheirEarliestStart() {
    WriteBatch batch = WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(
        span(T1, 1, "a", "op", 300, 1).addTag("k", "v").remoteService("db").build(),
        span(T1, 2, "a", "op", 100, 1).addTag("k", "v").addTag(Tag.of("n", 42L)).addTag(Tag.of("b", true)).build(),
        span(T1, 3, "a", "op", 200, 1).remoteService("db").addTag("k", "w").build()));

    assertThat(batch.tagEntries()).containsExactlyInAnyOrder(
        new TagIndexEntry("a", "k", "v", T1, 100),
        new TagIndexEntry("a", "k", "w", T1, 200),
        new TagIndexEntry("a", "n", "42", T1, 100),
        new TagIndexEntry("a", "b", "true", T1, 100),
        new TagIndexEntry("a", TagIndexEntry.REMOTE_SERVICE_KEY, "db", T1, 200));
  }

  @Test
  void byDefaultOnlyAllowListedKeysAreIndexedWithValuesOfEveryType() {
    WriteBatch batch = WriteBatches.create().toBatch(List.of(
        span(T1, 1, "a", "op", 1, 1)
            .addTag("http.route", "/cart/{id}")
            .addTag(Tag.of("http.status_code", 200L))
            .addTag(Tag.of("rpc.grpc.status_code", 2.0d))
            .addTag("http.url", "/cart/42?x=1")
            .addTag("order.id", "o-1")
            .addTag("span.id", "00f067aa0ba902b7")
            .build()));
    assertThat(batch.tagEntries()).extracting(e -> e.key() + "=" + e.value()).containsExactlyInAnyOrder(
        "http.route=/cart/{id}", "http.status_code=200", "rpc.grpc.status_code=2.0");
    assertThat(IndexPolicy.defaults().covers("http.route")).isTrue();
    assertThat(IndexPolicy.defaults().covers("http.url")).isFalse();
  }

  @Test
  void everyKeyIndexesAllButTheDeniedIdKeys() {
    WriteBatch batch = WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(
        span(T1, 1, "a", "op", 1, 1)
            .addTag(Tag.of("ratio", 0.5d))
            .addTag(new Tag("list", TagValue.of(List.of(TagValue.of(1L)))))
            .addTag("order.id", "o-1")
            .addTag("span.id", "00f067aa0ba902b7")
            .addTag("http.request_id", "r-1")
            .build()));
    assertThat(batch.tagEntries()).extracting(TagIndexEntry::key).containsExactlyInAnyOrder("ratio", "list", "order.id");
  }

  @Test
  void leavingATypeOutMakesNoKeyCovered() {
    IndexPolicy policy = IndexPolicy.newBuilder().indexedTypes(List.of(TagValue.Type.STRING)).build();
    assertThat(policy.isIndexableKey("http.route")).isTrue();
    assertThat(policy.covers("http.route")).isFalse();
  }

  @Test
  void allowListDenyListAndTypesAreConfigurable() {
    IndexPolicy policy = IndexPolicy.newBuilder()
        .allowedKeys(List.of("keep", "ratio", "span.id"))
        .deniedKeys(List.of())
        .indexedTypes(List.of(TagValue.Type.STRING, TagValue.Type.DOUBLE))
        .build();
    WriteBatch batch = WriteBatches.create(policy).toBatch(List.of(
        span(T1, 1, "a", "op", 1, 1)
            .addTag("keep", "x").addTag("drop", "y").addTag(Tag.of("ratio", 0.5d))
            .addTag("span.id", "1").addTag(Tag.of("keep", 3L)).remoteService("r")
            .build()));
    assertThat(batch.tagEntries()).extracting(e -> e.key() + "=" + e.value()).containsExactlyInAnyOrder(
        "keep=x", "ratio=0.5", "span.id=1", TagIndexEntry.REMOTE_SERVICE_KEY + "=r");
  }

  @Test
  void longValuesAreTruncatedWithoutSplittingASurrogatePairAndNulIsReplaced() {
    IndexPolicy policy = IndexPolicy.everyKey().toBuilder().maxValueLength(4).build();
    WriteBatch batch = WriteBatches.create(policy).toBatch(List.of(
        span(T1, 1, "a", "op", 1, 1).addTag("k", "abc🚀def").addTag("z", "a\0b").addTag("toolong", "v").build()));
    assertThat(batch.tagEntries()).extracting(TagIndexEntry::value).containsExactlyInAnyOrder("abc", "a\uFFFDb");
    assertThat(policy.indexedValue("ab🚀")).isEqualTo("ab🚀");
    assertThat(policy.indexedValue("abcdef")).isEqualTo("abcd");
  }

  @Test
  void cardinalityGuardStopsListingNewValuesOfASaturatedKeyButIndexesThemAll() {
    WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey().toBuilder().maxValuesPerKey(3).build());
    List<String> indexed = new ArrayList<>();
    List<String> listed = new ArrayList<>();
    for (String v : List.of("v1", "v2", "v3", "v4", "v1", "v5")) {
      WriteBatch b = batches.toBatch(List.of(span(T1, 1, "a", "op", 1, 1).addTag("user", v).addTag("ok", "x").build()));
      b.tagEntries().stream().filter(e -> e.key().equals("user")).forEach(e -> {
        indexed.add(e.value());
        if (e.listed()) listed.add(e.value());
      });
      assertThat(b.tagEntries()).filteredOn(e -> e.key().equals("ok")).allMatch(TagIndexEntry::listed);
    }
    assertThat(indexed).containsExactly("v1", "v2", "v3", "v4", "v1", "v5");
    assertThat(listed).containsExactly("v1", "v2", "v3", "v1");
    assertThat(batches.saturatedKeys()).containsExactly("user");
    assertThat(batches.keyLimitReached()).isFalse();
  }

  @Test
  void keysBeyondTheKeyLimitAreIndexedButNotListed() {
    WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey().toBuilder().maxKeys(2).build());
    WriteBatch b = batches.toBatch(List.of(
        span(T1, 1, "a", "op", 1, 1).addTag("k1", "x").addTag("k2", "x").addTag("k3", "x").build()));
    assertThat(b.tagEntries()).extracting(TagIndexEntry::key).containsExactlyInAnyOrder("k1", "k2", "k3");
    assertThat(b.tagEntries()).filteredOn(TagIndexEntry::listed).extracting(TagIndexEntry::key)
        .containsExactlyInAnyOrder("k1", "k2");
    assertThat(batches.keyLimitReached()).isTrue();
  }

  @Test
  void anEmptyInputIsAnEmptyBatch() {
    WriteBatch batch = WriteBatches.create().toBatch(List.of());
    assertThat(batch.isEmpty()).isTrue();
    WriteBatches.validate(batch);
  }

  /**
   * Seeded random traces: chunks decode to the input, and each entry equals what a plain scan of
   * the spans gives; shuffled input gives the same chunks and entries.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void derivedEntriesMatchAPlainScanAndIgnoreInputOrder(long seed) {
    RandomSpans random = new RandomSpans(seed);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 4; i++) spans.addAll(random.trace(random.traceId(), 1 + i * 7));
    WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey().toBuilder().deniedKeys(List.of()).build());

    WriteBatch batch = batches.toBatch(spans);

    Map<TraceId, List<Span>> byTrace = spans.stream().collect(Collectors.groupingBy(Span::traceId));
    assertThat(batch.chunks()).hasSize(byTrace.size());
    for (Chunk c : batch.chunks()) {
      assertThat(new HashSet<>(ChunkDecoder.decode(c.payload()))).isEqualTo(new HashSet<>(byTrace.get(c.traceId())));
    }
    for (ServiceIndexEntry e : batch.serviceEntries()) {
      List<Span> of = byTrace.get(e.traceId()).stream().filter(s -> s.service().equals(e.service())).toList();
      assertThat(e.startEpochNanos()).isEqualTo(of.stream().mapToLong(Span::startEpochNanos).min().orElseThrow());
      assertThat(e.durationNanos()).isEqualTo(of.stream().mapToLong(Span::durationNanos).max().orElseThrow());
      assertThat(e.error()).isEqualTo(of.stream().anyMatch(Span::isError));
    }
    Set<String> distinctServices = spans.stream().map(s -> s.traceId() + "/" + s.service()).collect(Collectors.toSet());
    assertThat(batch.serviceEntries()).hasSize(distinctServices.size());
    for (OperationIndexEntry e : batch.operationEntries()) {
      List<Span> of = byTrace.get(e.traceId()).stream()
          .filter(s -> s.service().equals(e.service()) && s.name().equals(e.operation()) && s.kind() == e.kind())
          .toList();
      assertThat(e.startEpochNanos()).isEqualTo(of.stream().mapToLong(Span::startEpochNanos).min().orElseThrow());
      assertThat(e.durationNanos()).isEqualTo(of.stream().mapToLong(Span::durationNanos).max().orElseThrow());
    }
    for (TagIndexEntry e : batch.tagEntries()) {
      long earliest = byTrace.get(e.traceId()).stream()
          .filter(s -> s.service().equals(e.service()) && carries(batches.policy(), s, e.key(), e.value()))
          .mapToLong(Span::startEpochNanos).min().orElseThrow();
      assertThat(e.startEpochNanos()).as("%s", e).isEqualTo(earliest);
    }

    Set<List<Object>> expectedTags = new HashSet<>();
    for (Span s : spans) {
      if (!s.remoteService().isEmpty()) {
        expectedTags.add(List.of(s.service(), TagIndexEntry.REMOTE_SERVICE_KEY, s.remoteService(), s.traceId()));
      }
      for (Tag t : s.tags()) {
        if (batches.policy().isIndexableKey(t.key()) && batches.policy().isIndexableType(t.value().type())) {
          expectedTags.add(List.of(s.service(), t.key(), batches.policy().indexedValue(t.value().asString()), s.traceId()));
        }
      }
    }
    assertThat(batches.saturatedKeys()).isEmpty();
    assertThat(batch.tagEntries().stream().map(e -> List.<Object>of(e.service(), e.key(), e.value(), e.traceId())))
        .containsExactlyInAnyOrderElementsOf(expectedTags);

    List<Span> shuffled = new ArrayList<>(spans);
    Collections.shuffle(shuffled, new Random(seed));
    WriteBatch again = batches.toBatch(shuffled);
    assertThat(new HashSet<>(again.chunks())).isEqualTo(new HashSet<>(batch.chunks()));
    assertThat(new HashSet<>(again.serviceEntries())).isEqualTo(new HashSet<>(batch.serviceEntries()));
    assertThat(new HashSet<>(again.operationEntries())).isEqualTo(new HashSet<>(batch.operationEntries()));
    assertThat(new HashSet<>(again.tagEntries())).isEqualTo(new HashSet<>(batch.tagEntries()));
  }

  private static boolean carries(IndexPolicy policy, Span s, String key, String value) {
    boolean remote = !s.remoteService().isEmpty() && s.remoteService().equals(value);
    if (key.equals(TagIndexEntry.REMOTE_SERVICE_KEY) && remote) return true;
    return s.tags().stream().anyMatch(t -> t.key().equals(key)
        && policy.isIndexableType(t.value().type()) && policy.indexedValue(t.value().asString()).equals(value));
  }

  @Test
  void validateNamesTheProblem() {
    WriteBatch good = WriteBatches.create().toBatch(List.of(span(T1, 1, "a", "op", 5, 1).addTag("k", "v").build()));
    Chunk c = good.chunks().get(0);
    assertThatThrownBy(() -> WriteBatches.validate(null)).hasMessageContaining("null");
    assertInvalid(new WriteBatch(List.of(), good.serviceEntries(), List.of(), List.of()), "no chunk");
    assertInvalid(new WriteBatch(List.of(c), List.of(), List.of(), List.of(new TagIndexEntry("a", "", "v", T1, 5))), "key is empty");
    assertInvalid(new WriteBatch(List.of(c), List.of(new ServiceIndexEntry("", T1, 5, 1, false)), List.of(), List.of()), "service is empty");
    assertInvalid(new WriteBatch(List.of(c), List.of(new ServiceIndexEntry("a", T1, -1, 1, false)), List.of(), List.of()), "start < 0");
    assertInvalid(new WriteBatch(List.of(c), List.of(), List.of(new OperationIndexEntry("a", "op", SpanKind.SERVER, T1, 5, -1)), List.of()), "duration < 0");
    assertInvalid(new WriteBatch(List.of(new Chunk(T1, 1, 5, 6, 1, new byte[0])), List.of(), List.of(), List.of()), "payload is empty");
    assertInvalid(new WriteBatch(List.of(new Chunk(new TraceId(0, 0), 1, 5, 6, 1, c.payload())), List.of(), List.of(), List.of()), "zero trace id");
    assertInvalid(new WriteBatch(List.of(new Chunk(T1, 1, 7, 6, 1, c.payload())), List.of(), List.of(), List.of()), "time range");
    WriteBatches.validate(good);
  }

  private static void assertInvalid(WriteBatch batch, String message) {
    assertThatThrownBy(() -> WriteBatches.validate(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
