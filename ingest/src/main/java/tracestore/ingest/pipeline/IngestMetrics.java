package tracestore.ingest.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The ingest meters, registered once on the given registry. Names (Prometheus turns dots into
 * underscores and adds {@code _total} to counters):
 *
 * <ul>
 *   <li>{@code tracestore.ingest.spans.received} {protocol}: spans decoded from requests, valid or not
 *   <li>{@code tracestore.ingest.spans.accepted}: spans durably written and acknowledged
 *   <li>{@code tracestore.ingest.spans.rejected} {reason}: spans refused or failed, by reason
 *   <li>{@code tracestore.ingest.requests.rejected} {reason}: whole requests refused or failed
 *   <li>{@code tracestore.ingest.batch.spans} / {@code tracestore.ingest.batch.bytes}: batch sizes
 *   <li>{@code tracestore.ingest.queue.bytes} / {@code tracestore.ingest.queue.requests}: gauges of
 *       accepted but unwritten work
 *   <li>{@code tracestore.ingest.write.latency} {outcome}: one write attempt to the store
 *   <li>{@code tracestore.ingest.write.retries}: write attempts repeated after a retryable failure
 * </ul>
 *
 * Reasons: {@code invalid}, {@code malformed}, {@code too_large}, {@code unsupported_media_type},
 * {@code decoders_busy}, {@code queue_full}, {@code closed}, {@code deadline}, {@code
 * storage_error}. Thread-safe.
 */
public final class IngestMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> received = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> rejectedSpans = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> rejectedRequests = new ConcurrentHashMap<>();
  private final Counter accepted;
  private final DistributionSummary batchSpans;
  private final DistributionSummary batchBytes;
  private final Timer writeOk;
  private final Timer writeFailed;
  private final Counter retries;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    accepted =
        Counter.builder("tracestore.ingest.spans.accepted")
            .description("Spans durably written and acknowledged")
            .register(registry);
    batchSpans =
        DistributionSummary.builder("tracestore.ingest.batch.spans")
            .description("Spans per write batch")
            .register(registry);
    batchBytes =
        DistributionSummary.builder("tracestore.ingest.batch.bytes")
            .description("Estimated bytes per write batch")
            .baseUnit("bytes")
            .register(registry);
    writeOk = writeTimer("ok");
    writeFailed = writeTimer("failed");
    retries =
        Counter.builder("tracestore.ingest.write.retries")
            .description("Write attempts repeated after a retryable storage failure")
            .register(registry);
  }

  private Timer writeTimer(String outcome) {
    return Timer.builder("tracestore.ingest.write.latency")
        .description("Latency of one write attempt to the store")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  /** Counts spans decoded from a request of {@code protocol} (otlp_http, otlp_grpc, zipkin). */
  public void received(String protocol, int spans) {
    if (spans <= 0) return;
    received
        .computeIfAbsent(
            protocol,
            p ->
                Counter.builder("tracestore.ingest.spans.received")
                    .description("Spans received, valid or not")
                    .tag("protocol", p)
                    .register(registry))
        .increment(spans);
  }

  /** Counts one rejected or failed request and its spans (0 when the body did not decode). */
  public void rejected(String reason, int spans) {
    rejectedRequests
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("tracestore.ingest.requests.rejected")
                    .description("Requests refused or failed, by reason")
                    .tag("reason", r)
                    .register(registry))
        .increment();
    rejectedSpans(reason, spans);
  }

  /** Counts spans rejected on their own (the request itself went on). */
  public void rejectedSpans(String reason, int spans) {
    if (spans <= 0) return;
    rejectedSpans
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("tracestore.ingest.spans.rejected")
                    .description("Spans refused or failed, by reason")
                    .tag("reason", r)
                    .register(registry))
        .increment(spans);
  }

  void accepted(int spans) {
    accepted.increment(spans);
  }

  void batch(int spans, long bytes) {
    batchSpans.record(spans);
    batchBytes.record(bytes);
  }

  void write(long nanos, boolean ok) {
    (ok ? writeOk : writeFailed).record(nanos, TimeUnit.NANOSECONDS);
  }

  void retry() {
    retries.increment();
  }
}
