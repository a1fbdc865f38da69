package tracestore.server;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.retention.AggregationJob;
import tracestore.retention.RetentionPolicy;
import tracestore.retention.RetentionRunner;
import tracestore.storage.Storage;

/**
 * The {@code retention} role of {@code serve}: the aggregation job on its own scheduler thread,
 * with the configured {@link RetentionPolicy}, its lag as gauges, stopped when the server stops (before
 * storage closes).
 */
final class RetentionRole {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionRole.class);
  static final Duration FIRST_RUN = Duration.ofMinutes(1);
  static final Duration PERIOD = Duration.ofMinutes(5);

  private RetentionRole() {}

  /** Starts the role, or logs why not and returns null when the backend keeps no rollups. */
  static RetentionRunner start(
      Storage storage, RetentionPolicy policy, MeterRegistry registry, ServerBuilder sb) {
    try {
      storage.rollups().watermark(AggregationJob.JOB);
    } catch (UnsupportedOperationException e) {
      LOG.warn("retention role not started: {}", e.getMessage());
      return null;
    }
    AggregationJob job = AggregationJob.newBuilder()
        .store(storage.rollups())
        .reader(storage.reader())
        .policy(policy)
        .owner(System.getenv().getOrDefault("HOSTNAME", "localhost") + '/' + ProcessHandle.current().pid())
        .build();
    RetentionRunner runner =
        new RetentionRunner(job, storage.rollups(), () -> System.currentTimeMillis() * 1_000_000L);
    Gauge.builder("tracestore.retention.lag", runner, r -> Math.max(0, r.lagNanos()) / 1e9)
        .baseUnit("seconds")
        .description("How far the aggregation watermark trails the wall clock")
        .register(registry);
    Gauge.builder("tracestore.retention.lag.near.raw.retention", runner, r -> r.lagNearRawRetention() ? 1 : 0)
        .description("1 when the lag passed 80% of raw retention (Cassandra TTL would expire unaggregated spans)")
        .register(registry);
    sb.serverListener(ServerListener.builder().whenStopping(s -> runner.close()).build());
    runner.start(FIRST_RUN, PERIOD);
    return runner;
  }
}
