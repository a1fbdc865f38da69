package tracestore.server;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Runs a health check at most once per {@code maxAgeNanos}, whatever the request rate: callers
 * within that age get the last outcome, and callers that arrive while a check runs wait for it and
 * share its outcome. A flood of {@code /health} requests therefore costs the backend one check per
 * period instead of one per request. Thread-safe.
 */
final class CachedCheck {
  private final Runnable check;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private boolean done;
  private long checkedAt;
  private String error;

  CachedCheck(Runnable check, long maxAgeNanos, LongSupplier nanoClock) {
    this.check = Objects.requireNonNull(check, "check == null");
    if (maxAgeNanos < 0) throw new IllegalArgumentException("maxAgeNanos < 0: " + maxAgeNanos);
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock == null");
  }

  /** Returns null when the check passed, else why it failed. */
  synchronized String run() {
    long now = nanoClock.getAsLong();
    if (done && now - checkedAt < maxAgeNanos) return error;
    String outcome = null;
    try {
      check.run();
    } catch (RuntimeException e) {
      outcome = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    error = outcome;
    checkedAt = nanoClock.getAsLong();
    done = true;
    return outcome;
  }
}
