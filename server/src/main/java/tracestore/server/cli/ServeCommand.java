package tracestore.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tracestore.server.ServerConfig;
import tracestore.server.TracestoreServer;
import tracestore.server.Wiring;

/** {@code tracestore serve}: runs the roles until SIGTERM or Ctrl-C, then shuts down gracefully. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs ingest (OTLP/gRPC 4317, OTLP/HTTP 4318, Zipkin 9411) and query (Zipkin API and UI on 9411).",
      "With no settings, stores into the SQLite file data/tracestore.db.",
      "Precedence: flags, then TRACESTORE_* environment variables, then --config file."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ServerConfig config = SettingOptions.load(spec);
    TracestoreServer server = Wiring.start(config);
    // SIGTERM, SIGINT and System.exit all run shutdown hooks; the hook is the graceful shutdown.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tracestore-shutdown"));
    server.closeFuture().join();
    return 0;
  }
}
