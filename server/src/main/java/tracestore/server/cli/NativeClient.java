package tracestore.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small client of a running server's native API ({@code /api/native/...}); blocking. */
final class NativeClient {
  /** The environment variable giving the server URL when {@code --server} is not used. */
  static final String SERVER_ENV = "TRACESTORE_SERVER";

  static final String DEFAULT_SERVER = "http://localhost:9411";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http;

  NativeClient(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** {@code --server}, else {@link #SERVER_ENV}, else {@link #DEFAULT_SERVER}. */
  static String resolve(String flag) {
    if (flag != null && !flag.isBlank()) return flag;
    String env = System.getenv(SERVER_ENV);
    return env != null && !env.isBlank() ? env : DEFAULT_SERVER;
  }

  String base() {
    return base;
  }

  /** The assembled trace with its analysis, as the native API writes it. */
  JsonNode trace(String traceId) {
    return get("/api/native/traces/" + encode(traceId.trim()), "trace " + traceId);
  }

  /**
   * A native search. Each entry is one query parameter; list values repeat it (tags).
   */
  JsonNode search(Map<String, List<String>> params) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      for (String v : e.getValue()) {
        if (v == null) continue;
        q.append(q.length() == 0 ? '?' : '&').append(encode(e.getKey())).append('=').append(encode(v));
      }
    }
    return get("/api/native/search" + q, "search");
  }

  private JsonNode get(String path, String what) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new CliException("cannot reach tracestore at " + base
          + " (is `tracestore serve` running? set --server or " + SERVER_ENV + ")", e);
    } catch (IOException e) {
      throw new CliException("request to " + base + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
    int status = response.statusCode();
    if (status == 404) throw new CliException(what + " not found: " + response.body().trim());
    if (status != 200) throw new CliException(what + " failed with HTTP " + status + ": " + response.body().trim());
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CliException(what + ": the server's answer is not JSON: " + e.getMessage(), e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
