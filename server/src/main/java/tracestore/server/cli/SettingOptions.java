package tracestore.server.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tracestore.server.ConfigLoader;
import tracestore.server.ServerConfig;
import tracestore.server.Setting;

/**
 * Adds one option per {@link Setting} to a command, from the enum rather than by annotation, so the
 * settings are listed once. Values stay text here; {@link ConfigLoader} layers and validates them.
 */
final class SettingOptions {
  static final String CONFIG = "--config";

  private SettingOptions() {}

  static CommandLine addTo(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    spec.addOption(OptionSpec.builder(CONFIG)
        .paramLabel("FILE")
        .type(Path.class)
        .description("A .properties file of settings (keys as postgres.url). Env "
            + ConfigLoader.CONFIG_ENV + ".")
        .build());
    for (Setting s : Setting.values()) {
      OptionSpec.Builder o = OptionSpec.builder(s.flag())
          .paramLabel(s == Setting.AUTO_MIGRATE ? "BOOL" : "VALUE")
          .type(String.class)
          .description(s.description()
              + " Env " + s.env() + (s.defaultValue().isEmpty() ? "." : ", default " + s.defaultValue() + "."));
      if (s == Setting.AUTO_MIGRATE) o.arity("0..1").fallbackValue("true");
      spec.addOption(o.build());
    }
    return cmd;
  }

  /** The settings the command line gave, flags over environment over the config file. */
  static ServerConfig load(CommandSpec spec) {
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      String v = spec.findOption(s.flag()).getValue();
      if (v != null) flags.put(s, v);
    }
    Path file = spec.findOption(CONFIG).getValue();
    Map<String, String> env = System.getenv();
    if (file == null && env.get(ConfigLoader.CONFIG_ENV) != null) {
      file = Path.of(env.get(ConfigLoader.CONFIG_ENV));
    }
    return ConfigLoader.load(flags, env, file);
  }
}
