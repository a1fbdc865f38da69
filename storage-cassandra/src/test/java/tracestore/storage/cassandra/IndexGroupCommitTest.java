package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tracestore.storage.OverCapacityException;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;

/** Group commit of index entries, with a flush that completes only when the test says so. */
class IndexGroupCommitTest {
  static final WriteBatches batches = WriteBatches.create();

  final List<IndexGroupCommit.Pending> flushed = new ArrayList<>();
  final List<CompletableFuture<Void>> acks = new ArrayList<>();
  final IndexGroupCommit commit =
      new IndexGroupCommit(
          p -> {
            flushed.add(p);
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            return ack;
          });

  static WriteBatch batch(int spans) {
    List<tracestore.storage.model.Span> out = new ArrayList<>();
    long t = newBaseTime();
    for (int i = 0; i < spans; i++) {
      out.add(span(newTraceId(), newSpanId(), 0, "svc", "op", t + i * MILLI, MILLI).build());
    }
    return batches.toBatch(out);
  }

  @Test
  void flushesAtOnceWhenIdleAndMergesWhatArrivesMeanwhile() {
    CompletableFuture<Void> first = commit.add(batch(2));
    assertThat(flushed).as("nothing to wait for: flushed at once").hasSize(1);

    CompletableFuture<Void> second = commit.add(batch(3));
    CompletableFuture<Void> third = commit.add(batch(4));
    assertThat(flushed).as("a flush is in flight: the others wait").hasSize(1);

    acks.get(0).complete(null);
    assertThat(first).isCompleted();
    assertThat(second).isNotDone();
    assertThat(flushed).as("the waiting writes went out as one flush").hasSize(2);
    IndexGroupCommit.Pending merged = flushed.get(1);
    assertThat(merged.batches).isEqualTo(2);
    assertThat(merged.spans).isEqualTo(7);
    assertThat(merged.services).hasSize(7);
    assertThat(merged.operations).hasSize(7);

    acks.get(1).complete(null);
    assertThat(second).isCompleted();
    assertThat(third).isCompleted();
  }

  @Test
  void aFailedFlushFailsEveryWriteItCarriedAndTheNextFlushStillRuns() {
    commit.add(batch(1));
    CompletableFuture<Void> a = commit.add(batch(1));
    CompletableFuture<Void> b = commit.add(batch(1));
    acks.get(0).complete(null);
    OverCapacityException overload = new OverCapacityException("busy", null);
    acks.get(1).completeExceptionally(overload);
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
    assertThat(a.handle((v, e) -> e).join()).isSameAs(overload);

    CompletableFuture<Void> c = commit.add(batch(1));
    assertThat(flushed).as("slot free again after the failure").hasSize(3);
    acks.get(2).complete(null);
    assertThat(c).isCompleted();
  }

  @Test
  void tooManyWaitingSpansOpenAnotherFlushRatherThanWaitWithoutBound() {
    commit.add(batch(1));
    commit.add(batch(IndexGroupCommit.MAX_MERGED_SPANS));
    assertThat(flushed).as("the waiting group reached the bound: flushed beside the first").hasSize(2);
  }
}
