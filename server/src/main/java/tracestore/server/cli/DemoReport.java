package tracestore.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code tracestore demo} prints after sending: three traces as trees, the slowest traces over a
 * threshold (found by the server's search), and per-service stats with the bottleneck named. Every
 * figure comes from the traces read back from the server, not from what was sent.
 */
final class DemoReport {
  /** Per-service figures over the read-back traces. */
  static final class ServiceStats {
    final String service;
    final List<Long> durations = new ArrayList<>();
    int errors;
    long criticalPathNanos;

    ServiceStats(String service) {
      this.service = service;
    }

    long percentile(double p) {
      List<Long> sorted = new ArrayList<>(durations);
      Collections.sort(sorted);
      int rank = (int) Math.ceil(p / 100.0 * sorted.size());
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
  }

  private DemoReport() {}

  /** Aggregates the traces, in service-name order. */
  static Map<String, ServiceStats> stats(List<JsonNode> traces) {
    Map<String, ServiceStats> byService = new TreeMap<>();
    for (JsonNode t : traces) {
      for (JsonNode s : t.path("spans")) {
        ServiceStats st = byService.computeIfAbsent(s.path("service").asText(), ServiceStats::new);
        st.durations.add(s.path("durationNanos").asLong());
        if (s.path("error").asBoolean()) st.errors++;
      }
      for (JsonNode share : t.path("serviceShares")) {
        ServiceStats st = byService.computeIfAbsent(share.path("service").asText(), ServiceStats::new);
        st.criticalPathNanos += share.path("criticalPathNanos").asLong();
      }
    }
    return byService;
  }

  /** The service with the most critical-path time over all traces. */
  static ServiceStats bottleneck(Map<String, ServiceStats> stats) {
    ServiceStats best = null;
    for (ServiceStats s : stats.values()) {
      if (best == null || s.criticalPathNanos > best.criticalPathNanos) best = s;
    }
    return best;
  }

  static void printExamples(Map<String, JsonNode> examples, PrintWriter out) {
    int i = 1;
    for (Map.Entry<String, JsonNode> e : examples.entrySet()) {
      out.printf(Locale.ROOT, "%n== example %d: %s%n", i++, e.getKey());
      TreePrinter.print(e.getValue(), out);
    }
  }

  static void printSlowest(JsonNode search, String threshold, PrintWriter out) {
    List<JsonNode> hits = new ArrayList<>();
    search.path("hits").forEach(hits::add);
    hits.sort((a, b) -> Long.compare(b.path("durationNanos").asLong(), a.path("durationNanos").asLong()));
    out.printf(Locale.ROOT, "%n== slowest traces over %s (server search: service=frontend minDuration=%s): %d%s%n",
        threshold, threshold, hits.size(), search.path("complete").asBoolean(true) ? "" : "+");
    out.printf(Locale.ROOT, "%-32s  %10s  %5s  %6s  %s%n", "TRACE ID", "DURATION", "SPANS", "ERRORS", "ROOT");
    for (JsonNode h : hits.subList(0, Math.min(10, hits.size()))) {
      out.printf(Locale.ROOT, "%-32s  %10s  %5d  %6d  %s %s%n", h.path("traceId").asText(),
          Durations.format(h.path("durationNanos").asLong()), h.path("spanCount").asInt(),
          h.path("errorCount").asInt(), h.path("rootService").asText(), h.path("rootName").asText());
    }
  }

  static void printStats(Map<String, ServiceStats> stats, int traceCount, PrintWriter out) {
    long totalCritical = 0;
    for (ServiceStats s : stats.values()) totalCritical += s.criticalPathNanos;
    ServiceStats bottleneck = bottleneck(stats);
    out.printf(Locale.ROOT, "%n== per-service stats over %d traces (span durations; critical path = time the request waited on it)%n",
        traceCount);
    out.printf(Locale.ROOT, "%-24s %6s %7s %10s %10s %10s %14s%n",
        "SERVICE", "SPANS", "ERRORS", "P50", "P95", "P99", "CRITICAL PATH");
    List<ServiceStats> ordered = new ArrayList<>(stats.values());
    ordered.sort((a, b) -> Long.compare(b.criticalPathNanos, a.criticalPathNanos));
    for (ServiceStats s : ordered) {
      out.printf(Locale.ROOT, "%-24s %6d %6.1f%% %10s %10s %10s %14s%s%n", s.service, s.durations.size(),
          100.0 * s.errors / Math.max(1, s.durations.size()),
          Durations.format(s.percentile(50)), Durations.format(s.percentile(95)), Durations.format(s.percentile(99)),
          Durations.percent(totalCritical == 0 ? 0 : (double) s.criticalPathNanos / totalCritical),
          s == bottleneck ? "  <- bottleneck" : "");
    }
    if (bottleneck != null) {
      out.printf(Locale.ROOT, "bottleneck overall: %s (%s of all critical-path time; p99 %s)%n", bottleneck.service,
          Durations.percent(totalCritical == 0 ? 0 : (double) bottleneck.criticalPathNanos / totalCritical),
          Durations.format(bottleneck.percentile(99)));
    }
  }

  /** Picks the three example traces: the known slow one, a failing one, the slowest of the rest. */
  static Map<String, JsonNode> examples(List<DemoTraffic.Sent> sent, Map<String, JsonNode> read) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    DemoTraffic.Sent first = sent.get(0);
    if (read.containsKey(first.traceId())) {
      out.put("a slow " + first.shape() + " request (" + first.note() + ")", read.get(first.traceId()));
    }
    for (DemoTraffic.Sent s : sent) {
      if (s.note().equals("failing") && read.containsKey(s.traceId())) {
        out.put("a failing " + s.shape() + " request", read.get(s.traceId()));
        break;
      }
    }
    DemoTraffic.Sent slowest = null;
    for (DemoTraffic.Sent s : sent.subList(1, sent.size())) {
      if (!read.containsKey(s.traceId()) || s.note().equals("failing")) continue;
      if (!s.shape().equals("web") && (slowest == null || s.durationNanos() > slowest.durationNanos())) slowest = s;
    }
    if (slowest != null) {
      out.put("the slowest " + slowest.shape() + " request", read.get(slowest.traceId()));
    }
    return out;
  }
}
