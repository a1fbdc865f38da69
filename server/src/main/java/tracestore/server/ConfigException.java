package tracestore.server;

/** A bad setting. The message names the setting and, once loaded, where its value came from. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Setting setting;

  ConfigException(Setting setting, String message) {
    super(setting.key() + ": " + message);
    this.setting = setting;
  }

  ConfigException(String message) {
    super(message);
    this.setting = null;
  }

  ConfigException(Setting setting, String message, ConfigException cause) {
    super(message, cause);
    this.setting = setting;
  }

  /** The setting at fault, or null when the problem is not one setting's (an unreadable file). */
  public Setting setting() {
    return setting;
  }
}
