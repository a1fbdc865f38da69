package tracestore.ingest.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the write pipeline. Immutable; {@link Builder#build()} validates every setting and
 * names the bad one. Sizes are estimated in-memory bytes of decoded spans (see {@link SpanSize}).
 */
public final class PipelineConfig {
  private final long maxQueueBytes;
  private final int maxBatchSpans;
  private final long maxBatchBytes;
  private final Duration flushInterval;
  private final int maxConcurrentWrites;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration requestDeadline;
  private final Duration retryAfter;

  private PipelineConfig(Builder b) {
    maxQueueBytes = b.maxQueueBytes;
    maxBatchSpans = b.maxBatchSpans;
    maxBatchBytes = b.maxBatchBytes;
    flushInterval = b.flushInterval;
    maxConcurrentWrites = b.maxConcurrentWrites;
    initialBackoff = b.initialBackoff;
    maxBackoff = b.maxBackoff;
    requestDeadline = b.requestDeadline;
    retryAfter = b.retryAfter;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public static PipelineConfig defaults() {
    return new Builder().build();
  }

  public Builder toBuilder() {
    return new Builder()
        .maxQueueBytes(maxQueueBytes)
        .maxBatchSpans(maxBatchSpans)
        .maxBatchBytes(maxBatchBytes)
        .flushInterval(flushInterval)
        .maxConcurrentWrites(maxConcurrentWrites)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .requestDeadline(requestDeadline)
        .retryAfter(retryAfter);
  }

  /** Bytes of accepted spans not yet written (queued or in flight); above it, submits are refused. */
  public long maxQueueBytes() {
    return maxQueueBytes;
  }

  /** A batch is flushed once it holds this many spans. */
  public int maxBatchSpans() {
    return maxBatchSpans;
  }

  /** A batch is flushed once its spans reach this many bytes. */
  public long maxBatchBytes() {
    return maxBatchBytes;
  }

  /**
   * A partial batch stops taking spans this long after its first span and waits for a write slot.
   * It is flushed earlier whenever the queue is empty and a slot is free.
   */
  public Duration flushInterval() {
    return flushInterval;
  }

  /** Writes in flight at once, retries included. */
  public int maxConcurrentWrites() {
    return maxConcurrentWrites;
  }

  /** Delay before the first retry; doubled per attempt, with jitter, up to {@link #maxBackoff()}. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** A request not durably written within this time after it was submitted fails (503). */
  public Duration requestDeadline() {
    return requestDeadline;
  }

  /** What rejections suggest as {@code Retry-After}. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String toString() {
    return "PipelineConfig{maxQueueBytes=" + maxQueueBytes + ", maxBatchSpans=" + maxBatchSpans
        + ", maxBatchBytes=" + maxBatchBytes + ", flushInterval=" + flushInterval
        + ", maxConcurrentWrites=" + maxConcurrentWrites + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff + ", requestDeadline=" + requestDeadline
        + ", retryAfter=" + retryAfter + '}';
  }

  /** Defaults: 64 MiB queue, batches of 1,000 spans / 4 MiB / 200 ms, 4 writes, 10 s deadline. */
  public static final class Builder {
    private long maxQueueBytes = 64L << 20;
    private int maxBatchSpans = 1_000;
    private long maxBatchBytes = 4L << 20;
    private Duration flushInterval = Duration.ofMillis(200);
    private int maxConcurrentWrites = 4;
    private Duration initialBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private Duration requestDeadline = Duration.ofSeconds(10);
    private Duration retryAfter = Duration.ofSeconds(1);

    private Builder() {}

    public Builder maxQueueBytes(long v) {
      maxQueueBytes = v;
      return this;
    }

    public Builder maxBatchSpans(int v) {
      maxBatchSpans = v;
      return this;
    }

    public Builder maxBatchBytes(long v) {
      maxBatchBytes = v;
      return this;
    }

    public Builder flushInterval(Duration v) {
      flushInterval = v;
      return this;
    }

    public Builder maxConcurrentWrites(int v) {
      maxConcurrentWrites = v;
      return this;
    }

    public Builder initialBackoff(Duration v) {
      initialBackoff = v;
      return this;
    }

    public Builder maxBackoff(Duration v) {
      maxBackoff = v;
      return this;
    }

    public Builder requestDeadline(Duration v) {
      requestDeadline = v;
      return this;
    }

    public Builder retryAfter(Duration v) {
      retryAfter = v;
      return this;
    }

    public PipelineConfig build() {
      positive("maxQueueBytes", maxQueueBytes);
      positive("maxBatchSpans", maxBatchSpans);
      positive("maxBatchBytes", maxBatchBytes);
      positive("maxConcurrentWrites", maxConcurrentWrites);
      positive("flushInterval", flushInterval);
      positive("initialBackoff", initialBackoff);
      positive("maxBackoff", maxBackoff);
      positive("requestDeadline", requestDeadline);
      positive("retryAfter", retryAfter);
      if (maxBatchBytes > maxQueueBytes) {
        throw new IllegalArgumentException(
            "maxBatchBytes (" + maxBatchBytes + ") must not exceed maxQueueBytes (" + maxQueueBytes + ")");
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
      }
      return new PipelineConfig(this);
    }

    private static void positive(String name, long v) {
      if (v <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }

    private static void positive(String name, Duration v) {
      Objects.requireNonNull(v, name + " == null");
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0, got " + v);
      }
    }
  }
}
