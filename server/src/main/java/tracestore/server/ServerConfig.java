package tracestore.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tracestore.retention.RetentionPolicy;
import tracestore.storage.DictionaryPolicy;
import tracestore.storage.IndexPolicy;

/**
 * The whole configuration of one server process, frozen once built. Build it with {@link
 * #newBuilder()} (or {@link ConfigLoader}, which layers flags, environment and a file); {@link
 * Builder#build()} validates every setting and names the bad one.
 *
 * @param storage the backend
 * @param roles what this process runs, never empty
 * @param bindAddress the address every port binds to
 * @param otlpGrpcPort OTLP/gRPC port, 0 for an ephemeral one
 * @param otlpHttpPort OTLP/HTTP port, 0 for an ephemeral one
 * @param zipkinPort Zipkin receiver + query API + UI + health + metrics port
 * @param sqlitePath the SQLite database file (storage SQLITE)
 * @param postgresUrl JDBC URL (storage POSTGRES), else empty
 * @param postgresUser empty when in the URL or not needed
 * @param postgresPassword empty when in the URL or not needed; never printed
 * @param postgresSchema the schema holding the tables
 * @param cassandraContactPoints unresolved host:port addresses (storage CASSANDRA), parsed once here
 * @param cassandraLocalDc the driver's local datacenter
 * @param cassandraKeyspace the keyspace holding the tables
 * @param cassandraReplicationFactor replication when {@code migrate} creates the keyspace
 * @param autoMigrate apply pending migrations at start instead of refusing
 * @param shutdownTimeout how long a graceful shutdown waits for in-flight requests
 * @param retentionPolicy what the retention role keeps, and for how long
 * @param indexPolicy which tag keys ingest indexes for search (the biggest lever on write cost and
 *     bytes at rest; see BENCHMARKS.md)
 * @param maxSpansPerTrace spans one trace may store (ingest's {@code SpanLimits})
 * @param searchMaxCandidates traces one search may check for unindexed tags ({@code VerifyingReader})
 * @param dictionaryPolicy whether and how ingest trains the string dictionary its chunks reference
 */
public record ServerConfig(
    StorageKind storage,
    Set<Role> roles,
    String bindAddress,
    int otlpGrpcPort,
    int otlpHttpPort,
    int zipkinPort,
    Path sqlitePath,
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    String postgresSchema,
    List<InetSocketAddress> cassandraContactPoints,
    String cassandraLocalDc,
    String cassandraKeyspace,
    int cassandraReplicationFactor,
    boolean autoMigrate,
    Duration shutdownTimeout,
    RetentionPolicy retentionPolicy,
    IndexPolicy indexPolicy,
    int maxSpansPerTrace,
    int searchMaxCandidates,
    DictionaryPolicy dictionaryPolicy) {

  public ServerConfig {
    roles = Set.copyOf(roles);
    cassandraContactPoints = List.copyOf(cassandraContactPoints);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** True when {@code role} runs in this process. */
  public boolean runs(Role role) {
    return roles.contains(role);
  }

  /** The contact points as {@code host:port, ...}, for messages. */
  public String contactPointsText() {
    StringBuilder b = new StringBuilder();
    for (InetSocketAddress a : cassandraContactPoints) {
      if (b.length() > 0) b.append(", ");
      b.append(a.getHostString()).append(':').append(a.getPort());
    }
    return b.toString();
  }

  /** Every setting as text, with the password masked. */
  @Override
  public String toString() {
    return "ServerConfig{storage=" + storage.settingValue()
        + ", roles=" + roles
        + ", bind=" + bindAddress
        + ", ports(otlp-grpc=" + otlpGrpcPort + ", otlp-http=" + otlpHttpPort + ", zipkin=" + zipkinPort + ')'
        + switch (storage) {
          case SQLITE -> ", sqlite=" + sqlitePath;
          case POSTGRES -> ", postgres=" + postgresUrl + (postgresUser.isEmpty() ? "" : " user=" + postgresUser)
              + (postgresPassword.isEmpty() ? "" : " password=***") + " schema=" + postgresSchema;
          case CASSANDRA -> ", cassandra=" + contactPointsText() + " dc=" + cassandraLocalDc
              + " keyspace=" + cassandraKeyspace + " rf=" + cassandraReplicationFactor;
        }
        + ", autoMigrate=" + autoMigrate
        + ", shutdownTimeout=" + shutdownTimeout.toMillis() + "ms"
        + ", retention=" + retentionPolicy
        + ", index=" + indexPolicy + ", maxSpansPerTrace=" + maxSpansPerTrace
        + ", searchMaxCandidates=" + searchMaxCandidates
        + ", dictionary=" + dictionaryPolicy + '}';
  }

  /**
   * Collects settings as text ({@link #set}) and turns them into a {@link ServerConfig} in {@link
   * #build()}. Unset settings take {@link Setting#defaultValue()}.
   */
  public static final class Builder {
    private final Map<Setting, String> values = new EnumMap<>(Setting.class);

    Builder() {}

    /** Sets one setting from text; {@code null} or blank leaves it at its default. */
    public Builder set(Setting setting, String value) {
      if (value == null || value.isBlank()) {
        values.remove(setting);
      } else {
        values.put(setting, value.trim());
      }
      return this;
    }

    private String get(Setting s) {
      return values.getOrDefault(s, s.defaultValue());
    }

    /** @throws ConfigException naming the first setting that is wrong */
    public ServerConfig build() {
      StorageKind storage = parse(Setting.STORAGE, StorageKind::parse);
      Set<Role> roles = parse(Setting.ROLES, Role::parseSet);
      String bind = get(Setting.BIND_ADDRESS);
      try {
        InetAddress.getByName(bind);
      } catch (UnknownHostException e) {
        throw new ConfigException(Setting.BIND_ADDRESS, "cannot resolve '" + bind + "'");
      }
      int grpc = port(Setting.OTLP_GRPC_PORT);
      int http = port(Setting.OTLP_HTTP_PORT);
      int zipkin = port(Setting.ZIPKIN_PORT);
      if (roles.contains(Role.INGEST)) {
        distinct(Setting.OTLP_HTTP_PORT, http, Setting.OTLP_GRPC_PORT, grpc);
        distinct(Setting.ZIPKIN_PORT, zipkin, Setting.OTLP_GRPC_PORT, grpc);
        distinct(Setting.ZIPKIN_PORT, zipkin, Setting.OTLP_HTTP_PORT, http);
      }
      Path sqlite = parse(Setting.SQLITE_PATH, Path::of);
      String pgUrl = get(Setting.POSTGRES_URL);
      if (storage == StorageKind.POSTGRES) {
        if (pgUrl.isEmpty()) {
          throw new ConfigException(Setting.POSTGRES_URL,
              "required with storage=postgres, e.g. " + Setting.POSTGRES_URL.flag()
                  + " jdbc:postgresql://127.0.0.1:5432/tracestore?user=postgres");
        }
        if (!pgUrl.startsWith("jdbc:postgresql:")) {
          throw new ConfigException(Setting.POSTGRES_URL, "must start with jdbc:postgresql:, got " + pgUrl);
        }
      }
      String schema = get(Setting.POSTGRES_SCHEMA);
      if (!schema.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new ConfigException(Setting.POSTGRES_SCHEMA, "must be a plain identifier, got '" + schema + "'");
      }
      List<InetSocketAddress> contactPoints = new ArrayList<>();
      for (String cp : get(Setting.CASSANDRA_CONTACT_POINTS).split(",")) {
        String p = cp.trim();
        if (p.isEmpty()) continue;
        int colon = p.lastIndexOf(':');
        if (colon <= 0 || colon == p.length() - 1) {
          throw new ConfigException(Setting.CASSANDRA_CONTACT_POINTS, "expected host:port, got '" + p + "'");
        }
        int port = portNumber(Setting.CASSANDRA_CONTACT_POINTS, p.substring(colon + 1), 1);
        contactPoints.add(InetSocketAddress.createUnresolved(p.substring(0, colon), port));
      }
      if (storage == StorageKind.CASSANDRA && contactPoints.isEmpty()) {
        throw new ConfigException(Setting.CASSANDRA_CONTACT_POINTS, "required with storage=cassandra");
      }
      String keyspace = get(Setting.CASSANDRA_KEYSPACE);
      if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
        throw new ConfigException(Setting.CASSANDRA_KEYSPACE,
            "must be lower case letters, digits and _, at most 48 characters, got '" + keyspace + "'");
      }
      int replication;
      try {
        replication = Integer.parseInt(get(Setting.CASSANDRA_REPLICATION_FACTOR));
      } catch (NumberFormatException e) {
        replication = 0;
      }
      if (replication < 1) {
        throw new ConfigException(Setting.CASSANDRA_REPLICATION_FACTOR,
            "must be a whole number >= 1, got '" + get(Setting.CASSANDRA_REPLICATION_FACTOR) + "'");
      }
      boolean autoMigrate = parse(Setting.AUTO_MIGRATE, Builder::bool);
      Duration shutdown = parse(Setting.SHUTDOWN_TIMEOUT, Builder::duration);
      if (shutdown.isNegative() || shutdown.isZero()) {
        throw new ConfigException(Setting.SHUTDOWN_TIMEOUT, "must be positive, got " + get(Setting.SHUTDOWN_TIMEOUT));
      }
      RetentionPolicy.Builder retention = RetentionPolicy.newBuilder();
      retention.raw(retentionDuration(Setting.RETENTION_RAW));
      retention.rollups(retentionDuration(Setting.RETENTION_ROLLUPS));
      retention.exemplars(retentionDuration(Setting.RETENTION_EXEMPLARS));
      RetentionPolicy retentionPolicy;
      try {
        retentionPolicy = retention.build();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Setting.RETENTION_RAW, e.getMessage());
      }
      IndexPolicy.Builder index = IndexPolicy.newBuilder();
      try {
        index.allowedKeys(indexKeys(list(get(Setting.INDEX_KEYS))));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Setting.INDEX_KEYS, e.getMessage());
      }
      for (String key : list(get(Setting.INDEX_DENY_KEYS))) index.denyKey(key);
      DictionaryPolicy dictionary = dictionaryPolicy();
      return new ServerConfig(
          storage, EnumSet.copyOf(roles), bind, grpc, http, zipkin, sqlite,
          pgUrl, get(Setting.POSTGRES_USER), get(Setting.POSTGRES_PASSWORD), schema,
          contactPoints, get(Setting.CASSANDRA_LOCAL_DC), keyspace, replication, autoMigrate, shutdown,
          retentionPolicy, index.build(),
          positive(Setting.MAX_SPANS_PER_TRACE), positive(Setting.SEARCH_MAX_CANDIDATES),
          dictionary);
    }

    private DictionaryPolicy dictionaryPolicy() {
      if (!parse(Setting.CODEC_DICTIONARY, Builder::bool)) return DictionaryPolicy.off();
      DictionaryPolicy.Builder b = DictionaryPolicy.defaults().toBuilder()
          .minTraces(positive(Setting.CODEC_DICTIONARY_MIN_TRACES))
          .maxStrings(positive(Setting.CODEC_DICTIONARY_MAX_STRINGS))
          .rebuildInterval(parse(Setting.CODEC_DICTIONARY_REBUILD_INTERVAL, Builder::duration));
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        String m = e.getMessage();
        Setting s = m.startsWith("minTraces") ? Setting.CODEC_DICTIONARY_MIN_TRACES
            : m.startsWith("maxStrings") || m.startsWith("maxCandidates")
                ? Setting.CODEC_DICTIONARY_MAX_STRINGS
                : Setting.CODEC_DICTIONARY_REBUILD_INTERVAL;
        throw new ConfigException(s, m);
      }
    }

    private Duration retentionDuration(Setting s) {
      Duration d = parse(s, Builder::duration);
      if (d.isNegative() || d.isZero()) throw new ConfigException(s, "must be positive, got " + get(s));
      return d;
    }

    /** The non-blank comma-separated entries of {@code text}, trimmed. */
    /**
     * The allow list {@code index.keys} asks for: none given keeps the defaults, {@code *} is every
     * key (an empty allow list), {@code +k} entries add to the defaults, plain entries replace them.
     */
    static Set<String> indexKeys(List<String> entries) {
      if (entries.isEmpty()) return IndexPolicy.DEFAULT_ALLOWED_KEYS;
      if (entries.equals(List.of("*"))) return Set.of();
      long added = entries.stream().filter(e -> e.startsWith("+")).count();
      if (entries.contains("*") || (added != 0 && added != entries.size())) {
        throw new IllegalArgumentException(
            "give either * alone, keys that replace the default list, or +keys that add to it, not a mix: "
                + String.join(",", entries));
      }
      Set<String> keys = new LinkedHashSet<>(added == 0 ? Set.of() : IndexPolicy.DEFAULT_ALLOWED_KEYS);
      for (String e : entries) {
        String key = added == 0 ? e : e.substring(1).trim();
        if (key.isEmpty()) throw new IllegalArgumentException("an empty key after +: " + String.join(",", entries));
        keys.add(key);
      }
      return keys;
    }

    private static List<String> list(String text) {
      List<String> out = new ArrayList<>();
      for (String part : text.split(",")) {
        if (!part.isBlank()) out.add(part.trim());
      }
      return out;
    }

    private interface Parser<T> {
      T parse(String text);
    }

    private <T> T parse(Setting s, Parser<T> parser) {
      try {
        return parser.parse(get(s));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(s, e.getMessage());
      }
    }

    private int positive(Setting s) {
      String text = get(s).trim();
      int n;
      try {
        n = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1) throw new ConfigException(s, "must be a whole number >= 1, got '" + text + "'");
      return n;
    }

    private int port(Setting s) {
      return portNumber(s, get(s), 0);
    }

    private static int portNumber(Setting s, String text, int min) {
      int port;
      try {
        port = Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(s, "not a port number: '" + text + "'");
      }
      if (port < min || port > 65535) {
        throw new ConfigException(s, "port must be " + min + "..65535, got " + port);
      }
      return port;
    }

    private static void distinct(Setting a, int pa, Setting b, int pb) {
      if (pa != 0 && pa == pb) {
        throw new ConfigException(a, "port " + pa + " is also " + b.key() + "; give each its own port");
      }
    }

    static boolean bool(String text) {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true": case "yes": case "1": case "on": return true;
        case "false": case "no": case "0": case "off": return false;
        default: throw new IllegalArgumentException("expected true or false, got '" + text + "'");
      }
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, or an ISO-8601 duration ({@code PT30S}). */
    static Duration duration(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      try {
        if (t.startsWith("pt") || t.startsWith("p")) return Duration.parse(text.trim());
        if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("d")) return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
      } catch (RuntimeException e) {
        // fall through to the message below
      }
      throw new IllegalArgumentException("expected a duration like 30s, 500ms, 2m or 7d, got '" + text + "'");
    }
  }
}
