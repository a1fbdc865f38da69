package tracestore.ingest;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tracestore.storage.SpanWriter;

/** An Armeria server on an ephemeral port running one {@link IngestService}, plus a JDK client. */
final class Harness implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final IngestService ingest;
  final Server server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Harness(SpanWriter writer, IngestConfig config) {
    ingest =
        IngestService.builder(writer)
            .config(config.toBuilder().bindAddress("127.0.0.1").otlpGrpcPort(0).otlpHttpPort(-1).zipkinPort(-1).build())
            .meterRegistry(registry)
            .build();
    // Tests read every answer before closing, so no quiet period is needed on stop.
    ServerBuilder sb = Server.builder().gracefulShutdownTimeoutMillis(0, 0);
    ingest.registerOn(sb);
    server = sb.build();
    server.start().join();
  }

  int port() {
    return server.activeLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) b.header("Content-Type", contentType);
    if (headers.length > 0) b.headers(headers);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    server.stop().join();
    ingest.close();
  }
}
