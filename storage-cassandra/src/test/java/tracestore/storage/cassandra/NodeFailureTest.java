package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracestore.schema.CqlMigrator;
import tracestore.storage.ChunkDictionary;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchRequest;
import tracestore.storage.StorageException;
import tracestore.storage.TraceHit;
import tracestore.storage.WriteBatch;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;
import tracestore.testnode.ContactPoint;
import tracestore.testnode.NodeLauncher;

/**
 * The node dies and comes back: while it is down every write and read fails with a retryable
 * {@link StorageException}; once it is back, the same storage instance works again without a
 * restart, and what was acknowledged before the crash is still there. Runs on a node of its own, so
 * the build's shared node is never disturbed.
 */
class NodeFailureTest {
  static final Duration START = Duration.ofMinutes(3);
  static NodeLauncher node;
  static ContactPoint contactPoint;
  static CassandraStorage storage;
  static final String keyspace = "failover";
  static final WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey());

  @BeforeAll
  static void startDedicatedNode() {
    // crash-safe: with Cassandra's default periodic commit log, a killed single node may lose the
    // writes of its last seconds, acknowledged or not (replicas cover that in a real cluster)
    node = NodeLauncher.dedicatedCrashSafe(Path.of("target", "cassandra-node-failover"), "768M");
    contactPoint = node.startOrReuse(START, NodeLauncher.defaultOwnerPid());
    try (CqlSession session = TestSessions.open(contactPoint)) {
      CqlMigrator.newBuilder(session, keyspace).build().migrate();
    }
    storage =
        CassandraStorage.newBuilder()
            .contactPoint(contactPoint.address())
            .localDatacenter(contactPoint.localDatacenter())
            .keyspace(keyspace)
            .requestTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterAll
  static void stopDedicatedNode() {
    if (storage != null) storage.close();
    if (node != null) node.kill();
  }

  @Test
  void failsRetryablyWhileTheNodeIsDownAndRecoversWithoutARestart() throws Exception {
    String service = "failover" + testSuffix();
    List<Span> before = trace(service);
    await(storage.writer().write(batches.toBatch(before)));
    assertThat(storage.reader().getTrace(before.get(0).traceId())).containsExactlyElementsOf(before);

    node.kill();

    List<Span> during = trace(service);
    ChunkDictionary dictionary = CassandraDictionaryTest.dictionary();
    WriteBatch duringBatch = CassandraDictionaryTest.batch(during, dictionary);
    Throwable writeFailure = failureOf(() -> await(storage.writer().write(duringBatch)));
    assertRetryable(writeFailure);
    assertThat(writeFailure).as("the dictionary insert, sent first, fails").hasMessageContaining("chunk dictionaries");
    assertRetryable(failureOf(() -> storage.reader().getTrace(before.get(0).traceId())));
    assertRetryable(failureOf(() -> storage.reader().search(searchAll(service, before))));
    assertRetryable(failureOf(() -> storage.reader().services()));
    assertRetryable(failureOf(storage::check));

    node.restart(START, NodeLauncher.defaultOwnerPid());

    // The same instance: the driver reconnects by itself; the failed write is simply repeated.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        await(storage.writer().write(duringBatch));
        break;
      } catch (StorageException e) {
        assertThat(e.isRetryable()).as("failure while reconnecting: %s", e).isTrue();
        if (System.nanoTime() > deadline) throw new AssertionError("no recovery within 60 s", e);
        Thread.sleep(200);
      }
    }
    storage.check();
    assertThat(storage.reader().getTrace(before.get(0).traceId())).containsExactlyElementsOf(before);
    assertThat(storage.reader().getTrace(during.get(0).traceId())).containsExactlyElementsOf(during);
    assertThat(storage.dictionaryLoader().load(dictionary.id())).isEqualTo(dictionary.payload());
    assertThat(storage.reader().search(searchAll(service, before)).hits())
        .extracting(TraceHit::traceId)
        .containsExactlyInAnyOrder(during.get(0).traceId(), before.get(0).traceId());
  }

  private static SearchRequest searchAll(String service, List<Span> trace) {
    long t = trace.get(0).startEpochNanos();
    return SearchRequest.newBuilder().service(service).timeRange(t - 3_600_000 * MILLI, t + 3_600_000 * MILLI).build();
  }

  private static List<Span> trace(String service) {
    TraceId id = newTraceId();
    long t = newBaseTime();
    Span root = span(id, newSpanId(), 0, service, "root", t, 10 * MILLI).build();
    Span child = span(id, newSpanId(), root.spanId(), service, "child", t + MILLI, 5 * MILLI).build();
    return List.of(root, child);
  }

  private static void assertRetryable(Throwable failure) {
    assertThat(failure).isInstanceOf(StorageException.class);
    assertThat(((StorageException) failure).isRetryable()).as("retryable: %s", failure).isTrue();
  }

  private static Throwable failureOf(Runnable call) {
    Throwable[] thrown = new Throwable[1];
    assertThatThrownBy(
            () -> {
              try {
                call.run();
              } catch (Throwable t) {
                thrown[0] = t;
                throw t;
              }
            })
        .isNotNull();
    return thrown[0];
  }

  private static void await(java.util.concurrent.CompletionStage<Void> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (TimeoutException e) {
      throw new AssertionError("write hung for 30 s: the stage must fail, not hang", e);
    }
  }
}
