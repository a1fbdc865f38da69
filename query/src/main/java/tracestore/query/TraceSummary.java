package tracestore.query;

import java.util.List;
import tracestore.storage.model.Trace;

/**
 * A one-line view of a trace for search results, taken from its assembled {@link Trace}.
 *
 * @param startEpochNanos the earliest span start
 * @param durationNanos latest span end minus earliest start
 * @param rootService service of the assembled tree's root
 * @param rootName its operation name
 * @param services every service in the trace, sorted
 */
record TraceSummary(
    long startEpochNanos,
    long durationNanos,
    String rootService,
    String rootName,
    int spanCount,
    int errorCount,
    List<String> services) {

  static TraceSummary of(Trace t) {
    return new TraceSummary(
        t.startEpochNanos(),
        t.durationNanos(),
        t.root().span().service(),
        t.root().span().name(),
        t.spanCount(),
        t.errorCount(),
        t.services());
  }
}
