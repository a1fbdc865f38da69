package tracestore.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MICRO;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.Chunk;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatch;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.TraceId;

/** {@code TraceReader.getTrace/getTraces}: not found is empty, order is kept, spans are sorted. */
public abstract class TraceReaderContract extends StorageContract {

  @Test
  void anUnknownTraceIsEmpty() {
    assertThat(reader().getTrace(newTraceId())).isEmpty();
  }

  @Test
  void getTracesKeepsTheOrderAskedAndOmitsUnknownIds() {
    String svc = "many" + testSuffix();
    long t = newBaseTime();
    List<TraceId> ids = new ArrayList<>();
    List<List<Span>> traces = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TraceId id = newTraceId();
      ids.add(id);
      // Later traces start earlier, so the asked order differs from time order.
      traces.add(SpanWriterContract.chain(id, svc, t - i * MILLI, 2));
    }
    List<Span> all = new ArrayList<>();
    traces.forEach(all::addAll);
    write(all);

    TraceId unknown = newTraceId();
    List<List<Span>> read =
        reader().getTraces(List.of(ids.get(3), unknown, ids.get(0), ids.get(4), ids.get(1)));

    assertThat(read).containsExactly(traces.get(3), traces.get(0), traces.get(4), traces.get(1));
  }

  @Test
  void getTracesAsksEachIdOnce() {
    String svc = "dup-ask" + testSuffix();
    TraceId id = newTraceId();
    List<Span> trace = SpanWriterContract.chain(id, svc, newBaseTime(), 2);
    write(trace);

    assertThat(reader().getTraces(List.of(id, id))).containsExactly(trace);
  }

  @Test
  void getTracesOfNothingIsEmpty() {
    assertThat(reader().getTraces(List.of())).isEmpty();
    assertThat(reader().getTraces(List.of(newTraceId(), newTraceId()))).isEmpty();
  }

  /**
   * A stored chunk that does not decode fails the read with a permanent {@link StorageException}
   * (the codec's {@code CorruptChunkException}), never with an empty or partial trace.
   */
  @Test
  void aCorruptChunkFailsTheReadPermanently() {
    String svc = "corrupt" + testSuffix();
    TraceId id = newTraceId();
    WriteBatch valid = batches.toBatch(SpanWriterContract.chain(id, svc, newBaseTime(), 2));
    Chunk c = valid.chunks().get(0);
    byte[] garbage = c.payload().clone();
    garbage[garbage.length - 1] ^= 0x5a; // breaks the checksum
    write(new WriteBatch(
        List.of(new Chunk(id, c.chunkId() ^ 1, c.minStartEpochNanos(), c.maxEndEpochNanos(), c.spanCount(), garbage)),
        valid.serviceEntries(), valid.operationEntries(), valid.tagEntries()));

    assertThatThrownBy(() -> reader().getTrace(id))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isRetryable()).isFalse());
  }

  /**
   * Spans come back by start time, then span id (unsigned), whatever the write order or chunk
   * split; Zipkin's shared client and server spans (same span id) are both kept.
   */
  @Test
  void spansAreOrderedByStartThenSpanId() {
    String svc = "order" + testSuffix();
    TraceId id = newTraceId();
    long t = newBaseTime();
    long shared = 0x7fff_ffff_ffff_fff0L;
    Span root = span(id, 5, 0, svc, "root", t, 10 * MILLI).build();
    Span low = span(id, 0x10, 5, svc, "low", t + 2 * MICRO, MILLI).build();
    Span high = span(id, -2L, 5, svc, "high", t + 2 * MICRO, MILLI).build(); // 0xff..fe unsigned
    Span client = span(id, shared, 5, svc, "call", t + 3 * MICRO, 2 * MILLI).kind(SpanKind.CLIENT).build();
    Span server = span(id, shared, 5, "callee" + svc, "call", t + 3 * MICRO, 2 * MILLI).build();
    Span last = span(id, 1, 5, svc, "last", t + 9 * MILLI, MICRO).build();

    write(last, high);
    write(server, root);
    write(low, client);

    assertThat(reader().getTrace(id)).containsExactly(root, low, high, server, client, last);
  }
}
