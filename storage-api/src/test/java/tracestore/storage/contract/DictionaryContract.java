package tracestore.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MICRO;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.fullSpan;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.Chunk;
import tracestore.storage.DictionaryPolicy;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * Batches whose chunks reference a string dictionary (chunk format 3, {@code
 * WriteBatch.dictionaries()}): the backend stores the dictionary with the chunks, by id and once,
 * and reads such chunks back whole, also after the writer rotated to another dictionary.
 */
public abstract class DictionaryContract extends StorageContract {
  /** Trains fast: every trace counted, strings in 2 traces admitted, first build after 8 spans. */
  static WriteBatches trainedOn(String pod, String suffix) {
    WriteBatches b = WriteBatches.create(IndexPolicy.everyKey(), DictionaryPolicy.newBuilder()
        .sampleOneIn(1).minTraces(2).firstAfterSpans(8).build());
    long t = newBaseTime();
    for (int i = 0; i < 4; i++) b.toBatch(training(newTraceId(), pod, suffix, t + i * MILLI));
    assertThat(b.dictionary()).as("the trainer adopted a dictionary").isNotNull();
    return b;
  }

  /** Two spans whose service, operation, pod and route repeat across traces. */
  static List<Span> training(TraceId id, String pod, String suffix, long t) {
    long root = newSpanId();
    return List.of(
        span(id, root, 0, "checkout" + suffix, "POST /orders" + suffix, t, 2 * MILLI)
            .addTag(Tag.of("http.route", "/orders" + suffix))
            .addResource(Tag.of("k8s.pod.name", pod))
            .build(),
        span(id, newSpanId(), root, "checkout" + suffix, "INSERT orders" + suffix, t + MICRO, MILLI)
            .kind(SpanKind.CLIENT)
            .addTag(Tag.of("db.statement", "INSERT INTO orders" + suffix + " VALUES ($1)"))
            .addResource(Tag.of("k8s.pod.name", pod))
            .build());
  }

  static long dictionaryOf(Chunk c) {
    return ChunkDecoder.readHeader(c.payload()).dictionaryId();
  }

  @Test
  void aBatchReferencingADictionaryRoundTripsEveryField() {
    String suffix = testSuffix();
    WriteBatches trained = trainedOn("checkout-5f7d-x2k4p" + suffix, suffix);
    TraceId id = newTraceId();
    long t = newBaseTime();
    List<Span> spans = new ArrayList<>(training(id, "checkout-5f7d-x2k4p" + suffix, suffix, t));
    spans.add(fullSpan(id, newSpanId(), spans.get(0).spanId(), "checkout" + suffix, t + 5 * MICRO));
    WriteBatch batch = trained.toBatch(spans);
    assertThat(batch.dictionaries()).hasSize(1);
    assertThat(dictionaryOf(batch.chunks().get(0))).isEqualTo(batch.dictionaries().get(0).id());

    write(batch);

    assertThat(reader().getTrace(id)).containsExactlyInAnyOrderElementsOf(spans);
    assertThat(reader().getTraces(List.of(id))).hasSize(1);
    SearchResult r = search(SearchRequest.newBuilder().service("checkout" + suffix)
        .timeRange(t, t + 10 * MILLI).limit(10));
    assertThat(r.hits()).extracting(h -> h.traceId()).containsExactly(id);
  }

  @Test
  void rewritingABatchWithItsDictionaryStoresNothingTwice() {
    String suffix = testSuffix();
    WriteBatches trained = trainedOn("pod-a" + suffix, suffix);
    TraceId id = newTraceId();
    TraceId other = newTraceId();
    long t = newBaseTime();
    List<Span> spans = training(id, "pod-a" + suffix, suffix, t);
    WriteBatch batch = trained.toBatch(spans);
    assertThat(batch.dictionaries()).hasSize(1);

    write(batch);
    write(batch);
    // Another batch carrying the same dictionary: stored once by id, no conflict.
    List<Span> more = training(other, "pod-a" + suffix, suffix, t + MILLI);
    WriteBatch second = trained.toBatch(more);
    assertThat(second.dictionaries()).isEqualTo(batch.dictionaries());
    write(second);

    assertThat(reader().getTrace(id)).containsExactlyInAnyOrderElementsOf(spans);
    assertThat(reader().getTrace(other)).containsExactlyInAnyOrderElementsOf(more);
  }

  @Test
  void spansOfOneTraceWrittenUnderTwoDictionariesAllReadBack() {
    String suffix = testSuffix();
    // Two writers (or one before and after a rotation) with different dictionaries.
    WriteBatches before = trainedOn("pod-before" + suffix, suffix);
    WriteBatches after = trainedOn("pod-after" + suffix, suffix);
    assertThat(before.dictionary().id()).isNotEqualTo(after.dictionary().id());
    TraceId id = newTraceId();
    long t = newBaseTime();
    List<Span> first = training(id, "pod-before" + suffix, suffix, t);
    List<Span> second = new ArrayList<>();
    for (Span s : training(id, "pod-after" + suffix, suffix, t + MILLI)) {
      second.add(s.toBuilder().parentSpanId(first.get(0).spanId()).build());
    }
    WriteBatch a = before.toBatch(first);
    WriteBatch b = after.toBatch(second);
    assertThat(dictionaryOf(a.chunks().get(0))).isNotEqualTo(dictionaryOf(b.chunks().get(0)));

    write(a);
    write(b);

    List<Span> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(reader().getTrace(id)).containsExactlyInAnyOrderElementsOf(all);
    // Also with a format-2 chunk of the same trace next to them (a writer with dictionaries off).
    Span plain = span(id, newSpanId(), first.get(0).spanId(), "checkout" + suffix, "plain",
        t + 2 * MILLI, MILLI).build();
    write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(List.of(plain)));
    all.add(plain);
    assertThat(reader().getTrace(id)).containsExactlyInAnyOrderElementsOf(all);
  }
}
