package tracestore.storage.model;

/**
 * Where one service spends a trace's time.
 *
 * @param service the service name
 * @param spanCount spans of this service in the trace (after duplicates are merged)
 * @param criticalPathNanos nanoseconds of the critical path spent in this service's spans
 * @param criticalPathFraction {@code criticalPathNanos} over the trace duration, 0 for a trace of
 *     zero duration. Over all services these sum to root duration / trace duration: 1 unless a
 *     span starts before or ends after the root
 * @param selfTimeNanos the sum of the self times of this service's spans; parallel work can make
 *     the total over services exceed the trace duration
 * @param selfTimeFraction {@code selfTimeNanos} over the trace duration, 0 for a trace of zero
 *     duration
 */
public record ServiceShare(
    String service,
    int spanCount,
    long criticalPathNanos,
    double criticalPathFraction,
    long selfTimeNanos,
    double selfTimeFraction) {}
