package tracestore.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracestore demo}: the seed's example against a running server. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Sends traces shaped like a multi-tier system (web, checkout, video, banking; some slow, some failing)",
      "with the OpenTelemetry SDK over OTLP/HTTP, reads them back, and prints three trees, the slowest",
      "traces over a threshold and per-service stats with the bottleneck named."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--otlp-endpoint", paramLabel = "URL", description = "OTLP/HTTP base URL (default http://localhost:4318).")
  String otlpEndpoint = "http://localhost:4318";

  @Option(names = "--server", paramLabel = "URL",
      description = "The server's query URL (env TRACESTORE_SERVER, default http://localhost:9411).")
  String server;

  @Option(names = "--traces", description = "How many traces to send, 1..2000 (default 200).")
  int traces = 200;

  @Option(names = "--seed", description = "Random seed, for a repeatable run (default 42).")
  long seed = 42;

  @Option(names = "--slow", paramLabel = "DURATION", description = "The slow-trace threshold (default 500ms).")
  String slow = "500ms";

  @Override
  public Integer call() {
    if (traces < 1 || traces > 2000) throw new CliException("--traces must be 1..2000, got " + traces);
    PrintWriter out = spec.commandLine().getOut();
    NativeClient client = new NativeClient(NativeClient.resolve(server));
    List<DemoTraffic.Sent> sent;
    try (DemoTraffic traffic = new DemoTraffic(otlpEndpoint, seed)) {
      traffic.send(traces);
      traffic.flush();
      sent = traffic.sent();
    }
    out.printf(Locale.ROOT, "sent %d traces with the OpenTelemetry SDK over OTLP/HTTP to %s%n", sent.size(), otlpEndpoint);

    Map<String, JsonNode> read = new LinkedHashMap<>();
    for (DemoTraffic.Sent s : sent) read.put(s.traceId(), client.trace(s.traceId()));
    int spans = 0;
    for (JsonNode t : read.values()) spans += t.path("spanCount").asInt();
    out.printf(Locale.ROOT, "read back %d of %d traces (%d spans) from %s%n", read.size(), sent.size(), spans, client.base());

    DemoReport.printExamples(DemoReport.examples(sent, read), out);
    JsonNode slowest = client.search(Map.of(
        "service", List.of("frontend"), "minDuration", List.of(slow), "lookback", List.of("15m"),
        "limit", List.of("1000")));
    DemoReport.printSlowest(slowest, slow, out);
    DemoReport.printStats(DemoReport.stats(List.copyOf(read.values())), read.size(), out);
    out.flush();
    return 0;
  }
}
