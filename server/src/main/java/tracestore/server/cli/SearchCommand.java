package tracestore.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracestore search}: finds traces on a running server and prints one line per trace. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Searches a running server: every predicate must hold (AND). Newest first.")
final class SearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-s", "--service"}, description = "Service name (required with the other predicates).")
  String service;

  @Option(names = {"-o", "--operation"}, description = "Operation (span name) within the service.")
  String operation;

  @Option(names = {"-t", "--tag"}, paramLabel = "KEY=VALUE", description = "A tag; repeat for several.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--min-duration", paramLabel = "DURATION", description = "e.g. 250ms, 1.5s.")
  String minDuration;

  @Option(names = "--max-duration", paramLabel = "DURATION", description = "e.g. 2s.")
  String maxDuration;

  @Option(names = "--lookback", paramLabel = "DURATION", description = "How far back from now, e.g. 15m, 2h (default 1h).")
  String lookback = "1h";

  @Option(names = "--error", description = "Only traces with an error.")
  boolean error;

  @Option(names = "--limit", description = "At most this many traces (default 20).")
  int limit = 20;

  @Option(names = "--server", paramLabel = "URL",
      description = "The server's query URL (env TRACESTORE_SERVER, default http://localhost:9411).")
  String server;

  @Override
  public Integer call() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    put(params, "service", service);
    put(params, "operation", operation);
    params.put("tag", tags);
    put(params, "minDuration", minDuration);
    put(params, "maxDuration", maxDuration);
    put(params, "lookback", lookback);
    if (error) put(params, "error", "true");
    put(params, "limit", Integer.toString(limit));
    JsonNode result = new NativeClient(NativeClient.resolve(server)).search(params);
    print(result, spec.commandLine().getOut());
    return 0;
  }

  private static void put(Map<String, List<String>> params, String key, String value) {
    if (value != null && !value.isBlank()) params.put(key, List.of(value));
  }

  static void print(JsonNode result, PrintWriter out) {
    JsonNode hits = result.path("hits");
    out.printf(Locale.ROOT, "%-32s  %-24s  %10s  %5s  %6s  %s%n",
        "TRACE ID", "START (UTC)", "DURATION", "SPANS", "ERRORS", "ROOT");
    for (JsonNode h : hits) {
      long start = h.path("startEpochNanos").asLong(h.path("matchStartEpochNanos").asLong());
      Instant at = Instant.ofEpochSecond(start / 1_000_000_000L, start % 1_000_000_000L);
      out.printf(Locale.ROOT, "%-32s  %-24s  %10s  %5d  %6d  %s %s%n",
          h.path("traceId").asText(), at.toString().replaceFirst("\\.\\d+Z$", "Z"),
          Durations.format(h.path("durationNanos").asLong()), h.path("spanCount").asInt(),
          h.path("errorCount").asInt(), h.path("rootService").asText(), h.path("rootName").asText());
    }
    boolean complete = result.path("complete").asBoolean(true);
    out.printf(Locale.ROOT, "%d trace%s%s%n", hits.size(), hits.size() == 1 ? "" : "s",
        complete ? "" : " (more match: raise --limit or narrow the search)");
    out.flush();
  }
}
