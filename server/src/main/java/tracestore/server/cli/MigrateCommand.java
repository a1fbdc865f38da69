package tracestore.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tracestore.server.ServerConfig;
import tracestore.server.Wiring;
import tracestore.storage.Storage;

/** {@code tracestore migrate}: applies pending schema migrations to the configured storage. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Applies pending schema migrations to the configured storage, then checks it.",
      "Safe to repeat; refuses a database newer than this build."
    })
final class MigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ServerConfig config = SettingOptions.load(spec);
    try (Storage storage = Wiring.openStorage(config, Wiring.Schema.MIGRATE)) {
      storage.check();
    }
    spec.commandLine().getOut().println(
        "schema of " + config.storage().settingValue() + " storage is current");
    return 0;
  }
}
