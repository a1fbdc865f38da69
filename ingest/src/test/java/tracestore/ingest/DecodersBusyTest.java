package tracestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.ingest.Payloads.hex;
import static tracestore.ingest.Payloads.otlpRequest;
import static tracestore.ingest.Payloads.otlpSpan;
import static tracestore.ingest.Payloads.utf8;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracestore.storage.inmemory.InMemoryStorage;
import tracestore.storage.model.TraceId;

/**
 * When every decoder thread is busy and the pool's queue is full, a request gets 503 with
 * Retry-After and a message, is counted, and stores nothing; once the decoders free up, the same
 * request is stored.
 */
class DecodersBusyTest {
  @Test
  void aFullDecoderPoolAnswers503UntilItDrains() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    try (Harness h = new Harness(store.writer(), IngestConfig.newBuilder().decodeThreads(1).build())) {
      ThreadPoolExecutor decoders = h.ingest.decoders();
      CountDownLatch release = new CountDownLatch(1);
      Runnable blocker = () -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      decoders.execute(blocker);
      while (decoders.getQueue().remainingCapacity() > 0) decoders.execute(blocker);

      Random random = new Random(7);
      String trace = hex(random, 16);
      byte[] body = utf8(otlpRequest("busy", otlpSpan(trace, hex(random, 8), "op", "")));
      var busy = h.post(OtlpHttpReceiver.PATH, "application/json", body);
      assertThat(busy.statusCode()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(new String(busy.body(), StandardCharsets.UTF_8)).contains("all decoders are busy; retry later");
      assertThat(h.counter("tracestore.ingest.requests.rejected", "reason", "decoders_busy")).isEqualTo(1);
      assertThat(store.reader().getTrace(TraceId.parse(trace))).isEmpty();

      release.countDown();
      var retried = h.post(OtlpHttpReceiver.PATH, "application/json", body);
      assertThat(retried.statusCode()).isEqualTo(200);
      assertThat(store.reader().getTrace(TraceId.parse(trace))).hasSize(1);
    }
  }
}
