package tracestore.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tracestore.storage.IndexPolicy;
import tracestore.storage.StorageException;
import tracestore.storage.WriteBatches;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

class IngestPipelineTest {
  final Random random = new Random(42);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final InMemoryStorage store = new InMemoryStorage();
  final BatchEncoder encoder = WriteBatches.create(IndexPolicy.everyKey())::toBatch;
  IngestPipeline pipeline;

  @AfterEach
  void closePipeline() {
    if (pipeline != null) pipeline.close();
  }

  PipelineConfig.Builder config() {
    return PipelineConfig.newBuilder()
        .maxBatchSpans(7)
        .flushInterval(Duration.ofMillis(20))
        .initialBackoff(Duration.ofMillis(5))
        .maxBackoff(Duration.ofMillis(20))
        .requestDeadline(Duration.ofSeconds(5))
        .maxConcurrentWrites(2);
  }

  IngestPipeline start(tracestore.storage.SpanWriter writer, PipelineConfig config) {
    pipeline = IngestPipeline.start(writer, encoder, config, new IngestMetrics(registry));
    return pipeline;
  }

  /** {@code traces} traces of {@code perTrace} spans each, interleaved like a collector sends. */
  List<Span> spans(int traces, int perTrace) {
    List<Span> out = new ArrayList<>();
    List<TraceId> ids = new ArrayList<>();
    for (int t = 0; t < traces; t++) ids.add(new TraceId(random.nextLong(), random.nextLong() | 1));
    for (int i = 0; i < perTrace; i++) {
      for (TraceId id : ids) {
        out.add(
            Span.newBuilder()
                .traceId(id)
                .spanId(random.nextLong() | 1)
                .name("op" + i)
                .service("svc" + (i % 3))
                .startEpochNanos(1_700_000_000_000_000_000L + i)
                .durationNanos(1000)
                .addTag("k", "v" + i)
                .build());
      }
    }
    return out;
  }

  /** What a reader sees of the traces of {@code sent}. */
  List<Span> stored(List<Span> sent) {
    Set<TraceId> ids = new LinkedHashSet<>();
    for (Span s : sent) ids.add(s.traceId());
    List<Span> out = new ArrayList<>();
    for (List<Span> trace : store.reader().getTraces(ids)) out.addAll(trace);
    return out;
  }

  static void await(CompletionStage<Void> s) throws Exception {
    s.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(CompletionStage<Void> s) throws Exception {
    try {
      s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void everySpanIsStoredOnceAndBatchesRespectTheSpanLimit() throws Exception {
    start(store.writer(), config().build());
    List<Span> all = new ArrayList<>();
    List<CompletionStage<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<Span> request = spans(1 + random.nextInt(4), 1 + random.nextInt(5));
      all.addAll(request);
      acks.add(pipeline.submit(request));
    }
    for (CompletionStage<Void> a : acks) await(a);
    assertThat(stored(all)).containsExactlyInAnyOrderElementsOf(all);
    var batches = registry.find("tracestore.ingest.batch.spans").summary();
    assertThat(batches.max()).isLessThanOrEqualTo(7);
    assertThat((long) batches.totalAmount()).isEqualTo(all.size());
    assertThat(counter("tracestore.ingest.spans.accepted")).isEqualTo(all.size());
    assertThat(pipeline.pendingBytes()).isZero();
  }

  @Test
  void acknowledgesOnlyAfterTheWriteCompletes() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    start(writer, config().build());
    List<Span> request = spans(3, 3);
    CompletableFuture<Void> ack = pipeline.submit(request).toCompletableFuture();
    Thread.sleep(200); // several flush intervals: the batches are written, but not yet durable
    assertThat(writer.calls.get()).isGreaterThan(0);
    assertThat(ack).isNotDone();
    assertThat(stored(request)).isEmpty();
    writer.open();
    await(ack);
    assertThat(stored(request)).containsExactlyInAnyOrderElementsOf(request);
  }

  static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("condition not met in 10 s");
      Thread.sleep(1);
    }
  }

  @Test
  void anIdleWriterTakesAPartialBatchAtOnceAndABusyOneGetsLaterRequestsMerged() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    start(writer, config().maxBatchSpans(10_000).maxConcurrentWrites(1).flushInterval(Duration.ofHours(1)).build());
    long t0 = System.nanoTime();
    CompletionStage<Void> first = pipeline.submit(spans(1, 2));
    until(() -> writer.calls.get() == 1); // no flush interval wait: the slot was free
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
    List<CompletionStage<Void>> later = new ArrayList<>();
    for (int i = 0; i < 3; i++) later.add(pipeline.submit(spans(1, 2))); // slot busy: one batch
    Thread.sleep(100);
    writer.open();
    await(first);
    for (CompletionStage<Void> a : later) await(a);
    assertThat(writer.calls.get()).isEqualTo(2);
  }

  @Test
  void aPartialBatchStopsTakingSpansAfterTheFlushInterval() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    start(writer, config().maxBatchSpans(10_000).maxConcurrentWrites(1).flushInterval(Duration.ofMillis(100)).build());
    CompletionStage<Void> a = pipeline.submit(spans(1, 2));
    until(() -> writer.calls.get() == 1);
    CompletionStage<Void> b = pipeline.submit(spans(1, 2)); // waits in a partial batch
    Thread.sleep(400); // past the flush interval: that batch is closed, waiting for the slot
    CompletionStage<Void> c = pipeline.submit(spans(1, 2)); // so this one starts a new batch
    writer.open();
    await(a);
    await(b);
    await(c);
    assertThat(writer.calls.get()).isEqualTo(3);
  }

  @Test
  void aFullBatchByBytesIsFlushedWithoutWaiting() throws Exception {
    List<Span> request = spans(3, 4); // 12 equal-sized spans: four full batches of 3
    long oneSpan = SpanSize.estimate(request.get(0));
    start(
        store.writer(),
        config().maxBatchSpans(10_000).maxBatchBytes(oneSpan * 3).flushInterval(Duration.ofHours(1)).build());
    CompletionStage<Void> ack = pipeline.submit(request);
    await(ack); // would take an hour if only time flushed
    assertThat(registry.find("tracestore.ingest.batch.spans").summary().max()).isLessThanOrEqualTo(3);
  }

  @Test
  void retryableFailuresAreRetriedUntilStored() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer(), 3, StorageException.retryable("connection reset", null));
    start(writer, config().maxBatchSpans(1000).build());
    List<Span> request = spans(2, 2);
    await(pipeline.submit(request));
    assertThat(stored(request)).containsExactlyInAnyOrderElementsOf(request);
    assertThat(counter("tracestore.ingest.write.retries")).isEqualTo(3);
    assertThat(writer.calls.get()).isEqualTo(4);
  }

  @Test
  void permanentFailuresAreNotRetried() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer(), 1, StorageException.permanent("schema is too old", null));
    start(writer, config().maxBatchSpans(1000).build());
    Throwable t = failure(pipeline.submit(spans(2, 2)));
    assertThat(t).isInstanceOf(StorageException.class).hasMessage("schema is too old");
    assertThat(writer.calls.get()).isEqualTo(1);
    assertThat(counter("tracestore.ingest.requests.rejected", "reason", "storage_error")).isEqualTo(1);
  }

  @Test
  void aRequestNotStoredByItsDeadlineFailsWithTheLastError() throws Exception {
    FlakyWriter writer =
        new FlakyWriter(store.writer(), Integer.MAX_VALUE, StorageException.retryable("database is down", null));
    start(writer, config().requestDeadline(Duration.ofMillis(300)).build());
    long t0 = System.nanoTime();
    Throwable t = failure(pipeline.submit(spans(3, 3)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(t)
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("9 spans were not all stored within 300 ms")
        .hasMessageContaining("database is down");
    assertThat(ms).isBetween(250L, 3_000L);
    assertThat(writer.calls.get()).isGreaterThan(2);
    assertThat(counter("tracestore.ingest.requests.rejected", "reason", "deadline")).isEqualTo(1);
  }

  @Test
  void aRequestSplitOverBatchesFailsWholeWhenOnePartCannotBeStored() throws Exception {
    // The first batch (7 spans) is stored, the second fails for good: the request still fails.
    FlakyWriter writer = new FlakyWriter(store.writer());
    tracestore.storage.SpanWriter failSecond =
        new tracestore.storage.SpanWriter() {
          final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

          @Override
          public CompletionStage<Void> write(tracestore.storage.WriteBatch b) {
            return n.incrementAndGet() == 2
                ? CompletableFuture.failedFuture(StorageException.permanent("corrupt", null))
                : writer.write(b);
          }
        };
    start(failSecond, config().maxConcurrentWrites(1).build());
    List<Span> request = spans(2, 5);
    Throwable t = failure(pipeline.submit(request));
    assertThat(t).hasMessage("corrupt");
    assertThat(stored(request)).hasSize(7);
  }

  @Test
  void aRequestThatPoisonsASharedBatchFailsAloneAndTheOthersAreStored() throws Exception {
    FlakyWriter gate = new FlakyWriter(store.writer()).close();
    List<Span> poison = spans(1, 3);
    TraceId bad = poison.get(0).traceId();
    tracestore.storage.SpanWriter refusesPoison =
        b ->
            b.chunks().stream().anyMatch(c -> c.traceId().equals(bad))
                ? CompletableFuture.failedFuture(StorageException.permanent("value too long for column", null))
                : gate.write(b);
    start(refusesPoison, config().maxBatchSpans(1000).maxConcurrentWrites(1).build());
    CompletionStage<Void> first = pipeline.submit(spans(1, 1));
    until(() -> gate.calls.get() == 1); // the slot is busy: the next three share one batch
    List<Span> before = spans(2, 2);
    List<Span> after = spans(2, 2);
    CompletionStage<Void> a = pipeline.submit(before);
    CompletionStage<Void> p = pipeline.submit(poison);
    CompletionStage<Void> c = pipeline.submit(after);
    gate.open();
    await(first);
    await(a);
    await(c);
    assertThat(failure(p)).hasMessage("value too long for column");
    assertThat(stored(before)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(stored(after)).containsExactlyInAnyOrderElementsOf(after);
    assertThat(stored(poison)).isEmpty();
    assertThat(pipeline.pendingBytes()).isZero();
  }

  @Test
  void aRequestThatCannotBeEncodedFailsAloneAndTheOthersAreStored() throws Exception {
    FlakyWriter gate = new FlakyWriter(store.writer()).close();
    List<Span> poison = spans(1, 2);
    TraceId bad = poison.get(0).traceId();
    BatchEncoder real = encoder;
    BatchEncoder refusing =
        spans -> {
          for (Span s : spans) {
            if (s.traceId().equals(bad)) throw new IllegalArgumentException("cannot encode " + bad);
          }
          return real.encode(spans);
        };
    pipeline = IngestPipeline.start(gate, refusing, config().maxBatchSpans(1000).maxConcurrentWrites(1).build(), new IngestMetrics(registry));
    CompletionStage<Void> first = pipeline.submit(spans(1, 1));
    until(() -> gate.calls.get() == 1);
    List<Span> good = spans(3, 1);
    CompletionStage<Void> p = pipeline.submit(poison);
    CompletionStage<Void> g = pipeline.submit(good);
    gate.open();
    await(first);
    await(g);
    assertThat(failure(p)).isInstanceOf(IllegalArgumentException.class).hasMessage("cannot encode " + bad);
    assertThat(stored(good)).containsExactlyInAnyOrderElementsOf(good);
    assertThat(counter("tracestore.ingest.requests.rejected", "reason", "invalid")).isEqualTo(1);
  }

  @Test
  void aFullQueueRefusesAndTheAcceptedRequestsAreAllStored() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    List<Span> sample = spans(1, 5);
    long requestBytes = SpanSize.estimate(sample);
    start(
        writer,
        config().maxQueueBytes(requestBytes * 4).maxBatchBytes(requestBytes).maxConcurrentWrites(1).build());
    List<List<Span>> accepted = new ArrayList<>();
    List<CompletionStage<Void>> acks = new ArrayList<>();
    RejectedException refused = null;
    for (int i = 0; i < 20 && refused == null; i++) {
      List<Span> request = spans(1, 5);
      CompletableFuture<Void> ack = pipeline.submit(request).toCompletableFuture();
      if (ack.isCompletedExceptionally()) {
        refused = (RejectedException) failure(ack);
      } else {
        accepted.add(request);
        acks.add(ack);
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(RejectedException.Reason.QUEUE_FULL);
    assertThat(refused.getMessage()).contains("ingest queue is full");
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(accepted).hasSize(4);
    writer.open();
    for (CompletionStage<Void> a : acks) await(a);
    List<Span> flat = accepted.stream().flatMap(List::stream).toList();
    assertThat(stored(flat)).containsExactlyInAnyOrderElementsOf(flat);
    assertThat(counter("tracestore.ingest.requests.rejected", "reason", "queue_full")).isEqualTo(1);
  }

  @Test
  void writesInFlightNeverExceedTheLimit() throws Exception {
    FlakyWriter writer = new FlakyWriter(store.writer()).close();
    start(writer, config().maxBatchSpans(2).maxConcurrentWrites(3).build());
    List<CompletionStage<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 10; i++) acks.add(pipeline.submit(spans(2, 2)));
    Thread.sleep(200);
    assertThat(writer.inFlight.get()).isEqualTo(3);
    writer.open();
    for (CompletionStage<Void> a : acks) await(a);
    assertThat(writer.maxInFlight.get()).isEqualTo(3);
  }

  @Test
  void closeDrainsEverythingAcceptedThenRefuses() throws Exception {
    start(store.writer(), config().flushInterval(Duration.ofSeconds(30)).maxBatchSpans(1000).build());
    List<Span> all = new ArrayList<>();
    List<CompletionStage<Void>> acks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<Span> r = spans(2, 3);
      all.addAll(r);
      acks.add(pipeline.submit(r));
    }
    pipeline.closeAsync().toCompletableFuture().get(5, TimeUnit.SECONDS);
    for (CompletionStage<Void> a : acks) assertThat(a.toCompletableFuture()).isCompleted();
    assertThat(stored(all)).containsExactlyInAnyOrderElementsOf(all);
    Throwable t = failure(pipeline.submit(spans(1, 1)));
    assertThat(t).isInstanceOf(RejectedException.class);
    assertThat(((RejectedException) t).reason()).isEqualTo(RejectedException.Reason.CLOSED);
  }

  @Test
  void configValidationNamesTheSetting() {
    assertThatThrownBy(() -> PipelineConfig.newBuilder().maxBatchSpans(0).build())
        .hasMessage("maxBatchSpans must be > 0, got 0");
    assertThatThrownBy(() -> PipelineConfig.newBuilder().flushInterval(Duration.ZERO).build())
        .hasMessage("flushInterval must be > 0, got PT0S");
    assertThatThrownBy(() -> PipelineConfig.newBuilder().maxQueueBytes(10).maxBatchBytes(11).build())
        .hasMessage("maxBatchBytes (11) must not exceed maxQueueBytes (10)");
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndIsCapped() {
    start(store.writer(), config().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(350)).build());
    for (int i = 0; i < 50; i++) {
      assertThat(pipeline.backoffNanos(1)).isBetween(50_000_000L, 100_000_000L);
      assertThat(pipeline.backoffNanos(2)).isBetween(100_000_000L, 200_000_000L);
      assertThat(pipeline.backoffNanos(10)).isBetween(175_000_000L, 350_000_000L);
    }
  }
}
