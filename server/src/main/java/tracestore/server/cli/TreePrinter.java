package tracestore.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints one trace (the native API's JSON) as an indented tree: service, operation, duration and
 * self time per span; {@code *} marks spans on the critical path, {@code !} errors, and the
 * bottleneck span is pointed at. Then the critical path's share per service, bottleneck first.
 *
 * <pre>
 * trace 463ac35c9f6413ad48485a3953bb6124  frontend GET /checkout  1.2s  7 spans, 1 error
 *                                                      duration      self
 * frontend GET /checkout                                 1204.0ms     4.0ms *
 * └─ api-gateway POST /orders                            1195.0ms     6.0ms *
 *    ├─ auth-service verify-token                          20.0ms    20.0ms
 *    └─ data-service load-orders                         1160.0ms    40.0ms *
 *       └─ database SELECT orders                        1120.0ms  1120.0ms *  &lt;- bottleneck
 * </pre>
 */
final class TreePrinter {
  private static final int MAX_LABEL = 72;

  private TreePrinter() {}

  static void print(JsonNode trace, PrintWriter out) {
    JsonNode spans = trace.path("spans");
    int n = spans.size();
    String traceId = trace.path("traceId").asText();
    long duration = trace.path("durationNanos").asLong();
    int errors = trace.path("errorCount").asInt();
    JsonNode root = n > 0 ? spans.get(0) : null;
    out.printf(Locale.ROOT, "trace %s  %s %s  %s  %d span%s, %d error%s%n", traceId,
        root == null ? "" : root.path("service").asText(), root == null ? "" : root.path("name").asText(),
        Durations.format(duration), n, n == 1 ? "" : "s", errors, errors == 1 ? "" : "s");

    List<String> labels = labels(spans);
    int width = 10;
    for (String l : labels) width = Math.max(width, Math.min(MAX_LABEL, l.length()));
    out.printf(Locale.ROOT, "%-" + width + "s  %10s  %10s%n", "", "duration", "self");
    for (int i = 0; i < n; i++) {
      JsonNode s = spans.get(i);
      String label = labels.get(i);
      if (label.length() > MAX_LABEL) label = label.substring(0, MAX_LABEL - 1) + "…";
      StringBuilder marks = new StringBuilder();
      if (s.path("criticalPathNanos").asLong() > 0) marks.append(" *");
      if (s.path("error").asBoolean()) marks.append(" ! ").append(errorText(s));
      if (s.path("bottleneck").asBoolean()) marks.append("  <- bottleneck");
      if (s.has("flags")) marks.append("  ").append(s.path("flags").toString());
      out.printf(Locale.ROOT, "%-" + width + "s  %10s  %10s%s%n", label,
          Durations.format(s.path("durationNanos").asLong()),
          Durations.format(s.path("selfTimeNanos").asLong()), marks);
    }
    JsonNode b = trace.path("bottleneck");
    if (!b.isMissingNode()) {
      out.printf(Locale.ROOT, "bottleneck: %s (%s of the critical path; slowest span %s, %s on the path)%n",
          b.path("service").asText(), Durations.percent(b.path("criticalPathFraction").asDouble()),
          b.path("spanName").asText(), Durations.format(b.path("spanCriticalPathNanos").asLong()));
    }
    StringBuilder shares = new StringBuilder();
    for (JsonNode s : trace.path("serviceShares")) {
      if (shares.length() > 0) shares.append(", ");
      shares.append(s.path("service").asText()).append(' ')
          .append(Durations.percent(s.path("criticalPathFraction").asDouble()));
    }
    if (shares.length() > 0) out.println("critical path by service: " + shares);
    out.flush();
  }

  private static String errorText(JsonNode s) {
    String msg = s.path("statusMessage").asText("");
    return msg.isEmpty() ? "error" : "error: " + msg;
  }

  /** Tree labels: connectors from the depth of each node in the depth-first list. */
  static List<String> labels(JsonNode spans) {
    int n = spans.size();
    int[] depth = new int[n];
    for (int i = 0; i < n; i++) depth[i] = spans.get(i).path("depth").asInt();
    boolean[] last = new boolean[n];
    for (int i = 0; i < n; i++) {
      last[i] = true;
      for (int j = i + 1; j < n && depth[j] >= depth[i]; j++) {
        if (depth[j] == depth[i]) {
          last[i] = false;
          break;
        }
      }
    }
    List<String> out = new ArrayList<>(n);
    List<Boolean> open = new ArrayList<>(); // open.get(d): the ancestor at depth d has later siblings
    for (int i = 0; i < n; i++) {
      int d = Math.max(0, depth[i]);
      while (open.size() > d) open.remove(open.size() - 1);
      StringBuilder sb = new StringBuilder();
      for (int k = 1; k < d; k++) sb.append(k < open.size() && open.get(k) ? "│  " : "   ");
      if (d > 0) sb.append(last[i] ? "└─ " : "├─ ");
      JsonNode s = spans.get(i);
      sb.append(s.path("service").asText()).append(' ').append(s.path("name").asText());
      out.add(sb.toString());
      while (open.size() < d) open.add(Boolean.FALSE);
      open.add(!last[i]);
    }
    return out;
  }
}
