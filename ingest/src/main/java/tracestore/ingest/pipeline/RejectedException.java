package tracestore.ingest.pipeline;

import java.time.Duration;

/**
 * The pipeline refused a request before taking any of its spans: nothing of it is stored. The
 * receivers answer {@code QUEUE_FULL} with 429 and {@code CLOSED} with 503, both with {@code
 * Retry-After} ({@link #retryAfter()}); gRPC gets {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}.
 * {@code TOO_LARGE} (one request bigger than the whole queue) is 413 and not worth retrying.
 */
public final class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    QUEUE_FULL,
    CLOSED,
    TOO_LARGE
  }

  private final Reason reason;
  private final transient Duration retryAfter;

  RejectedException(Reason reason, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  public Reason reason() {
    return reason;
  }

  /** How long a client should wait before retrying. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
