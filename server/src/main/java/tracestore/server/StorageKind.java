package tracestore.server;

import java.util.Locale;

/** The storage backends a server can run on; the value of the {@code storage} setting. */
public enum StorageKind {
  /** One SQLite file, created and migrated on start: the zero-configuration default. */
  SQLITE,
  /** PostgreSQL through JDBC; its schema is applied with {@code tracestore migrate}. */
  POSTGRES,
  /** Apache Cassandra; its schema is applied with {@code tracestore migrate}. */
  CASSANDRA;

  /** The name used in settings ({@code sqlite}, {@code postgres}, {@code cassandra}). */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException listing the accepted values */
  static StorageKind parse(String value) {
    for (StorageKind k : values()) {
      if (k.settingValue().equals(value.trim().toLowerCase(Locale.ROOT))) return k;
    }
    throw new IllegalArgumentException(
        "unknown storage '" + value + "', expected sqlite, postgres or cassandra");
  }
}
