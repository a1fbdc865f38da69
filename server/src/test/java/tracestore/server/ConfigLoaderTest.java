package tracestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracestore.storage.DictionaryPolicy;
import tracestore.storage.IndexPolicy;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void noConfigurationAtAllIsTheEmbeddedSqliteDefault() {
    ServerConfig c = ConfigLoader.load(Map.of(), Map.of(), null);
    assertThat(c.storage()).isEqualTo(StorageKind.SQLITE);
    assertThat(c.sqlitePath()).isEqualTo(Path.of("data", "tracestore.db"));
    assertThat(c.roles()).containsExactlyInAnyOrder(Role.INGEST, Role.QUERY);
    assertThat(c.otlpGrpcPort()).isEqualTo(4317);
    assertThat(c.otlpHttpPort()).isEqualTo(4318);
    assertThat(c.zipkinPort()).isEqualTo(9411);
    assertThat(c.autoMigrate()).isFalse();
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retentionPolicyComesFromSettings() {
    ServerConfig defaults = ConfigLoader.load(Map.of(), Map.of(), null);
    assertThat(defaults.retentionPolicy().defaultDurations().raw()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.retentionPolicy().defaultDurations().rollups()).isEqualTo(Duration.ofDays(90));
    assertThat(defaults.retentionPolicy().defaultDurations().exemplars()).isEqualTo(Duration.ofDays(30));

    ServerConfig set = ConfigLoader.load(Map.of(Setting.RETENTION_ROLLUPS, "400d"),
        Map.of("TRACESTORE_RETENTION_RAW", "48h"), null);
    assertThat(set.retentionPolicy().defaultDurations().raw()).isEqualTo(Duration.ofHours(48));
    assertThat(set.retentionPolicy().defaultDurations().rollups()).isEqualTo(Duration.ofDays(400));

    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.RETENTION_EXEMPLARS, "0d"), Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retention.exemplars")
        .hasMessageContaining("must be positive");
  }

  @Test
  void indexKeysNarrowWhatIngestIndexes() {
    ServerConfig defaults = ConfigLoader.load(Map.of(), Map.of(), null);
    assertThat(defaults.indexPolicy()).isEqualTo(IndexPolicy.defaults());
    assertThat(defaults.indexPolicy().isIndexableKey("http.route")).isTrue();
    assertThat(defaults.indexPolicy().isIndexableKey("http.url")).isFalse();

    ServerConfig all = ConfigLoader.load(Map.of(Setting.INDEX_KEYS, "*"), Map.of(), null);
    assertThat(all.indexPolicy().isIndexableKey("http.url")).isTrue();
    assertThat(all.indexPolicy().isIndexableKey("span.id")).isFalse(); // built-in deny list

    ServerConfig added = ConfigLoader.load(Map.of(), Map.of("TRACESTORE_INDEX_KEYS", "+order.id, +tenant"), null);
    assertThat(added.indexPolicy().allowedKeys())
        .containsAll(IndexPolicy.DEFAULT_ALLOWED_KEYS).contains("order.id", "tenant");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.INDEX_KEYS, "+order.id,http.url"), Map.of(), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("index.keys").hasMessageContaining("mix");

    ServerConfig narrowed = ConfigLoader.load(
        Map.of(Setting.INDEX_KEYS, " http.method, http.status_code ,,"),
        Map.of("TRACESTORE_INDEX_DENY_KEYS", "http.status_code"), null);
    assertThat(narrowed.indexPolicy().allowedKeys())
        .containsExactlyInAnyOrder("http.method", "http.status_code");
    assertThat(narrowed.indexPolicy().isIndexableKey("http.method")).isTrue();
    assertThat(narrowed.indexPolicy().isIndexableKey("http.url")).isFalse();
    assertThat(narrowed.indexPolicy().isIndexableKey("http.status_code")).isFalse(); // denied wins
  }

  @Test
  void theStringDictionaryIsOnByDefaultAndTunable() {
    ServerConfig defaults = ConfigLoader.load(Map.of(), Map.of(), null);
    assertThat(defaults.dictionaryPolicy()).isEqualTo(DictionaryPolicy.defaults());
    assertThat(defaults.dictionaryPolicy().enabled()).isTrue();

    ServerConfig off = ConfigLoader.load(Map.of(), Map.of("TRACESTORE_CODEC_DICTIONARY", "off"), null);
    assertThat(off.dictionaryPolicy()).isEqualTo(DictionaryPolicy.off());

    ServerConfig tuned = ConfigLoader.load(Map.of(Setting.CODEC_DICTIONARY_MIN_TRACES, "20",
        Setting.CODEC_DICTIONARY_MAX_STRINGS, "1000",
        Setting.CODEC_DICTIONARY_REBUILD_INTERVAL, "15m"), Map.of(), null);
    assertThat(tuned.dictionaryPolicy().minTraces()).isEqualTo(20);
    assertThat(tuned.dictionaryPolicy().maxStrings()).isEqualTo(1000);
    assertThat(tuned.dictionaryPolicy().rebuildInterval()).isEqualTo(Duration.ofMinutes(15));

    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.CODEC_DICTIONARY_MIN_TRACES, "1"), Map.of(), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("codec.dictionary.min-traces");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.CODEC_DICTIONARY_MAX_STRINGS, "100000"), Map.of(), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("codec.dictionary.max-strings");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.CODEC_DICTIONARY, "maybe"), Map.of(), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("codec.dictionary");
  }

  @Test
  void spanAndSearchBoundsAreSettableAndMustBePositive() {
    ServerConfig defaults = ConfigLoader.load(Map.of(), Map.of(), null);
    assertThat(defaults.maxSpansPerTrace()).isEqualTo(50_000);
    assertThat(defaults.searchMaxCandidates()).isEqualTo(2_000);
    ServerConfig set = ConfigLoader.load(Map.of(Setting.MAX_SPANS_PER_TRACE, "1000"),
        Map.of("TRACESTORE_SEARCH_MAX_CANDIDATES", "500"), null);
    assertThat(set.maxSpansPerTrace()).isEqualTo(1000);
    assertThat(set.searchMaxCandidates()).isEqualTo(500);
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.SEARCH_MAX_CANDIDATES, "0"), Map.of(), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("search.max-candidates")
        .hasMessageContaining(">= 1");
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
    Path file = dir.resolve("ts.properties");
    Files.writeString(file, "storage=postgres\npostgres.url=jdbc:postgresql://file/db\n"
        + "postgres.schema=from_file\nzipkin-port=1000\n");
    Map<String, String> env = Map.of(
        "TRACESTORE_POSTGRES_URL", "jdbc:postgresql://env/db",
        "TRACESTORE_ZIPKIN_PORT", "2000",
        "UNRELATED", "x");
    Map<Setting, String> flags = Map.of(Setting.ZIPKIN_PORT, "3000", Setting.AUTO_MIGRATE, "true");

    ServerConfig c = ConfigLoader.load(flags, env, file);

    assertThat(c.storage()).isEqualTo(StorageKind.POSTGRES); // file only
    assertThat(c.postgresSchema()).isEqualTo("from_file"); // file only
    assertThat(c.postgresUrl()).isEqualTo("jdbc:postgresql://env/db"); // env over file
    assertThat(c.zipkinPort()).isEqualTo(3000); // flag over env over file
    assertThat(c.autoMigrate()).isTrue();
  }

  @Test
  void errorsNameTheSettingAndWhereItsValueCameFrom() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("TRACESTORE_OTLP_HTTP_PORT", "http"), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otlp-http-port")
        .hasMessageContaining("not a port number: 'http'")
        .hasMessageContaining("environment variable TRACESTORE_OTLP_HTTP_PORT");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.STORAGE, "mysql"), Map.of(), null))
        .hasMessageContaining("storage: unknown storage 'mysql', expected sqlite, postgres or cassandra")
        .hasMessageContaining("flag --storage");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.STORAGE, "postgres"), Map.of(), null))
        .hasMessageContaining("postgres.url: required with storage=postgres")
        .hasMessageContaining("--postgres-url");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.ROLES, "ingest,reports"), Map.of(), null))
        .hasMessageContaining("roles: unknown role 'reports'");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.OTLP_GRPC_PORT, "9411"), Map.of(), null))
        .hasMessageContaining("zipkin-port: port 9411 is also otlp-grpc-port");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(Setting.SHUTDOWN_TIMEOUT, "soon"), Map.of(), null))
        .hasMessageContaining("shutdown-timeout: expected a duration like 30s");
  }

  @Test
  void unknownKeysInTheFileAreRefused() throws Exception {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "postgres.uri=jdbc:postgresql://x/y\n");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting 'postgres.uri' in " + file)
        .hasMessageContaining("postgres.url");
  }

  @Test
  void aQueryOnlyServerMayShareNoPortsWithIngestAndThePasswordIsNeverPrinted() {
    ServerConfig c = ConfigLoader.load(
        Map.of(Setting.ROLES, "query", Setting.OTLP_GRPC_PORT, "9411", Setting.STORAGE, "postgres",
            Setting.POSTGRES_URL, "jdbc:postgresql://h/db", Setting.POSTGRES_PASSWORD, "s3cret"),
        Map.of(), null);
    assertThat(c.roles()).isEqualTo(Set.of(Role.QUERY));
    assertThat(Wiring.ports(c)).containsExactly(9411);
    assertThat(c.toString()).doesNotContain("s3cret").contains("password=***");
  }

  @Test
  void everySettingHasThreeSpellings() {
    assertThat(Setting.POSTGRES_URL.flag()).isEqualTo("--postgres-url");
    assertThat(Setting.POSTGRES_URL.env()).isEqualTo("TRACESTORE_POSTGRES_URL");
    assertThat(Setting.CASSANDRA_CONTACT_POINTS.env()).isEqualTo("TRACESTORE_CASSANDRA_CONTACT_POINTS");
    assertThat(Setting.byKey("cassandra.local-dc")).isEqualTo(Setting.CASSANDRA_LOCAL_DC);
  }
}
