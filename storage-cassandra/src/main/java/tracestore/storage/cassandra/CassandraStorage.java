package tracestore.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tracestore.schema.CqlMigrator;
import tracestore.storage.RollupStore;
import tracestore.storage.SpanWriter;
import tracestore.storage.Storage;
import tracestore.storage.StorageException;
import tracestore.storage.TraceReader;
import tracestore.storage.codec.ChunkDictionaries;

/**
 * The Cassandra backend. Build it with {@link #newBuilder()}; the keyspace must have been migrated
 * ({@code tracestore migrate}, i.e. {@link CqlMigrator}); {@link #check()} verifies it.
 *
 * <p>Writes are asynchronous, prepared, token-aware (the driver's default policy routes each
 * statement to a replica of its partition), at LOCAL_QUORUM unless configured, with a bound on the
 * statements in flight (see {@link Builder#maxInFlight}). Reads are blocking. Failures are {@link
 * StorageException}s, retryable when the node is down or slow; the driver reconnects by itself, so
 * the same instance recovers when the node is back. Thread-safe.
 */
public final class CassandraStorage implements Storage {
  private final CqlSession session;
  private final boolean ownsSession;
  private final String keyspace;
  private final InFlight inFlight;
  private final ThreadPoolExecutor executor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final CassandraSpanWriter writer;
  private final CassandraTraceReader reader;
  private final Statements statements;
  private final CassandraRollupStore rollups;

  private CassandraStorage(Builder b, CqlSession session, boolean ownsSession) {
    this.session = session;
    this.ownsSession = ownsSession;
    this.keyspace = b.keyspace;
    ThreadFactory threads = daemonThreads("tracestore-cassandra-");
    // Each queued task is the continuation of one completed statement or one waiting write, so the
    // queue never holds more than maxInFlight + maxWaitingWrites tasks.
    this.executor =
        new ThreadPoolExecutor(
            2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(b.maxInFlight + b.maxWaitingWrites + 16), threads);
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("tracestore-cassandra-wait-"));
    scheduler.setRemoveOnCancelPolicy(true);
    try {
      StatementContext ctx =
          new StatementContext(session, CqlIdentifier.fromInternal(b.keyspace), b.writeConsistency, b.readConsistency);
      this.statements = new Statements(ctx);
      this.inFlight =
          new InFlight(session, b.maxInFlight, b.perWriteWindow, b.acquireTimeout, b.maxWaitingWrites, executor, scheduler);
      this.writer = new CassandraSpanWriter(statements, inFlight, new NameCache(b.nameCacheSize, b.nameRefresh.toNanos()),
          new DictionaryWrites(statements, inFlight));
      // One dictionary cache per storage: chunks of every read and scan resolve through it.
      ChunkDictionaries dictionaries = new ChunkDictionaries(statements.selectDictionary);
      this.reader = new CassandraTraceReader(statements, dictionaries);
      this.rollups = new CassandraRollupStore(statements, new RollupStatements(ctx), dictionaries);
    } catch (RuntimeException e) {
      shutdown();
      throw Failures.map(e, "preparing statements for keyspace " + b.keyspace);
    }
  }

  /** The writer, for tests of its statement plan. */
  CassandraSpanWriter spanWriter() {
    return writer;
  }

  /** What the storage's chunk dictionaries load through, for tests. */
  SelectDictionary dictionaryLoader() {
    return statements.selectDictionary;
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

  /** Retention's tables (schema V002): aggregates by day partition, leases by LWT, raw data left to TTL. */
  @Override
  public RollupStore rollups() {
    return rollups;
  }

  /** Cassandra answers and the keyspace holds exactly the schema versions of this build. */
  @Override
  public void check() {
    try {
      session.execute(statements.selectReleaseVersion.bind());
    } catch (RuntimeException e) {
      throw Failures.map(e, "checking Cassandra");
    }
    CqlMigrator.newBuilder(session, keyspace).build().verify();
  }

  /**
   * Waits up to 10 s for writes in progress (statements in flight, or index entries waiting for their
   * group commit), then releases the threads (and the session if it owns it).
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inFlight != null
        && (inFlight.inFlight() > 0 || writer.inProgress() > 0)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    shutdown();
  }

  private void shutdown() {
    scheduler.shutdownNow();
    executor.shutdown();
    if (ownsSession) session.close();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Settings; frozen by {@link #build()}, which validates them and names the bad one. */
  public static final class Builder {
    private final List<InetSocketAddress> contactPoints = new ArrayList<>();
    private String localDatacenter = "datacenter1";
    private String keyspace = "tracestore";
    private CqlSession session;
    private ConsistencyLevel writeConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private ConsistencyLevel readConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
    private int maxInFlight = 256;
    private int perWriteWindow = 64;
    private Duration acquireTimeout = Duration.ofMillis(100);
    private int maxWaitingWrites = 1024;
    private Duration requestTimeout = Duration.ofSeconds(5);
    private int nameCacheSize = 10_000;
    private Duration nameRefresh = Duration.ofHours(1);

    private Builder() {}

    /** A node to contact first (native protocol port, usually 9042); add one or more. */
    public Builder contactPoint(InetSocketAddress address) {
      contactPoints.add(Objects.requireNonNull(address, "contactPoint == null"));
      return this;
    }

    /** The datacenter whose nodes serve requests (LOCAL_* consistency); default {@code datacenter1}. */
    public Builder localDatacenter(String localDatacenter) {
      this.localDatacenter = Objects.requireNonNull(localDatacenter, "localDatacenter == null");
      return this;
    }

    /** The migrated keyspace; default {@code tracestore}. */
    public Builder keyspace(String keyspace) {
      this.keyspace = Objects.requireNonNull(keyspace, "keyspace == null");
      return this;
    }

    /**
     * Uses an existing session instead of opening one from the contact points. The storage never
     * closes it; its statements name the keyspace explicitly, so the session may be bound to any.
     */
    public Builder session(CqlSession session) {
      this.session = Objects.requireNonNull(session, "session == null");
      return this;
    }

    /** Consistency of writes, by name (e.g. {@code LOCAL_QUORUM}, the default, or {@code ONE}). */
    public Builder writeConsistency(String level) {
      this.writeConsistency = consistency("writeConsistency", level);
      return this;
    }

    /** Consistency of reads, by name; default {@code LOCAL_QUORUM}. */
    public Builder readConsistency(String level) {
      this.readConsistency = consistency("readConsistency", level);
      return this;
    }

    /**
     * The most statements in flight for the whole storage (default 256). A write that cannot get
     * its window of permits within {@link #acquireTimeout} fails with {@code OverCapacityException}.
     */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** The most statements one write keeps in flight (default 64, capped at maxInFlight). */
    public Builder perWriteWindow(int perWriteWindow) {
      this.perWriteWindow = perWriteWindow;
      return this;
    }

    /** How long a write may wait, off the caller's thread, for in-flight permits (default 100 ms). */
    public Builder acquireTimeout(Duration acquireTimeout) {
      this.acquireTimeout = Objects.requireNonNull(acquireTimeout, "acquireTimeout == null");
      return this;
    }

    /** The most writes waiting for permits at once (default 1024); beyond, writes fail at once. */
    public Builder maxWaitingWrites(int maxWaitingWrites) {
      this.maxWaitingWrites = maxWaitingWrites;
      return this;
    }

    /** The driver's per-request timeout when this storage opens the session (default 5 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout == null");
      return this;
    }

    /** How many written names to remember (default 10,000) so repeats are not rewritten. */
    public Builder nameCacheSize(int nameCacheSize) {
      this.nameCacheSize = nameCacheSize;
      return this;
    }

    /** After this long a remembered name is written again, refreshing its TTL (default 1 h). */
    public Builder nameRefresh(Duration nameRefresh) {
      this.nameRefresh = Objects.requireNonNull(nameRefresh, "nameRefresh == null");
      return this;
    }

    /**
     * Opens the session (unless one was given) and prepares every statement.
     *
     * @throws IllegalArgumentException naming a bad setting
     * @throws StorageException when Cassandra does not answer (retryable) or the keyspace is not
     *     migrated (permanent, naming {@code tracestore migrate})
     */
    public CassandraStorage build() {
      if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
        throw new IllegalArgumentException("keyspace must be lower case [a-z0-9_], at most 48 characters: " + keyspace);
      }
      if (session == null && contactPoints.isEmpty()) {
        throw new IllegalArgumentException("set a contactPoint or a session");
      }
      positive("maxInFlight", maxInFlight);
      positive("perWriteWindow", perWriteWindow);
      positive("maxWaitingWrites", maxWaitingWrites);
      positive("nameCacheSize", nameCacheSize);
      if (acquireTimeout.isNegative()) throw new IllegalArgumentException("acquireTimeout < 0: " + acquireTimeout);
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be > 0: " + requestTimeout);
      }
      if (session != null) return new CassandraStorage(this, session, false);
      CqlSession opened;
      try {
        opened =
            CqlSession.builder()
                .addContactPoints(contactPoints)
                .withLocalDatacenter(localDatacenter)
                .withConfigLoader(
                    DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                        // come back quickly after a node restart
                        .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
                        .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(5))
                        .build())
                .build();
      } catch (RuntimeException e) {
        throw Failures.map(e, "connecting to Cassandra at " + contactPoints);
      }
      try {
        return new CassandraStorage(this, opened, true);
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
    }

    private static void positive(String name, int value) {
      if (value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }

    private static ConsistencyLevel consistency(String setting, String level) {
      try {
        return DefaultConsistencyLevel.valueOf(level.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(setting + ": unknown consistency level '" + level + "'", e);
      }
    }
  }
}
