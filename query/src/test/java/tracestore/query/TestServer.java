package tracestore.query;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real Armeria server on an ephemeral port serving a {@link QueryService}, and a client. */
final class TestServer implements AutoCloseable {
  private final Server server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

  TestServer(QueryService service) {
    ServerBuilder sb = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0);
    service.registerOn(sb);
    server = sb.build();
    server.start().join();
  }

  int port() {
    return server.activeLocalPort();
  }

  /** GET {@code pathAndQuery} (already encoded). */
  HttpResponse<String> get(String pathAndQuery) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      return client.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET with {@code Accept-Encoding: gzip}; the body is left as bytes. */
  HttpResponse<byte[]> getGzip(String pathAndQuery) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .header("Accept-Encoding", "gzip")
            .GET()
            .build();
    try {
      return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Stops without waiting: the port closes at once, but Armeria's boss event loop takes Netty's
   * 2 s quiet period to wind down, which would otherwise add 2 s per server to the test time.
   */
  @Override
  public void close() {
    server.stop();
  }
}
