package tracestore.server.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tracestore.server.ConfigException;
import tracestore.storage.StorageException;

/** {@code tracestore}: the executable jar's entry point. */
@Command(
    name = "tracestore",
    mixinStandardHelpOptions = true,
    version = "tracestore 0.1.0",
    description = "Persistent storage for distributed traces: OTLP and Zipkin in, Zipkin API and UI out.",
    subcommands = CommandLine.HelpCommand.class)
public final class Main implements Runnable {
  /** Exit status for a bad setting or flag. */
  static final int EXIT_USAGE = 2;

  /** Exit status when storage or a server cannot be reached. */
  static final int EXIT_FAILURE = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    // serve returns only after its graceful shutdown; then the JVM may exit.
    System.exit(code);
  }

  /** The command tree, writing to {@code out} and {@code err}; tests call {@code execute} on it. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand("serve", SettingOptions.addTo(new CommandLine(new ServeCommand())));
    cmd.addSubcommand("migrate", SettingOptions.addTo(new CommandLine(new MigrateCommand())));
    CommandLine trace = new CommandLine(new TraceCommand());
    trace.addSubcommand("show", new CommandLine(new TraceCommand.Show()));
    cmd.addSubcommand("trace", trace);
    cmd.addSubcommand("search", new CommandLine(new SearchCommand()));
    cmd.addSubcommand("demo", new CommandLine(new DemoCommand()));
    cmd.addSubcommand("retention", RetentionCommand.commandLine());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tracestore: " + message(e));
      commandLine.getErr().flush();
      return e instanceof ConfigException ? EXIT_USAGE : EXIT_FAILURE;
    });
    return cmd;
  }

  private static String message(Exception e) {
    if (e instanceof ConfigException || e instanceof StorageException || e instanceof CliException) {
      return e.getMessage();
    }
    return e.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
