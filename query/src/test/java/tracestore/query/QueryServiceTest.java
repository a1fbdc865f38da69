package tracestore.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracestore.storage.Operation;
import tracestore.storage.OverCapacityException;
import tracestore.storage.SearchRequest;
import tracestore.storage.SearchResult;
import tracestore.storage.StorageException;
import tracestore.storage.TraceReader;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/** The entry point's settings and the failure statuses, with readers that block or fail on purpose. */
class QueryServiceTest {

  /** A reader whose {@code services()} runs a given action; everything else is empty. */
  record ScriptedReader(Runnable onServices) implements TraceReader {
    @Override
    public List<Span> getTrace(TraceId traceId) {
      return List.of();
    }

    @Override
    public List<List<Span>> getTraces(Collection<TraceId> traceIds) {
      return List.of();
    }

    @Override
    public SearchResult search(SearchRequest request) {
      return new SearchResult(List.of(), null, true);
    }

    @Override
    public List<String> services() {
      onServices.run();
      return List.of("a");
    }

    @Override
    public List<Operation> operations(String service) {
      return List.of();
    }

    @Override
    public List<String> remoteServices(String service) {
      return List.of();
    }

    @Override
    public List<String> tagKeys() {
      return List.of();
    }

    @Override
    public List<String> tagValues(String key) {
      return List.of();
    }
  }

  @Test
  void builderNamesTheBadSetting() {
    TraceReader r = new ScriptedReader(() -> {});
    assertThatThrownBy(() -> QueryService.newBuilder(r).maxConcurrentReads(0).build()).hasMessageContaining("maxConcurrentReads");
    assertThatThrownBy(() -> QueryService.newBuilder(r).dependencyTraceLimit(0).build()).hasMessageContaining("dependencyTraceLimit");
    assertThatThrownBy(() -> QueryService.newBuilder(r).defaultLookback(Duration.ZERO).build()).hasMessageContaining("defaultLookback");
    assertThatThrownBy(() -> QueryService.newBuilder(null)).hasMessageContaining("reader");
  }

  @Test
  void beyondMaxConcurrentReads_answers503WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TraceReader blocking = new ScriptedReader(() -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    ExecutorService client = Executors.newSingleThreadExecutor();
    try (TestServer s = new TestServer(QueryService.newBuilder(blocking).maxConcurrentReads(1).ui(false).build())) {
      CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> s.get("/api/v2/services"), client);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      HttpResponse<String> second = s.get("/api/native/services");
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(second.headers().firstValue("retry-after")).contains("1");
      release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/v2/services").statusCode()).as("the permit came back").isEqualTo(200);
    } finally {
      release.countDown();
      client.shutdownNow();
    }
  }

  @Test
  void storageFailuresAre503_bugsAre500() {
    try (TestServer down = new TestServer(QueryService.newBuilder(new ScriptedReader(() -> {
          throw new StorageException("database unreachable", true, null);
        })).ui(false).build());
        TestServer full = new TestServer(QueryService.newBuilder(new ScriptedReader(() -> {
          throw new OverCapacityException("too busy", null);
        })).ui(false).build());
        TestServer buggy = new TestServer(QueryService.newBuilder(new ScriptedReader(() -> {
          throw new IllegalStateException("oops");
        })).ui(false).build())) {
      HttpResponse<String> r = down.get("/api/v2/services");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("database unreachable");
      HttpResponse<String> f = full.get("/api/v2/services");
      assertThat(f.statusCode()).isEqualTo(503);
      assertThat(f.headers().firstValue("retry-after")).isPresent();
      assertThat(buggy.get("/api/v2/services").statusCode()).isEqualTo(500);
    }
  }

  @Test
  void onlyGetAndHeadAreTaken_soIngestCanPostOnTheSamePaths() throws Exception {
    ServerBuilder sb =
        Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0);
    sb.route().post("/api/v2/spans").build((ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(202));
    QueryService.newBuilder(new ScriptedReader(() -> {})).build().registerOn(sb);
    Server server = sb.build();
    server.start().join();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI spans = URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/api/v2/spans");
      HttpResponse<String> post = client.send(
          HttpRequest.newBuilder(spans).POST(HttpRequest.BodyPublishers.ofString("[]")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(202);
      HttpResponse<String> get = client.send(
          HttpRequest.newBuilder(URI.create(spans + "?serviceName=a")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("[]");
      HttpResponse<String> delete = client.send(
          HttpRequest.newBuilder(URI.create(spans + "?serviceName=a")).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(delete.statusCode()).isEqualTo(405);
    } finally {
      server.stop().join();
    }
  }

  @Test
  void uiCanBeTurnedOff() {
    try (TestServer s = new TestServer(QueryService.newBuilder(new ScriptedReader(() -> {})).ui(false).build())) {
      assertThat(s.get("/zipkin/").statusCode()).isEqualTo(404);
      assertThat(s.get("/zipkin/api/v2/services").statusCode()).isEqualTo(200);
    }
  }
}
