package tracestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.codec.ChunkDictionaries;
import tracestore.storage.codec.StringDictionary;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/** How {@link WriteBatches} trains, adopts and rotates its dictionary, on a test clock. */
class DictionaryTrainingTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private long nextTrace = 1;

  /** Every trace sampled, at least 3 traces, first build after 30 spans, rebuilt every minute. */
  static DictionaryPolicy.Builder policy() {
    return DictionaryPolicy.newBuilder()
        .sampleOneIn(1)
        .minTraces(3)
        .firstAfterSpans(30)
        .rebuildInterval(Duration.ofMinutes(1));
  }

  WriteBatches batches(DictionaryPolicy policy) {
    return WriteBatches.create(IndexPolicy.everyKey(), policy, clock::get);
  }

  /** A trace of 3 spans: the pod name and route repeat across traces, the user id is its own. */
  List<Span> trace(String pod, String route, String user) {
    TraceId id = new TraceId(0, nextTrace++);
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      spans.add(Span.newBuilder().traceId(id).spanId(i).parentSpanId(i == 1 ? 0 : 1)
          .service("checkout").name("POST " + route).kind(SpanKind.SERVER)
          .startEpochNanos(1_000 * i).durationNanos(10)
          .addTag("k8s.pod.name", pod).addTag("user.id", user).build());
    }
    return spans;
  }

  static ChunkDictionaries storeOf(List<WriteBatch> written) {
    return new ChunkDictionaries(id -> {
      for (WriteBatch b : written) {
        for (ChunkDictionary d : b.dictionaries()) if (d.id() == id) return d.payload();
      }
      return null;
    });
  }

  @Test
  void noneBeforeTheFirstSpansThenOneOfStringsSeenInEnoughTraces() {
    WriteBatches batches = batches(policy().build());
    List<WriteBatch> written = new ArrayList<>();
    for (int i = 0; i < 9; i++) { // 27 spans: not yet
      written.add(batches.toBatch(trace("checkout-7d9f-abc12", "/orders", "user-" + i)));
    }
    assertThat(batches.dictionary()).isNull();
    assertThat(written).allSatisfy(b -> assertThat(b.dictionaries()).isEmpty());
    written.add(batches.toBatch(trace("checkout-7d9f-abc12", "/orders", "user-9"))); // 30 spans
    StringDictionary d = batches.dictionary();
    assertThat(d).isNotNull();
    // The batch that crossed the threshold was encoded before the build, without it.
    assertThat(written.get(9).dictionaries()).isEmpty();
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) strings.add(d.get(i));
    assertThat(strings).containsExactlyInAnyOrder("checkout", "POST /orders", "checkout-7d9f-abc12");
    // Privacy: a user id of one trace never enters; well-known keys are not repeated in it.
    assertThat(strings).noneMatch(s -> s.startsWith("user-") || s.equals("k8s.pod.name"));

    WriteBatch next = batches.toBatch(trace("checkout-7d9f-abc12", "/orders", "user-10"));
    assertThat(next.dictionaries()).containsExactly(d.stored());
    assertThat(ChunkDecoder.readHeader(next.chunks().get(0).payload()).dictionaryId()).isEqualTo(d.id());
    List<Span> decoded = ChunkDecoder.decode(next.chunks().get(0).payload(), null, storeOf(List.of(next)));
    assertThat(decoded).extracting(s -> s.tag("user.id").asString()).containsOnly("user-10");
    assertThat(decoded).extracting(s -> s.tag("k8s.pod.name").asString()).containsOnly("checkout-7d9f-abc12");
  }

  @Test
  void aStringInFewerTracesThanTheMinimumStaysOutEvenAcrossManyChunks() {
    WriteBatches batches = batches(policy().firstAfterSpans(48).build());
    // One trace written in 10 batches of 3 spans: "rare-route" is in 10 chunks but one trace.
    TraceId lonely = new TraceId(7, 7);
    for (int i = 0; i < 10; i++) {
      Span s = Span.newBuilder().traceId(lonely).spanId(100 + i).service("checkout")
          .name("GET /rare-route").kind(SpanKind.SERVER).startEpochNanos(5_000 + i)
          .durationNanos(1).build();
      batches.toBatch(List.of(s, s.toBuilder().spanId(200 + i).build(), s.toBuilder().spanId(300 + i).build()));
    }
    // Two other traces share "twice-route": below the minimum of 3.
    batches.toBatch(trace("pod-a", "/twice-route", "u1"));
    batches.toBatch(trace("pod-a", "/twice-route", "u2"));
    for (int i = 0; i < 4; i++) batches.toBatch(trace("pod-a", "/often", "u" + (10 + i)));
    StringDictionary d = batches.dictionary();
    assertThat(d).isNotNull();
    assertThat(d.indexOf("GET /rare-route")).isEqualTo(-1);
    assertThat(d.indexOf("POST /twice-route")).isEqualTo(-1);
    assertThat(d.indexOf("POST /often")).isNotNegative();
    assertThat(d.indexOf("pod-a")).isNotNegative(); // 6 traces
  }

  @Test
  void rotatesOnlyAfterTheIntervalAndOnlyForAMeaningfulChange() {
    WriteBatches batches = batches(policy().build());
    List<WriteBatch> written = new ArrayList<>();
    for (int i = 0; i < 10; i++) written.add(batches.toBatch(trace("pod-a", "/orders", "u" + i)));
    StringDictionary first = batches.dictionary();
    assertThat(first.indexOf("pod-a")).isNotNegative();

    // The same traffic after the interval: the rebuild covers nothing more, so no rotation.
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    for (int i = 0; i < 10; i++) written.add(batches.toBatch(trace("pod-a", "/orders", "v" + i)));
    assertThat(batches.dictionary()).isSameAs(first);

    // New pods within the interval: nothing is rebuilt yet.
    for (int i = 0; i < 10; i++) written.add(batches.toBatch(trace("pod-b", "/orders", "w" + i)));
    assertThat(batches.dictionary()).isSameAs(first);
    // After it: the pods changed (a deploy), so the new dictionary is adopted.
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    written.add(batches.toBatch(trace("pod-b", "/orders", "x")));
    StringDictionary second = batches.dictionary();
    assertThat(second).isNotSameAs(first);
    assertThat(second.indexOf("pod-b")).isNotNegative();
    assertThat(second.id()).isNotEqualTo(first.id());

    // Chunks of both dictionaries read back through the dictionaries their batches carried.
    written.add(batches.toBatch(trace("pod-b", "/orders", "y")));
    ChunkDictionaries store = storeOf(written);
    long withFirst = 0;
    long withSecond = 0;
    for (WriteBatch b : written) {
      for (Chunk c : b.chunks()) {
        long id = ChunkDecoder.readHeader(c.payload()).dictionaryId();
        if (id == first.id()) withFirst++;
        if (id == second.id()) withSecond++;
        assertThat(ChunkDecoder.decode(c.payload(), c.traceId(), store)).hasSize(3);
      }
    }
    assertThat(withFirst).isPositive();
    assertThat(withSecond).isPositive();
  }

  @Test
  void boundedByStringsAndBytesAndSampling() {
    WriteBatches batches = batches(policy().maxStrings(2).build());
    for (int i = 0; i < 10; i++) batches.toBatch(trace("pod-a", "/orders", "u" + i));
    assertThat(batches.dictionary().size()).isEqualTo(2);

    WriteBatches few = batches(policy().maxBytes("checkout".length()).build());
    for (int i = 0; i < 10; i++) few.toBatch(trace("pod-a", "/orders", "u" + i));
    // All are in 10 traces; ranked by value on ties, "POST /orders" is too long, "checkout" fits.
    assertThat(few.dictionary().size()).isEqualTo(1);
    assertThat(few.dictionary().get(0)).isEqualTo("checkout");

    // Sampling one trace in a huge number: nothing is counted, so nothing is adopted.
    WriteBatches sampled = batches(policy().sampleOneIn(Integer.MAX_VALUE).build());
    for (int i = 0; i < 20; i++) sampled.toBatch(trace("pod-a", "/orders", "u" + i));
    assertThat(sampled.dictionary()).isNull();
  }

  @Test
  void offAndTheOneArgumentFactoryWriteFormat2Only() {
    WriteBatches off = batches(DictionaryPolicy.off());
    WriteBatches plain = WriteBatches.create(IndexPolicy.everyKey());
    for (int i = 0; i < 20; i++) {
      for (WriteBatches b : List.of(off, plain)) {
        WriteBatch batch = b.toBatch(trace("pod-a", "/orders", "u" + i));
        assertThat(batch.dictionaries()).isEmpty();
        assertThat(ChunkDecoder.readHeader(batch.chunks().get(0).payload()).formatVersion()).isEqualTo(2);
      }
    }
    assertThat(off.dictionary()).isNull();
    assertThat(plain.dictionaryPolicy()).isEqualTo(DictionaryPolicy.off());
  }

  @Test
  void concurrentCallersDuringRotationsWriteOnlyDecodableBatches() throws Exception {
    // Rebuild as often as possible: every 30 spans, no interval, any gain adopted.
    WriteBatches batches = batches(policy().rebuildInterval(Duration.ZERO).minGain(0).build());
    int threads = 4;
    List<List<WriteBatch>> written = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      List<WriteBatch> mine = new ArrayList<>();
      written.add(mine);
      int thread = t;
      Thread w = new Thread(() -> {
        try {
          for (int i = 0; i < 300; i++) {
            List<Span> spans = new ArrayList<>();
            for (Span s : traceOf(thread * 1_000_000L + i, "pod-" + (i / 50), "/r" + (i % 7))) spans.add(s);
            mine.add(batches.toBatch(spans));
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) w.join();
    assertThat(failure.get()).isNull();
    List<WriteBatch> all = new ArrayList<>();
    written.forEach(all::addAll);
    ChunkDictionaries store = storeOf(all);
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (WriteBatch b : all) {
      Chunk c = b.chunks().get(0);
      long id = ChunkDecoder.readHeader(c.payload()).dictionaryId();
      if (id != 0) {
        ids.add(id);
        // Each batch carries exactly the dictionary its chunks name.
        assertThat(b.dictionaries()).extracting(ChunkDictionary::id).containsExactly(id);
      }
      assertThat(ChunkDecoder.decode(c.payload(), c.traceId(), store)).hasSize(3);
    }
    assertThat(ids.size()).isGreaterThan(1); // rotations did happen meanwhile
  }

  /** {@link #trace} with an explicit trace number, for threads. */
  static List<Span> traceOf(long n, String pod, String route) {
    TraceId id = new TraceId(1, n + 1);
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      spans.add(Span.newBuilder().traceId(id).spanId(i).parentSpanId(i == 1 ? 0 : 1)
          .service("checkout").name("POST " + route).kind(SpanKind.SERVER)
          .startEpochNanos(1_000 * i).durationNanos(10)
          .addTag("k8s.pod.name", pod).addTag("user.id", "u" + n).build());
    }
    return spans;
  }

  @Test
  void policyValidatesAndRoundTripsThroughItsBuilder() {
    DictionaryPolicy p = DictionaryPolicy.defaults();
    assertThat(p.enabled()).isTrue();
    assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    assertThat(DictionaryPolicy.off().enabled()).isFalse();
    assertThatThrownBy(() -> policy().minTraces(1).build()).hasMessageContaining("minTraces");
    assertThatThrownBy(() -> policy().maxStrings(0).build()).hasMessageContaining("maxStrings");
    assertThatThrownBy(() -> policy().maxStrings(100).maxCandidates(10).build())
        .hasMessageContaining("maxCandidates");
    assertThatThrownBy(() -> policy().sampleOneIn(0).build()).hasMessageContaining("sampleOneIn");
    assertThatThrownBy(() -> policy().minGain(2).build()).hasMessageContaining("minGain");
    assertThatThrownBy(() -> policy().rebuildInterval(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("rebuildInterval");
  }
}
