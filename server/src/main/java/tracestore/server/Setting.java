package tracestore.server;

import java.util.Locale;

/**
 * Every server setting, with its default. Each has three spellings, in order of precedence: the
 * command-line flag {@code --postgres-url}, the environment variable {@code
 * TRACESTORE_POSTGRES_URL}, and the config-file key {@code postgres.url}.
 */
public enum Setting {
  STORAGE("storage", "sqlite", "Storage backend: sqlite, postgres or cassandra."),
  ROLES("roles", "ingest,query", "Roles to run, comma-separated: ingest, query, retention."),
  BIND_ADDRESS("bind-address", "0.0.0.0", "Address every port binds to."),
  OTLP_GRPC_PORT("otlp-grpc-port", "4317", "OTLP/gRPC receiver port (ingest role)."),
  OTLP_HTTP_PORT("otlp-http-port", "4318", "OTLP/HTTP receiver port (ingest role)."),
  ZIPKIN_PORT("zipkin-port", "9411",
      "Zipkin receiver, query API, Zipkin UI, /health and /metrics port."),
  SQLITE_PATH("sqlite.path", "data/tracestore.db", "SQLite database file (storage=sqlite)."),
  POSTGRES_URL("postgres.url", "", "PostgreSQL JDBC URL, jdbc:postgresql://host:port/db (storage=postgres)."),
  POSTGRES_USER("postgres.user", "", "PostgreSQL user, when not in the URL."),
  POSTGRES_PASSWORD("postgres.password", "", "PostgreSQL password, when not in the URL."),
  POSTGRES_SCHEMA("postgres.schema", "public", "PostgreSQL schema holding the tables."),
  CASSANDRA_CONTACT_POINTS("cassandra.contact-points", "127.0.0.1:9042",
      "Cassandra contact points, host:port, comma-separated (storage=cassandra)."),
  CASSANDRA_LOCAL_DC("cassandra.local-dc", "datacenter1", "Cassandra local datacenter."),
  CASSANDRA_KEYSPACE("cassandra.keyspace", "tracestore", "Cassandra keyspace (lower case)."),
  CASSANDRA_REPLICATION_FACTOR("cassandra.replication-factor", "1",
      "Replication factor (SimpleStrategy) when migrate creates the keyspace."),
  AUTO_MIGRATE("auto-migrate", "false",
      "Apply pending schema migrations at start (PostgreSQL, Cassandra; SQLite always does)."),
  SHUTDOWN_TIMEOUT("shutdown-timeout", "30s",
      "How long a graceful shutdown waits for in-flight requests, e.g. 30s or 500ms."),
  RETENTION_RAW("retention.raw", "7d",
      "Raw span retention (retention role); raw data is deleted only after it is aggregated."),
  RETENTION_ROLLUPS("retention.rollups", "90d", "Rollup and dependency-link retention (retention role)."),
  RETENTION_EXEMPLARS("retention.exemplars", "30d", "Exemplar trace retention (retention role)."),
  INDEX_KEYS("index.keys", "",
      "Tag keys indexed for fast search, comma-separated: empty keeps the built-in list of common"
          + " search keys, +k1,+k2 adds to it, k1,k2 replaces it, * indexes every key not denied."
          + " Other keys are still searchable, by checking the stored spans."),
  MAX_SPANS_PER_TRACE("ingest.max-spans-per-trace", "50000",
      "Spans one trace may store (ingest role); the span past it is marked tracestore.trace_truncated,"
          + " later ones are rejected."),
  SEARCH_MAX_CANDIDATES("search.max-candidates", "2000",
      "Traces one search may check for tags the index does not hold (query role); past it, the page"
          + " is returned with a cursor."),
  INDEX_DENY_KEYS("index.deny-keys", "",
      "Tag keys never indexed, comma-separated, in addition to the built-in id-like keys."),
  CODEC_DICTIONARY("codec.dictionary", "on",
      "Train a string dictionary from ingested traces and store chunks that reference it (ingest"
          + " role): on or off. Off writes chunks readable without one."),
  CODEC_DICTIONARY_MIN_TRACES("codec.dictionary.min-traces", "5",
      "The fewest distinct sampled traces a string must appear in to enter a dictionary."),
  CODEC_DICTIONARY_MAX_STRINGS("codec.dictionary.max-strings", "8192",
      "The most strings one dictionary holds (at most 256 KiB of them)."),
  CODEC_DICTIONARY_REBUILD_INTERVAL("codec.dictionary.rebuild-interval", "1h",
      "How often a new dictionary is trained; it replaces the current one only when it covers"
          + " noticeably more of the recent strings.");

  private final String key;
  private final String defaultValue;
  private final String description;

  Setting(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The config-file key, e.g. {@code postgres.url}. */
  public String key() {
    return key;
  }

  /** The command-line flag, e.g. {@code --postgres-url}. */
  public String flag() {
    return "--" + key.replace('.', '-');
  }

  /** The environment variable, e.g. {@code TRACESTORE_POSTGRES_URL}. */
  public String env() {
    return "TRACESTORE_" + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The value used when no source sets it; empty means unset. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The setting whose config-file key is {@code key}, or null. */
  static Setting byKey(String key) {
    for (Setting s : values()) if (s.key.equals(key)) return s;
    return null;
  }
}
