package tracestore.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tracestore trace show ID}: prints a stored trace as a tree, from a running server. */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "Reads traces from a running server.")
final class TraceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Prints the span tree with service, operation, duration and self time; "
          + "* marks the critical path, and the bottleneck is named.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TRACE_ID", description = "16 or 32 hex characters.")
    String traceId;

    @Option(names = "--server", paramLabel = "URL",
        description = "The server's query URL (env TRACESTORE_SERVER, default http://localhost:9411).")
    String server;

    @Override
    public Integer call() {
      NativeClient client = new NativeClient(NativeClient.resolve(server));
      TreePrinter.print(client.trace(traceId), spec.commandLine().getOut());
      return 0;
    }
  }
}
