package tracestore.schema;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import tracestore.storage.StorageException;

/**
 * Applies the CQL migrations under {@code tracestore/schema/cql/} (listed, in order, in {@code
 * migrations.txt}) to one keyspace. Flyway has no Cassandra module, so this is a small in-house
 * runner with the same promises as the SQL side:
 *
 * <ul>
 *   <li>{@link #migrate()} creates the keyspace when missing (replication from the builder, default
 *       SimpleStrategy RF 1), then applies the pending scripts in version order and records each in
 *       {@value #HISTORY_TABLE} with its checksum. A second run is a no-op.
 *   <li>Two instances never migrate at once: a lock row is taken with a lightweight transaction
 *       ({@code INSERT ... IF NOT EXISTS USING TTL}), so a crashed owner's lock expires by itself.
 *       A migrator that cannot get it within {@code lockWait} fails with a retryable error naming the
 *       holder.
 *   <li>{@link #migrate()} and {@link #verify()} refuse a keyspace that holds a version this build
 *       does not know (newer than the code) or whose applied script was since edited, with a permanent
 *       {@link StorageException} whose message names {@code tracestore migrate}. {@link #verify()} also
 *       refuses pending scripts; backends call it at startup instead of probing tables.
 * </ul>
 *
 * Scripts must be idempotent ({@code IF NOT EXISTS}), so a run that died halfway can be repeated.
 * Thread-safe; blocking.
 */
public final class CqlMigrator {
  /** Applied versions: version, description, checksum, applied_at, applied_by. */
  public static final String HISTORY_TABLE = "tracestore_schema_history";
  /** The lock row, one per keyspace, expiring by TTL. */
  public static final String LOCK_TABLE = "tracestore_schema_lock";

  static final String MIGRATE_COMMAND = "tracestore migrate";
  private static final String RESOURCE_DIR = "tracestore/schema/cql/";
  private static final String LOCK_NAME = "migrate";
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

  private final CqlSession session;
  private final String keyspace;
  private final CqlIdentifier keyspaceId;
  private final Map<String, String> replication;
  private final List<CqlScript> scripts;
  private final Duration lockWait;
  private final Duration lockTtl;
  private final String owner;

  private CqlMigrator(Builder b) {
    session = b.session;
    keyspace = b.keyspace;
    keyspaceId = CqlIdentifier.fromInternal(b.keyspace);
    replication = Map.copyOf(b.replication);
    scripts = b.scripts.stream().sorted(Comparator.comparingInt(CqlScript::version)).toList();
    lockWait = b.lockWait;
    lockTtl = b.lockTtl;
    owner = b.owner;
  }

  /**
   * @param session a session not bound to a keyspace, or bound to any keyspace: statements name
   *     {@code keyspace} explicitly
   * @param keyspace lower case letters, digits and underscores, at most 48 characters
   */
  public static Builder newBuilder(CqlSession session, String keyspace) {
    return new Builder(session, keyspace);
  }

  /** The newest version this build knows. */
  public int latestVersion() {
    return scripts.isEmpty() ? 0 : scripts.get(scripts.size() - 1).version();
  }

  /**
   * Brings the keyspace up to date.
   *
   * @return the versions applied by this call, ascending; empty when it already was current
   * @throws StorageException permanent when the keyspace is newer than this build or an applied
   *     script was edited; retryable when the lock stays held or the node does not answer
   */
  public List<Integer> migrate() {
    try {
      execute(
          "CREATE KEYSPACE IF NOT EXISTS " + keyspaceId.asCql(true) + " WITH replication = "
              + replicationCql());
      execute(
          "CREATE TABLE IF NOT EXISTS " + table(HISTORY_TABLE) + " (version int PRIMARY KEY,"
              + " description text, checksum text, applied_at timestamp, applied_by text)"
              + " WITH comment = 'tracestore schema versions applied by CqlMigrator'");
      execute(
          "CREATE TABLE IF NOT EXISTS " + table(LOCK_TABLE) + " (name text PRIMARY KEY, owner text,"
              + " acquired_at timestamp) WITH comment = 'CqlMigrator lock: one row while a migration runs'");
      acquireLock();
      try {
        Map<Integer, Row> applied = applied();
        checkNotNewerOrEdited(applied);
        List<Integer> done = new ArrayList<>();
        for (CqlScript script : scripts) {
          if (applied.containsKey(script.version())) continue;
          for (String statement : script.statements()) {
            session.execute(
                SimpleStatement.newInstance(statement).setKeyspace(keyspaceId).setTimeout(DDL_TIMEOUT));
          }
          session.execute(
              SimpleStatement.newInstance(
                      "INSERT INTO " + table(HISTORY_TABLE) + " (version, description, checksum,"
                          + " applied_at, applied_by) VALUES (?, ?, ?, ?, ?)",
                      script.version(), script.description(), script.checksum(), Instant.now(), owner)
                  .setConsistencyLevel(ConsistencyLevel.QUORUM));
          done.add(script.version());
        }
        return done;
      } finally {
        releaseLock();
      }
    } catch (QueryValidationException e) {
      throw StorageException.permanent(
          "migrating keyspace " + keyspace + " failed: Cassandra rejected a statement: " + e.getMessage(), e);
    } catch (DriverException e) {
      throw StorageException.retryable(
          "migrating keyspace " + keyspace + " failed: " + e.getMessage() + "; run " + MIGRATE_COMMAND
              + " again once Cassandra answers",
          e);
    }
  }

  /**
   * Checks that the keyspace holds exactly the versions this build knows, unedited.
   *
   * @throws StorageException permanent, naming {@code tracestore migrate}, when it is missing, behind,
   *     newer or edited; retryable when the node does not answer
   */
  public void verify() {
    try {
      boolean hasHistory =
          session.getMetadata().getKeyspace(keyspaceId).flatMap(k -> k.getTable(HISTORY_TABLE)).isPresent();
      if (!hasHistory) {
        throw StorageException.permanent(
            "keyspace " + keyspace + " has no tracestore schema; run " + MIGRATE_COMMAND, null);
      }
      Map<Integer, Row> applied = applied();
      checkNotNewerOrEdited(applied);
      List<Integer> pending =
          scripts.stream().map(CqlScript::version).filter(v -> !applied.containsKey(v)).toList();
      if (!pending.isEmpty()) {
        throw StorageException.permanent(
            "keyspace " + keyspace + " lacks schema versions " + pending + " (this build needs version "
                + latestVersion() + "); run " + MIGRATE_COMMAND,
            null);
      }
    } catch (DriverException e) {
      throw StorageException.retryable(
          "cannot read the schema version of keyspace " + keyspace + ": " + e.getMessage(), e);
    }
  }

  private Map<Integer, Row> applied() {
    ResultSet rs =
        session.execute(
            SimpleStatement.newInstance("SELECT version, description, checksum FROM " + table(HISTORY_TABLE))
                .setConsistencyLevel(ConsistencyLevel.QUORUM));
    Map<Integer, Row> byVersion = new TreeMap<>();
    for (Row row : rs) byVersion.put(row.getInt("version"), row);
    return byVersion;
  }

  private void checkNotNewerOrEdited(Map<Integer, Row> applied) {
    Map<Integer, CqlScript> known =
        scripts.stream().collect(Collectors.toMap(CqlScript::version, s -> s, (a, b) -> a, LinkedHashMap::new));
    for (Map.Entry<Integer, Row> e : applied.entrySet()) {
      CqlScript script = known.get(e.getKey());
      if (script == null) {
        throw StorageException.permanent(
            "keyspace " + keyspace + " is at schema version " + e.getKey() + " (" + e.getValue().getString("description")
                + "), newer than this build, which knows up to version " + latestVersion()
                + "; run a tracestore release that knows it (its " + MIGRATE_COMMAND + " applied it)",
            null);
      }
      String checksum = e.getValue().getString("checksum");
      if (!script.checksum().equals(checksum)) {
        throw StorageException.permanent(
            "schema version " + script.version() + " (" + script.description() + ") applied to keyspace "
                + keyspace + " has checksum " + checksum + " but this build's script has " + script.checksum()
                + ": an applied migration was edited; restore it and put the change in a new version for "
                + MIGRATE_COMMAND,
            null);
      }
    }
  }

  private void acquireLock() {
    long deadline = System.nanoTime() + lockWait.toNanos();
    String holder;
    do {
      Row row =
          session
              .execute(
                  SimpleStatement.newInstance(
                          "INSERT INTO " + table(LOCK_TABLE) + " (name, owner, acquired_at) VALUES (?, ?, ?)"
                              + " IF NOT EXISTS USING TTL ?",
                          LOCK_NAME, owner, Instant.now(), (int) lockTtl.toSeconds())
                      .setSerialConsistencyLevel(ConsistencyLevel.SERIAL)
                      .setConsistencyLevel(ConsistencyLevel.QUORUM))
              .one();
      if (row == null || row.getBoolean("[applied]")) return;
      holder = row.getString("owner");
      sleep(250);
    } while (System.nanoTime() < deadline);
    throw StorageException.retryable(
        "keyspace " + keyspace + " is being migrated by " + holder + " (lock row in " + LOCK_TABLE
            + ", expires within " + lockTtl.toSeconds() + " s); run " + MIGRATE_COMMAND
            + " again when it is done",
        null);
  }

  private void releaseLock() {
    try {
      session.execute(
          SimpleStatement.newInstance("DELETE FROM " + table(LOCK_TABLE) + " WHERE name = ? IF owner = ?", LOCK_NAME, owner)
              .setSerialConsistencyLevel(ConsistencyLevel.SERIAL)
              .setConsistencyLevel(ConsistencyLevel.QUORUM));
    } catch (DriverException e) {
      // the TTL frees it; the migration's own outcome is what the caller needs to see
    }
  }

  private void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
  }

  private String table(String name) {
    return keyspaceId.asCql(true) + "." + name;
  }

  private String replicationCql() {
    return replication.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> "'" + e.getKey().replace("'", "''") + "': '" + e.getValue().replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StorageException.retryable("interrupted while waiting for the migration lock", e);
    }
  }

  /** The scripts shipped in this jar, in the order of {@code migrations.txt}. */
  static List<CqlScript> bundledScripts() {
    List<CqlScript> out = new ArrayList<>();
    for (String line : resource("migrations.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) continue;
      out.add(CqlScript.of(name, resource(name)));
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = CqlMigrator.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE_DIR + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings of a migrator; {@link #build()} validates them and names the bad one. */
  public static final class Builder {
    private final CqlSession session;
    private final String keyspace;
    private Map<String, String> replication = Map.of("class", "SimpleStrategy", "replication_factor", "1");
    private List<CqlScript> scripts;
    private Duration lockWait = Duration.ofSeconds(60);
    private Duration lockTtl = Duration.ofMinutes(5);
    private String owner = defaultOwner();

    private Builder(CqlSession session, String keyspace) {
      this.session = Objects.requireNonNull(session, "session == null");
      this.keyspace = Objects.requireNonNull(keyspace, "keyspace == null");
    }

    /** SimpleStrategy with this replication factor (the default is 1, for local use). */
    public Builder simpleStrategy(int replicationFactor) {
      if (replicationFactor < 1) throw new IllegalArgumentException("replication factor < 1: " + replicationFactor);
      replication = Map.of("class", "SimpleStrategy", "replication_factor", Integer.toString(replicationFactor));
      return this;
    }

    /** NetworkTopologyStrategy with a replication factor per datacenter, for production. */
    public Builder networkTopology(Map<String, Integer> factorByDatacenter) {
      if (factorByDatacenter.isEmpty()) throw new IllegalArgumentException("no datacenter given");
      Map<String, String> r = new TreeMap<>();
      r.put("class", "NetworkTopologyStrategy");
      factorByDatacenter.forEach(
          (dc, rf) -> {
            if (rf < 1) throw new IllegalArgumentException("replication factor of " + dc + " < 1: " + rf);
            r.put(dc, Integer.toString(rf));
          });
      replication = r;
      return this;
    }

    /** How long to wait for another migrator's lock before failing (default 60 s). */
    public Builder lockWait(Duration lockWait) {
      this.lockWait = Objects.requireNonNull(lockWait, "lockWait == null");
      return this;
    }

    /** How long a lock lives if its owner dies (default 5 min); must exceed a migration's duration. */
    public Builder lockTtl(Duration lockTtl) {
      this.lockTtl = Objects.requireNonNull(lockTtl, "lockTtl == null");
      return this;
    }

    /** Who takes the lock and applies scripts, for the history table; default host/pid/random. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner == null");
      return this;
    }

    Builder scripts(List<CqlScript> scripts) {
      this.scripts = List.copyOf(scripts);
      return this;
    }

    public CqlMigrator build() {
      if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
        throw new IllegalArgumentException(
            "keyspace must be lower case letters, digits and underscores, at most 48 characters: '" + keyspace + "'");
      }
      if (lockTtl.toSeconds() < 1) throw new IllegalArgumentException("lockTtl < 1 s: " + lockTtl);
      if (lockWait.isNegative()) throw new IllegalArgumentException("lockWait < 0: " + lockWait);
      if (scripts == null) scripts = bundledScripts();
      long distinct = scripts.stream().mapToInt(CqlScript::version).distinct().count();
      if (distinct != scripts.size()) throw new IllegalArgumentException("two scripts share a version");
      return new CqlMigrator(this);
    }

    private static String defaultOwner() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "unknown-host";
      }
      return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
