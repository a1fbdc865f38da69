package tracestore.storage.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.DictionaryPolicy;
import tracestore.storage.IndexPolicy;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.codec.CorruptChunkException;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/** What the contract cannot see through the SPI: rows stored once, and a missing dictionary. */
class InMemoryDictionaryTest {
  static List<Span> trace(long n) {
    TraceId id = new TraceId(9, n);
    return List.of(Span.newBuilder().traceId(id).spanId(1).service("checkout").name("POST /orders")
        .kind(SpanKind.SERVER).startEpochNanos(1_000 + n).durationNanos(5)
        .addResource(Tag.of("k8s.pod.name", "checkout-5f7d-x2k4p")).build(),
        Span.newBuilder().traceId(id).spanId(2).parentSpanId(1).service("checkout")
        .name("INSERT orders").kind(SpanKind.CLIENT).startEpochNanos(1_001 + n).durationNanos(2)
        .addResource(Tag.of("k8s.pod.name", "checkout-5f7d-x2k4p")).build());
  }

  @Test
  void aReplayedBatchAddsNoChunkAndNoDictionary() {
    WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey(),
        DictionaryPolicy.newBuilder().sampleOneIn(1).minTraces(2).firstAfterSpans(6).build());
    for (int i = 0; i < 3; i++) batches.toBatch(trace(i));
    InMemoryStorage storage = new InMemoryStorage();
    List<WriteBatch> written = new ArrayList<>();
    for (int i = 3; i < 6; i++) written.add(batches.toBatch(trace(i)));
    for (WriteBatch b : written) storage.writer().write(b);
    for (WriteBatch b : written) storage.writer().write(b);
    assertThat(storage.dictionaryCount()).isEqualTo(1);
    assertThat(storage.chunkCount()).isEqualTo(3);
    assertThat(storage.reader().getTrace(new TraceId(9, 4))).hasSize(2);

    // A chunk whose batch came without its dictionary (a broken writer) fails to read, clearly.
    InMemoryStorage lacking = new InMemoryStorage();
    WriteBatch b = written.get(0);
    lacking.writer().write(new WriteBatch(b.chunks(), b.serviceEntries(), b.operationEntries(),
        b.tagEntries()));
    assertThatThrownBy(() -> lacking.reader().getTrace(new TraceId(9, 3)))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("which the store does not hold");
  }
}
