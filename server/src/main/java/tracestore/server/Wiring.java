package tracestore.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import com.datastax.oss.driver.api.core.CqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.ingest.IngestConfig;
import tracestore.ingest.SpanLimits;
import tracestore.ingest.IngestService;
import tracestore.query.QueryService;
import tracestore.schema.CqlMigrator;
import tracestore.storage.Storage;
import tracestore.storage.StorageException;
import tracestore.storage.VerifyingReader;
import tracestore.storage.WriteBatches;
import tracestore.storage.cassandra.CassandraStorage;
import tracestore.storage.jdbc.JdbcStorage;

/**
 * The one place where the server's parts are constructed, with plain constructors and builders
 * from a {@link ServerConfig}: the storage backend (a {@code switch} on {@link StorageKind}), the
 * ingest and query roles, health and metrics, and the Armeria server that carries them.
 *
 * <p>Every opened port serves every route of the roles that run: the three ports exist so that
 * each client finds its protocol's usual port, and the routes do not collide.
 */
public final class Wiring {
  private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

  /** Whether opening storage may change its schema. */
  public enum Schema {
    /** Refuse a database whose schema is not current, naming {@code tracestore migrate}. */
    VERIFY,
    /** Apply pending migrations first. */
    MIGRATE
  }

  private Wiring() {}

  /**
   * Opens the configured backend. SQLite is always migrated (it is the zero-configuration default
   * and the file is private to this server); the others migrate only when {@code schema} is {@link
   * Schema#MIGRATE} or {@link ServerConfig#autoMigrate()} is set.
   *
   * @throws StorageException when the backend cannot be reached or its schema is not current
   */
  public static Storage openStorage(ServerConfig config, Schema schema) {
    boolean migrate = schema == Schema.MIGRATE || config.autoMigrate();
    switch (config.storage()) {
      case SQLITE:
        return JdbcStorage.newBuilder().sqlite(config.sqlitePath()).migrate(true).build();
      case POSTGRES:
        JdbcStorage.Builder pg = JdbcStorage.newBuilder()
            .postgres(config.postgresUrl())
            .schema(config.postgresSchema())
            .migrate(migrate);
        if (!config.postgresUser().isEmpty() || !config.postgresPassword().isEmpty()) {
          pg.credentials(emptyToNull(config.postgresUser()), emptyToNull(config.postgresPassword()));
        }
        return pg.build();
      case CASSANDRA:
        List<InetSocketAddress> contactPoints = config.cassandraContactPoints();
        migrateOrVerifyCassandra(config, contactPoints, migrate);
        CassandraStorage.Builder cassandra = CassandraStorage.newBuilder()
            .localDatacenter(config.cassandraLocalDc())
            .keyspace(config.cassandraKeyspace());
        for (InetSocketAddress cp : contactPoints) cassandra.contactPoint(cp);
        return cassandra.build();
      default:
        throw new AssertionError(config.storage());
    }
  }

  /**
   * Cassandra's schema is applied or checked over a short-lived session of its own, so that an
   * unmigrated keyspace is refused with the migrator's message (naming {@code tracestore migrate})
   * before the storage prepares its statements.
   */
  private static void migrateOrVerifyCassandra(
      ServerConfig config, List<InetSocketAddress> contactPoints, boolean migrate) {
    CqlSession session;
    try {
      session = CqlSession.builder()
          .addContactPoints(contactPoints)
          .withLocalDatacenter(config.cassandraLocalDc())
          .build();
    } catch (RuntimeException e) {
      throw StorageException.retryable("cannot connect to Cassandra at " + config.contactPointsText()
          + " (datacenter " + config.cassandraLocalDc() + "): " + e.getMessage(), e);
    }
    try (session) {
      CqlMigrator migrator = CqlMigrator.newBuilder(session, config.cassandraKeyspace())
          .simpleStrategy(config.cassandraReplicationFactor())
          .build();
      if (migrate) {
        List<Integer> applied = migrator.migrate();
        LOG.info("Cassandra keyspace {}: applied migrations {}", config.cassandraKeyspace(), applied);
      } else {
        migrator.verify();
      }
    }
  }

  /**
   * Opens storage, starts the roles and the HTTP server. On failure everything opened so far is
   * closed again.
   */
  public static TracestoreServer start(ServerConfig config) {
    LOG.info("starting tracestore: {}", config);
    Metrics metrics = new Metrics();
    Storage storage = null;
    IngestService ingest = null;
    try {
      storage = openStorage(config, Schema.VERIFY);
      LOG.info("storage {} is ready", config.storage().settingValue());
      ServerBuilder sb = Server.builder()
          .meterRegistry(metrics.registry())
          .blockingTaskExecutor(8)
          .requestTimeout(Duration.ofSeconds(30))
          .gracefulShutdownTimeout(Duration.ofMillis(100), config.shutdownTimeout());
      InetAddress bind = InetAddress.getByName(config.bindAddress());
      for (int port : ports(config)) sb.port(new InetSocketAddress(bind, port), SessionProtocol.HTTP);
      if (config.runs(Role.INGEST)) {
        ingest = IngestService.builder(storage.writer())
            .writeBatches(WriteBatches.create(config.indexPolicy(), config.dictionaryPolicy()))
            .config(IngestConfig.newBuilder()
                .otlpGrpcPort(config.otlpGrpcPort())
                .otlpHttpPort(config.otlpHttpPort())
                .zipkinPort(config.zipkinPort())
                .spanLimits(SpanLimits.DEFAULTS.withMaxSpansPerTrace(config.maxSpansPerTrace()))
                .build())
            .meterRegistry(metrics.registry())
            .build();
        ingest.registerRoutes(sb);
      }
      if (config.runs(Role.QUERY)) {
        QueryService.newBuilder(
            VerifyingReader.wrap(storage.reader(), config.indexPolicy(), config.searchMaxCandidates())).rollups(storage.rollups()).build().registerOn(sb);
      }
      if (config.runs(Role.RETENTION)) RetentionRole.start(storage, config.retentionPolicy(), metrics.registry(), sb);
      TracestoreServer server = new TracestoreServer(config, storage, ingest, metrics, sb);
      server.start();
      return server;
    } catch (UnknownHostException e) {
      closeQuietly(ingest, storage, metrics);
      throw new ConfigException(Setting.BIND_ADDRESS, "cannot resolve " + config.bindAddress());
    } catch (RuntimeException | Error e) {
      closeQuietly(ingest, storage, metrics);
      throw e;
    }
  }

  /** The ports the roles need, in a stable order, without duplicates. */
  static Set<Integer> ports(ServerConfig config) {
    Set<Integer> ports = new LinkedHashSet<>();
    if (config.runs(Role.INGEST)) {
      ports.add(config.otlpGrpcPort());
      ports.add(config.otlpHttpPort());
    }
    ports.add(config.zipkinPort());
    return ports;
  }

  private static void closeQuietly(IngestService ingest, Storage storage, Metrics metrics) {
    try {
      if (ingest != null) ingest.close();
    } finally {
      try {
        if (storage != null) storage.close();
      } finally {
        metrics.close();
      }
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
