package tracestore.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tracestore.storage.StorageException;
import tracestore.testnode.CassandraExtension;
import tracestore.testnode.TestKeyspace;

@ExtendWith(CassandraExtension.class)
class CqlMigratorTest {
  static final CqlScript V1 = CqlScript.of("V001__one.cql", "CREATE TABLE IF NOT EXISTS one (k int PRIMARY KEY);");
  static final CqlScript V2 = CqlScript.of("V002__two.cql", "CREATE TABLE IF NOT EXISTS two (k int PRIMARY KEY);");

  static CqlSession session;
  static String prefix;
  static final AtomicInteger next = new AtomicInteger();

  @BeforeAll
  static void connect(TestKeyspace ks) {
    prefix = ks.keyspace();
    session =
        CqlSession.builder()
            .addContactPoint(ks.contactPoint().address())
            .withLocalDatacenter(ks.contactPoint().localDatacenter())
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(20))
                    .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_INTERVAL, Duration.ofMillis(20))
                    .build())
            .build();
  }

  @AfterAll
  static void close() {
    if (session != null) session.close();
  }

  static String freshKeyspace() {
    return prefix + "_" + next.incrementAndGet();
  }

  static CqlMigrator migrator(String keyspace, CqlScript... scripts) {
    return CqlMigrator.newBuilder(session, keyspace).scripts(List.of(scripts)).build();
  }

  @Test
  void freshKeyspaceGetsTheBundledSchemaAndAReRunIsANoOp() {
    String ks = freshKeyspace();
    CqlMigrator migrator = CqlMigrator.newBuilder(session, ks).build();
    assertThatThrownBy(migrator::verify)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("has no tracestore schema")
        .hasMessageContaining("tracestore migrate");

    assertThat(migrator.migrate()).containsExactly(1, 2, 3, 4, 5);
    migrator.verify();
    assertThat(migrator.migrate()).isEmpty();
    assertThat(session.execute("SELECT version, checksum FROM " + ks + ".tracestore_schema_history").all())
        .hasSize(5);

    var keyspace = session.getMetadata().getKeyspace(ks).orElseThrow();
    assertThat(keyspace.getReplication())
        .containsEntry("class", "org.apache.cassandra.locator.SimpleStrategy")
        .containsEntry("replication_factor", "1");
    TableMetadata chunks = keyspace.getTable("chunks").orElseThrow();
    assertThat(chunks.getPartitionKey()).extracting(c -> c.getName().asInternal()).containsExactly("trace_id");
    assertThat(chunks.getClusteringColumns().keySet()).extracting(c -> c.getName().asInternal()).containsExactly("chunk_id");
    for (String table : List.of("chunks", "service_index", "operation_index", "tag_index", "service_tag_index", "index_segments")) {
      Map<CqlIdentifier, Object> options = keyspace.getTable(table).orElseThrow().getOptions();
      assertThat(options.get(CqlIdentifier.fromInternal("default_time_to_live"))).as(table).isEqualTo(604800);
      assertThat(options.get(CqlIdentifier.fromInternal("compaction")).toString())
          .as(table)
          .contains("TimeWindowCompactionStrategy");
      assertThat((String) options.get(CqlIdentifier.fromInternal("comment"))).as(table).isNotBlank();
    }
    assertThat(keyspace.getTable("service_index").orElseThrow().getPartitionKey())
        .extracting(c -> c.getName().asInternal())
        .containsExactly("service", "bucket");
    // V003: the tag postings share the (service, bucket) partition key of the other two indexes
    TableMetadata tags = keyspace.getTable("service_tag_index").orElseThrow();
    assertThat(tags.getPartitionKey()).extracting(c -> c.getName().asInternal()).containsExactly("service", "bucket");
    assertThat(tags.getClusteringColumns().keySet())
        .extracting(c -> c.getName().asInternal())
        .containsExactly("key", "value", "posting");
    // V004: dictionaries by id, no default TTL (the writer sets each row's TTL from the chunks table's)
    TableMetadata dictionaries = keyspace.getTable("chunk_dictionaries").orElseThrow();
    assertThat(dictionaries.getPartitionKey()).extracting(c -> c.getName().asInternal()).containsExactly("id");
    assertThat(dictionaries.getOptions().get(CqlIdentifier.fromInternal("default_time_to_live"))).isEqualTo(0);
    assertThat((String) dictionaries.getOptions().get(CqlIdentifier.fromInternal("comment"))).isNotBlank();
    // V005: one segment per (service, hour) per index flush, in the same partitions
    TableMetadata segments = keyspace.getTable("index_segments").orElseThrow();
    assertThat(segments.getPartitionKey()).extracting(c -> c.getName().asInternal()).containsExactly("service", "bucket");
    assertThat(segments.getClusteringColumns().keySet()).extracting(c -> c.getName().asInternal()).containsExactly("segment");
  }

  @Test
  void appliesOnlyPendingVersionsAndVerifyNamesTheCommand() {
    String ks = freshKeyspace();
    assertThat(migrator(ks, V1).migrate()).containsExactly(1);
    CqlMigrator newer = migrator(ks, V1, V2);
    assertThatThrownBy(newer::verify)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("lacks schema versions [2]")
        .hasMessageContaining("tracestore migrate")
        .matches(e -> !((StorageException) e).isRetryable());
    assertThat(newer.migrate()).containsExactly(2);
    newer.verify();
    assertThat(session.getMetadata().getKeyspace(ks).orElseThrow().getTable("two")).isPresent();
  }

  @Test
  void refusesAKeyspaceNewerThanTheCode() {
    String ks = freshKeyspace();
    migrator(ks, V1, V2).migrate();
    CqlMigrator older = migrator(ks, V1);
    for (Runnable call : List.<Runnable>of(older::verify, older::migrate)) {
      assertThatThrownBy(call::run)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("schema version 2")
          .hasMessageContaining("newer than this build")
          .hasMessageContaining("tracestore migrate")
          .matches(e -> !((StorageException) e).isRetryable());
    }
  }

  @Test
  void refusesAnEditedAppliedScript() {
    String ks = freshKeyspace();
    migrator(ks, V1).migrate();
    CqlScript edited = CqlScript.of("V001__one.cql", "CREATE TABLE IF NOT EXISTS one (k bigint PRIMARY KEY);");
    CqlMigrator m = migrator(ks, edited, V2);
    for (Runnable call : List.<Runnable>of(m::verify, m::migrate)) {
      assertThatThrownBy(call::run)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("was edited")
          .hasMessageContaining(V1.checksum())
          .hasMessageContaining("tracestore migrate");
    }
    assertThat(session.getMetadata().getKeyspace(ks).orElseThrow().getTable("two")).isEmpty();
  }

  @Test
  void concurrentMigratorsApplyEachVersionOnce() throws Exception {
    String ks = freshKeyspace();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<List<Integer>>> tasks = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String owner = "migrator-" + i;
        tasks.add(() -> CqlMigrator.newBuilder(session, ks).scripts(List.of(V1, V2)).owner(owner).build().migrate());
      }
      List<Integer> appliedByAll = new ArrayList<>();
      for (Future<List<Integer>> f : pool.invokeAll(tasks)) appliedByAll.addAll(f.get());
      assertThat(appliedByAll).containsExactlyInAnyOrder(1, 2);
    } finally {
      pool.shutdownNow();
    }
    assertThat(session.execute("SELECT version FROM " + ks + ".tracestore_schema_history").all()).hasSize(2);
    assertThat(session.execute("SELECT name FROM " + ks + ".tracestore_schema_lock").all()).isEmpty();
  }

  @Test
  void aHeldLockFailsRetryablyNamingItsHolder() {
    String ks = freshKeyspace();
    migrator(ks, V1).migrate(); // creates the keyspace and lock table
    session.execute(
        "INSERT INTO " + ks + ".tracestore_schema_lock (name, owner) VALUES ('migrate', 'host-b/42') USING TTL 120");
    CqlMigrator blocked =
        CqlMigrator.newBuilder(session, ks).scripts(List.of(V1, V2)).lockWait(Duration.ofMillis(600)).build();
    assertThatThrownBy(blocked::migrate)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("being migrated by host-b/42")
        .matches(e -> ((StorageException) e).isRetryable());
    assertThat(session.getMetadata().getKeyspace(ks).orElseThrow().getTable("two")).isEmpty();
  }

  @Test
  void replicationIsConfigurable() {
    String ks = freshKeyspace();
    CqlMigrator.newBuilder(session, ks)
        .networkTopology(Map.of("datacenter1", 1))
        .scripts(List.of(V1))
        .build()
        .migrate();
    assertThat(session.getMetadata().getKeyspace(ks).orElseThrow().getReplication())
        .containsEntry("class", "org.apache.cassandra.locator.NetworkTopologyStrategy")
        .containsEntry("datacenter1", "1");
  }

  @Test
  void builderNamesBadSettings() {
    assertThatThrownBy(() -> CqlMigrator.newBuilder(session, "Bad-Name").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyspace");
    assertThatThrownBy(() -> CqlMigrator.newBuilder(session, "ok").simpleStrategy(0))
        .hasMessageContaining("replication factor");
  }
}
