package tracestore.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import tracestore.schema.SqlMigrator;
import tracestore.storage.RollupStore;
import tracestore.storage.SpanWriter;
import tracestore.storage.Storage;
import tracestore.storage.StorageException;
import tracestore.storage.TraceReader;
import tracestore.storage.codec.ChunkDictionaries;

/**
 * The JDBC backend: PostgreSQL for production, or one SQLite file as the embedded default.
 *
 * <p>Two connection pools: writes ({@link Builder#writeConnections}, exactly one for SQLite, which
 * allows a single writer) and reads. Writes run on a bounded executor with one thread per write
 * connection and a bounded queue; each batch is one transaction and its stage completes from that
 * executor after COMMIT. On PostgreSQL the raw tables are partitioned by day; partitions are
 * created for today and the next {@link Builder#partitionDaysAhead} days at startup and hourly,
 * and on demand for batches outside them. {@link RollupStore#deleteRawBefore} drops whole days.
 *
 * <p>At startup the schema is verified (or migrated, with {@link Builder#migrate}); a database
 * that is behind, ahead or edited is refused with a message naming {@code tracestore migrate}.
 */
public final class JdbcStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStorage.class);

  private final Dialect dialect;
  private final HikariDataSource writes;
  private final HikariDataSource reads;
  private final ThreadPoolExecutor writeExecutor;
  private final ScheduledExecutorService maintenance; // null for SQLite
  private final Partitions partitions; // null for SQLite
  private final SqlMigrator migrator;
  private final NameCache names;
  private final DictionaryWrites dictionaryWrites = new DictionaryWrites();
  private final JdbcSpanWriter writer;
  private final JdbcTraceReader reader;
  private final JdbcRollupStore rollups;

  private JdbcStorage(Builder b) {
    this.dialect = b.postgresUrl != null ? PostgresDialect.INSTANCE : SqliteDialect.INSTANCE;
    String label = b.postgresUrl != null ? "tracestore-pg-" + b.schema : "tracestore-sqlite";
    DataSource raw = b.postgresUrl != null ? b.postgresDataSource() : b.sqliteDataSource();
    this.migrator = b.postgresUrl != null
        ? SqlMigrator.postgres(raw, b.schema)
        : SqlMigrator.sqlite(raw, b.sqliteFile);
    if (b.migrate) {
      migrator.migrate();
    } else {
      migrator.verify();
    }
    int writeConnections = b.postgresUrl != null ? b.writeConnections : 1;
    this.writes = pool(label + "-write", raw, writeConnections, b.connectionTimeout);
    this.reads = pool(label + "-read", raw, b.readConnections, b.connectionTimeout);
    // SQLite groups waiting batches (JdbcSpanWriter.drainGroup): its group queue holds the batches,
    // and the executor's queue, one larger, holds at most one drain task per batch.
    int groupCapacity = dialect.partitioned() ? 0 : b.writeQueueCapacity;
    this.writeExecutor = new ThreadPoolExecutor(writeConnections, writeConnections, 0L,
        TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(b.writeQueueCapacity + 1),
        daemonThreads(label + "-writer"), new ThreadPoolExecutor.AbortPolicy());
    this.names = new NameCache(b.nameCacheBytes);
    if (dialect.partitioned()) {
      this.partitions = new Partitions(writes);
      int ahead = b.partitionDaysAhead;
      try {
        partitions.ensureAhead(System.currentTimeMillis() * 1_000_000L, ahead);
      } catch (SQLException e) {
        close();
        throw Failures.classify("creating daily partitions", e);
      }
      this.maintenance = Executors.newSingleThreadScheduledExecutor(daemonThreads(label + "-partitions"));
      maintenance.scheduleWithFixedDelay(() -> {
        try {
          partitions.ensureAhead(System.currentTimeMillis() * 1_000_000L, ahead);
        } catch (SQLException | RuntimeException e) {
          LOG.warn("creating daily partitions ahead failed; will retry in an hour", e);
        }
      }, 1, 1, TimeUnit.HOURS);
    } else {
      this.partitions = null;
      this.maintenance = null;
    }
    IndexRows indexRows = dialect.partitioned() && b.indexLoad == IndexLoad.COPY
        ? new PgCopyIndexRows() : IndexRows.inserts(dialect);
    this.writer = new JdbcSpanWriter(writes, dialect, writeExecutor, partitions, names, indexRows,
        groupCapacity, dictionaryWrites);
    // One dictionary cache per storage: chunks of every read and scan resolve through it.
    DictionaryLoads loads = new DictionaryLoads(reads, dialect);
    ChunkDictionaries dictionaries = new ChunkDictionaries(loads);
    this.reader = new JdbcTraceReader(reads, dialect, b.readConnections, loads, dictionaries);
    this.rollups =
        new JdbcRollupStore(writes, reads, dialect, writeExecutor, partitions, loads, dictionaries);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public SpanWriter writer() {
    return writer;
  }

  @Override
  public TraceReader reader() {
    return reader;
  }

  @Override
  public RollupStore rollups() {
    return rollups;
  }

  /** Checks both pools answer and the schema is exactly this build's. */
  @Override
  public void check() {
    for (HikariDataSource ds : new HikariDataSource[] {writes, reads}) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      } catch (SQLException e) {
        throw Failures.classify("checking " + dialect.name() + " (" + ds.getPoolName() + ')', e);
      }
    }
    migrator.verify();
  }

  /** Stops accepting writes, lets queued and in-flight ones finish (up to 30 s), then closes. */
  @Override
  public void close() {
    if (maintenance != null) maintenance.shutdownNow();
    if (writeExecutor != null) {
      writeExecutor.shutdown();
      try {
        if (!writeExecutor.awaitTermination(30, TimeUnit.SECONDS)) writeExecutor.shutdownNow();
      } catch (InterruptedException e) {
        writeExecutor.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (writes != null) writes.close();
    if (reads != null) reads.close();
  }

  /** Tests: empties every table and forgets cached names and partitions. */
  void truncateForTests() {
    List<String> tables = new ArrayList<>(dialect.partitioned() ? Partitions.TABLES
        : List.of("chunks", "trace_index")); // trace_index's trigger empties its FTS index
    tables.addAll(List.of("service_names", "operation_names", "remote_service_names", "tag_names",
        "rollups", "dependency_links", "watermarks", "leases", "chunk_dictionaries"));
    try (Connection c = writes.getConnection(); Statement s = c.createStatement()) {
      if (dialect.partitioned()) {
        s.execute("TRUNCATE " + String.join(", ", tables));
      } else {
        for (String t : tables) s.execute("DELETE FROM " + t);
      }
    } catch (SQLException e) {
      throw Failures.classify("truncating", e);
    }
    names.clear();
    dictionaryWrites.clear();
  }

  Dialect dialect() {
    return dialect;
  }

  DataSource writeDataSource() {
    return writes;
  }

  DataSource readDataSource() {
    return reads;
  }

  Partitions partitions() {
    return partitions;
  }

  DictionaryWrites dictionaryWrites() {
    return dictionaryWrites;
  }

  private static HikariDataSource pool(String name, DataSource raw, int size, Duration timeout) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setDataSource(raw);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(Math.min(size, 1));
    c.setConnectionTimeout(timeout.toMillis());
    c.setValidationTimeout(Math.min(timeout.toMillis(), 2_000));
    c.setAutoCommit(true);
    return new HikariDataSource(c);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + '-' + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** How PostgreSQL index rows are loaded; SQLite always uses prepared multi-row inserts. */
  public enum IndexLoad {
    /** {@code COPY ... FROM STDIN}, one per table per batch: the measured default. */
    COPY,
    /**
     * Multi-row {@code INSERT ... VALUES}: the comparator in BENCHMARKS.md, and for connection
     * proxies that do not pass COPY through.
     */
    INSERT
  }

  /** Configures a {@link JdbcStorage}; {@link #build()} validates and names a bad setting. */
  public static final class Builder {
    String postgresUrl;
    String user;
    String password;
    String schema = "public";
    Path sqliteFile;
    int writeConnections = Math.max(2, Runtime.getRuntime().availableProcessors());
    int readConnections = 4;
    int writeQueueCapacity = 64;
    int partitionDaysAhead = 3;
    long nameCacheBytes = 16L << 20;
    Duration connectionTimeout = Duration.ofSeconds(5);
    Duration statementTimeout = Duration.ofSeconds(30);
    Duration sqliteBusyTimeout = Duration.ofSeconds(5);
    boolean migrate;
    IndexLoad indexLoad = IndexLoad.COPY;
    String applicationName = "tracestore"; // tests give each storage its own, to find its sessions

    Builder() {}

    /** PostgreSQL at a JDBC URL ({@code jdbc:postgresql://host:port/db?...}). */
    public Builder postgres(String jdbcUrl) {
      this.postgresUrl = jdbcUrl;
      return this;
    }

    /** PostgreSQL user and password, when not in the URL. */
    public Builder credentials(String user, String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /** PostgreSQL schema holding the tables (default {@code public}). */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /** One SQLite file (created when missing), plus its {@code -wal} and {@code -shm} siblings. */
    public Builder sqlite(Path file) {
      this.sqliteFile = file;
      return this;
    }

    /**
     * PostgreSQL write connections, which is also the number of writer threads (default: the
     * number of cores, at least 2; more writers than cores measured slower, see BENCHMARKS.md).
     */
    public Builder writeConnections(int n) {
      this.writeConnections = n;
      return this;
    }

    /** Read connections (default 4). */
    public Builder readConnections(int n) {
      this.readConnections = n;
      return this;
    }

    /** Batches that may wait for a writer thread before writes fail fast (default 64). */
    public Builder writeQueueCapacity(int n) {
      this.writeQueueCapacity = n;
      return this;
    }

    /** PostgreSQL: daily partitions kept created ahead of today (default 3). */
    public Builder partitionDaysAhead(int days) {
      this.partitionDaysAhead = days;
      return this;
    }

    /** Approximate heap bound of the cache of already-written names (default 16 MiB). */
    public Builder nameCacheBytes(long bytes) {
      this.nameCacheBytes = bytes;
      return this;
    }

    /** How long a caller waits for a pooled connection before a retryable failure (default 5 s). */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = timeout;
      return this;
    }

    /** PostgreSQL statement_timeout of every session (default 30 s); 0 disables it. */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = timeout;
      return this;
    }

    /** SQLite busy_timeout: how long a statement waits for the file lock (default 5 s). */
    public Builder sqliteBusyTimeout(Duration timeout) {
      this.sqliteBusyTimeout = timeout;
      return this;
    }

    /** PostgreSQL: how index rows are loaded (default {@link IndexLoad#COPY}). */
    public Builder indexLoad(IndexLoad load) {
      this.indexLoad = Objects.requireNonNull(load, "indexLoad == null");
      return this;
    }

    /** Apply pending migrations at startup instead of refusing a database that lacks them. */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Connects, verifies (or migrates) the schema and creates partitions ahead.
     *
     * @throws IllegalArgumentException naming a bad setting
     * @throws StorageException when the database cannot be reached or its schema is not current
     */
    public JdbcStorage build() {
      if ((postgresUrl == null) == (sqliteFile == null)) {
        throw new IllegalArgumentException("set exactly one of postgres(url) or sqlite(file)");
      }
      if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("postgres url must start with jdbc:postgresql:, got "
            + postgresUrl);
      }
      if (writeConnections < 1) throw new IllegalArgumentException("writeConnections < 1");
      if (readConnections < 1) throw new IllegalArgumentException("readConnections < 1");
      if (writeQueueCapacity < 1) throw new IllegalArgumentException("writeQueueCapacity < 1");
      if (partitionDaysAhead < 0) throw new IllegalArgumentException("partitionDaysAhead < 0");
      if (nameCacheBytes < 0) throw new IllegalArgumentException("nameCacheBytes < 0");
      Objects.requireNonNull(connectionTimeout, "connectionTimeout == null");
      Objects.requireNonNull(statementTimeout, "statementTimeout == null");
      if (connectionTimeout.toMillis() < 250) {
        throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
      }
      if (sqliteFile != null) {
        try {
          Path parent = sqliteFile.toAbsolutePath().getParent();
          if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
          throw StorageException.permanent("cannot create the directory of " + sqliteFile, e);
        }
      }
      return new JdbcStorage(this);
    }

    DataSource postgresDataSource() {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      ds.setURL(postgresUrl);
      if (user != null) ds.setUser(user);
      if (password != null) ds.setPassword(password);
      ds.setCurrentSchema(schema);
      ds.setOptions("-c statement_timeout=" + statementTimeout.toMillis());
      ds.setApplicationName(applicationName);
      ds.setTcpKeepAlive(true);
      return ds;
    }

    DataSource sqliteDataSource() {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setBusyTimeout((int) sqliteBusyTimeout.toMillis());
      // SQLite's default page cache is 2 MiB; index inserts scatter over the b-trees, so a file of
      // a few hundred MB thrashed it (the write rate fell 3x between 20k and 200k spans).
      config.setCacheSize(-32_768); // KiB, per connection
      config.setTempStore(SQLiteConfig.TempStore.MEMORY);
      SQLiteDataSource ds = new SQLiteDataSource(config);
      ds.setUrl("jdbc:sqlite:" + sqliteFile.toAbsolutePath());
      return ds;
    }
  }
}
