package tracestore.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MICRO;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.fullSpan;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.newTraceId64;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import tracestore.storage.Chunk;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.ServiceIndexEntry;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * {@code SpanWriter.write}: every field survives the round trip, writes are idempotent and
 * order-insensitive, a completed write is readable at once, and invalid batches are rejected before
 * any I/O.
 */
public abstract class SpanWriterContract extends StorageContract {

  /** A trace that uses every field of the model, written in shuffled order, read back sorted. */
  @Test
  void roundTripsEveryField() {
    String svc = "checkout" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    long rootId = newSpanId();
    Span root = fullSpan(id, rootId, 0, svc, t).toBuilder().kind(SpanKind.SERVER).build();
    // Two children with the same start: the read order breaks the tie by span id, unsigned.
    long a = 0x1000L;
    long b = 0xf000_0000_0000_0001L; // negative as a signed long, larger unsigned
    Span childA = fullSpan(id, a, rootId, svc, t + 50 * MICRO);
    Span childB =
        span(id, b, rootId, "db" + svc, "SELECT", t + 50 * MICRO, 7 * MICRO)
            .kind(SpanKind.CLIENT)
            .status(StatusCode.OK, "")
            .build();
    // Chunks carry nanos: a span time that is not a whole microsecond must survive.
    Span nanoChild =
        span(id, newSpanId(), a, svc, "nanos", t + 60 * MICRO + 7, 999)
            .kind(SpanKind.INTERNAL)
            .build();

    write(List.of(nanoChild, childB, root, childA));

    assertThat(reader().getTrace(id)).containsExactly(root, childA, childB, nanoChild);
  }

  @Test
  void keepsSixtyFourAndHundredTwentyEightBitIdsApart() {
    String svc = "ids" + testSuffix();
    long t = newBaseTime();
    TraceId id64 = newTraceId64();
    TraceId id128 = new TraceId(0x0123_4567_89ab_cdefL, id64.low()); // same low half
    Span s64 = span(id64, newSpanId(), 0, svc, "short", t, MILLI).build();
    Span s128 = span(id128, newSpanId(), 0, svc, "long", t + MILLI, MILLI).build();

    write(s64, s128);

    assertThat(reader().getTrace(id64)).containsExactly(s64);
    assertThat(reader().getTrace(id128)).containsExactly(s128);
    assertThat(reader().getTrace(TraceId.parse(id64.toHex().substring(16)))).containsExactly(s64);
  }

  @Test
  void assemblesATraceWrittenInSeveralBatches() {
    String svc = "batches" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    List<Span> spans = chain(id, svc, t, 9);

    write(spans.subList(6, 9));
    write(spans.subList(0, 3));
    write(spans.subList(3, 6));

    assertThat(reader().getTrace(id)).containsExactlyElementsOf(spans);
    SearchResult r =
        search(SearchRequest.newBuilder().service(svc).timeRange(t, t + 10 * MILLI).limit(10));
    assertThat(r.hits()).extracting(h -> h.traceId()).containsExactly(id);
  }

  @Test
  void rewritingTheSameBatchStoresNothingTwice() {
    String svc = "replay" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    List<Span> spans = chain(id, svc, t, 5);
    WriteBatch batch = batches.toBatch(spans);

    write(batch);
    write(batch);

    assertThat(reader().getTrace(id)).containsExactlyElementsOf(spans);
    SearchResult r =
        search(SearchRequest.newBuilder().service(svc).timeRange(t, t + 10 * MILLI).limit(10));
    assertThat(r.hits()).extracting(h -> h.traceId()).containsExactly(id);
    assertThat(r.complete()).isTrue();
  }

  @Test
  void replayInAnotherOrderOrOverlappingBatchesReadsEachSpanOnce() {
    String svc = "reorder" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    List<Span> spans = chain(id, svc, t, 6);
    List<Span> reversed = new ArrayList<>(spans);
    Collections.reverse(reversed);

    write(spans);
    write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(reversed)); // another process's derivation
    write(spans.subList(2, 5)); // an overlapping retry of part of the trace
    write(List.of(spans.get(0), spans.get(0), spans.get(5))); // duplicates inside one batch

    assertThat(reader().getTrace(id)).containsExactlyElementsOf(spans);
  }

  @Test
  void aCompletedWriteIsReadableAtOnce() {
    String svc = "ack" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    Span s = span(id, newSpanId(), 0, svc, "op", t, 3 * MILLI).build();

    write(s);

    assertThat(reader().getTrace(id)).containsExactly(s);
    assertThat(reader().services()).contains(svc);
    assertThat(search(SearchRequest.newBuilder().service(svc).operation("op").timeRange(t, t).limit(1)).hits())
        .extracting(h -> h.traceId())
        .containsExactly(id);
  }

  /** Writes in flight together: each stage completes only when its own spans are readable. */
  @Test
  void concurrentWritesAreEachReadableWhenAcknowledged() {
    String svc = "concurrent" + testSuffix();
    long t = newBaseTime();
    List<List<Span>> traces = new ArrayList<>();
    List<CompletionStage<Void>> stages = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      List<Span> trace = chain(newTraceId(), svc, t + i * MILLI, 3);
      traces.add(trace);
      stages.add(storage.writer().write(batches.toBatch(trace)));
    }
    for (int i = 0; i < stages.size(); i++) {
      await(stages.get(i));
      List<Span> trace = traces.get(i);
      assertThat(reader().getTrace(trace.get(0).traceId())).containsExactlyElementsOf(trace);
    }
  }

  @Test
  void checkPassesOnAHealthyStore() {
    storage.check();
  }

  @Test
  void anEmptyBatchCompletes() {
    write(List.of());
  }

  @Test
  void rejectsANullBatchBeforeIo() {
    assertThatThrownBy(() -> storage.writer().write(null)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * An index entry pointing at a trace without a chunk in the batch is invalid. {@code write}
   * throws at once, and nothing of the batch is stored, not even its valid chunk.
   */
  @Test
  void rejectsAnInvalidBatchBeforeAnyIo() {
    String svc = "invalid" + testSuffix();
    long t = newBaseTime();
    TraceId good = newTraceId();
    WriteBatch valid = batches.toBatch(List.of(span(good, newSpanId(), 0, svc, "op", t, MILLI).build()));
    List<ServiceIndexEntry> entries = new ArrayList<>(valid.serviceEntries());
    entries.add(new ServiceIndexEntry(svc, newTraceId(), t, MILLI, false));
    WriteBatch orphanEntry =
        new WriteBatch(valid.chunks(), entries, valid.operationEntries(), valid.tagEntries());

    assertThatThrownBy(() -> storage.writer().write(orphanEntry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no chunk");
    assertThat(reader().getTrace(good)).isEmpty();

    Chunk c = valid.chunks().get(0);
    WriteBatch emptyChunk =
        new WriteBatch(
            List.of(new Chunk(c.traceId(), c.chunkId(), c.minStartEpochNanos(), c.maxEndEpochNanos(), 0, c.payload())),
            valid.serviceEntries(), valid.operationEntries(), valid.tagEntries());
    assertThatThrownBy(() -> storage.writer().write(emptyChunk)).isInstanceOf(IllegalArgumentException.class);
    assertThat(reader().getTrace(good)).isEmpty();
  }

  /** 10,000 spans in one trace, written in one batch, read back complete and in order. */
  @Test
  void roundTripsALargeTrace() {
    String svc = "large" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    Random random = new Random(42);
    long rootId = newSpanId();
    List<Span> spans = new ArrayList<>();
    spans.add(span(id, rootId, 0, svc, "root", t, 20_000 * MILLI).build());
    for (int i = 1; i < 10_000; i++) {
      spans.add(
          span(id, newSpanId(), rootId, (i % 7) + svc, "op-" + (i % 50), t + i * MICRO, (random.nextInt(900) + 1) * MICRO)
              .kind(i % 2 == 0 ? SpanKind.CLIENT : SpanKind.SERVER)
              .addTag(Tag.of("i", (long) i))
              .addTag(Tag.of("shard", "s" + (i % 16)))
              .build());
    }
    List<Span> shuffled = new ArrayList<>(spans);
    Collections.shuffle(shuffled, random);

    write(shuffled);

    List<Span> read = reader().getTrace(id);
    assertThat(read).hasSize(10_000);
    assertThat(read).containsExactlyElementsOf(spans);
  }

  @Test
  void roundTripsUnicodeAndEmptyValues() {
    String suffix = testSuffix();
    String svc = "café-☕-服务" + suffix;
    TraceId id = newTraceId();
    long t = newBaseTime();
    Span s =
        span(id, newSpanId(), 0, svc, "получить /товары/🚀", t, 5 * MILLI)
            .status(StatusCode.ERROR, "échec ✗")
            .remoteService("δ-remote" + suffix)
            .addTag(Tag.of("ключ", "值🚀"))
            .addTag(Tag.of("empty", ""))
            .addTag(Tag.of("emoji 😀 key", "tab\tnewline\nquote\"nul\u0000end"))
            .scope("", "")
            .build();
    Span blankName = span(id, newSpanId(), s.spanId(), svc, "", t + MILLI, MILLI).build();

    write(s, blankName);

    assertThat(reader().getTrace(id)).containsExactly(s, blankName);
  }

  /** A parent followed by {@code n - 1} descendants, each starting 1 µs later. */
  static List<Span> chain(TraceId id, String svc, long start, int n) {
    List<Span> spans = new ArrayList<>();
    long parent = 0;
    for (int i = 0; i < n; i++) {
      long spanId = newSpanId();
      spans.add(span(id, spanId, parent, svc, "op-" + i, start + i * MICRO, (n - i) * MILLI).build());
      parent = spanId;
    }
    return spans;
  }
}
