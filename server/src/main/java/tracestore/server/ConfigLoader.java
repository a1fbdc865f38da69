package tracestore.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link ServerConfig} from three sources, highest precedence first: command-line flags,
 * {@code TRACESTORE_*} environment variables, and a {@code .properties} file. A bad value's message
 * names the setting and the source that set it.
 */
public final class ConfigLoader {
  /** The environment variable naming a config file when {@code --config} is not given. */
  public static final String CONFIG_ENV = "TRACESTORE_CONFIG";

  private ConfigLoader() {}

  /**
   * @param flags settings given on the command line
   * @param env the process environment ({@code System.getenv()}); only {@code TRACESTORE_*}
   *     names of known settings are read
   * @param file a properties file with {@link Setting#key()} keys, or null
   * @throws ConfigException naming the bad setting and where its value came from
   */
  public static ServerConfig load(Map<Setting, String> flags, Map<String, String> env, Path file) {
    Map<Setting, String> origin = new EnumMap<>(Setting.class);
    ServerConfig.Builder b = ServerConfig.newBuilder();
    if (file != null) {
      Properties props = read(file);
      for (String key : props.stringPropertyNames()) {
        Setting s = Setting.byKey(key.trim());
        if (s == null) {
          throw new ConfigException("unknown setting '" + key + "' in " + file + "; known: " + knownKeys());
        }
        b.set(s, props.getProperty(key));
        origin.put(s, "key " + s.key() + " in " + file);
      }
    }
    for (Setting s : Setting.values()) {
      String v = env.get(s.env());
      if (v != null && !v.isBlank()) {
        b.set(s, v);
        origin.put(s, "environment variable " + s.env());
      }
    }
    for (Map.Entry<Setting, String> e : flags.entrySet()) {
      if (e.getValue() != null) {
        b.set(e.getKey(), e.getValue());
        origin.put(e.getKey(), "flag " + e.getKey().flag());
      }
    }
    try {
      return b.build();
    } catch (ConfigException e) {
      Setting s = e.setting();
      if (s == null) throw e;
      String from = origin.getOrDefault(s, "the default");
      throw new ConfigException(s, e.getMessage() + " (set by " + from + ")", e);
    }
  }

  private static Properties read(Path file) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e);
    }
    return props;
  }

  private static String knownKeys() {
    StringBuilder sb = new StringBuilder();
    for (Setting s : Setting.values()) {
      if (sb.length() > 0) sb.append(", ");
      sb.append(s.key());
    }
    return sb.toString();
  }
}
