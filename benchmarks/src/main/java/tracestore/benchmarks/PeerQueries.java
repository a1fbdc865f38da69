package tracestore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Read latency through the Zipkin v2 API, which tracestore and Zipkin both serve: trace by id for
 * the traces {@link PeerLoad} sampled (the fixed dataset, so both servers hold the same traces),
 * and a fixed set of searches over that dataset's time range (service; service and span name;
 * service and tag key; service and tag value; service and minimum duration), each repeated.
 * Sequential requests on one connection, after a short warm-up; p50/p99 and the hit counts (which
 * should match between the servers).
 *
 * <p>Usage: {@code PeerQueries --label L --query-url http://127.0.0.1:9411 --traces FILE
 * [--trace-reads 300] [--search-rounds 20] --out FILE}.
 */
public final class PeerQueries {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Non-200 answers so far; the first three are printed. */
  private static int notOk;

  private PeerQueries() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = PeerLoad.parse(args);
    String label = opts.getOrDefault("label", "queries");
    String base = opts.get("query-url");
    int traceReads = Integer.parseInt(opts.getOrDefault("trace-reads", "300"));
    int rounds = Integer.parseInt(opts.getOrDefault("search-rounds", "20"));
    List<String[]> traces = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(opts.get("traces")))) {
      if (!line.isBlank()) traces.add(line.split("\t"));
    }
    if (traces.isEmpty()) throw new IllegalArgumentException("no traces in " + opts.get("traces"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    long minStart = Long.MAX_VALUE;
    long maxEnd = Long.MIN_VALUE;
    for (String[] t : traces) {
      minStart = Math.min(minStart, Long.parseLong(t[4]));
      maxEnd = Math.max(maxEnd, Long.parseLong(t[4]) + Long.parseLong(t[5]));
    }
    long endTs = maxEnd / 1000 + 60_000;
    long lookback = endTs - minStart / 1000 + 60_000;
    String range = "&endTs=" + endTs + "&lookback=" + lookback + "&limit=10";

    Map<String, String> out = new LinkedHashMap<>();
    out.put("label", label);

    // trace by id: warm-up on the last 30, then each of the first traceReads once
    for (int i = Math.max(0, traces.size() - 30); i < traces.size(); i++) get(http, base + "/api/v2/trace/" + traces.get(i)[0]);
    Latencies byId = new Latencies();
    int complete = 0;
    int reads = Math.min(traceReads, traces.size());
    for (int i = 0; i < reads; i++) {
      String[] t = traces.get(i);
      long s = System.nanoTime();
      JsonNode spans = get(http, base + "/api/v2/trace/" + t[0]);
      byId.add(System.nanoTime() - s);
      if (spans != null && spans.size() >= Integer.parseInt(t[1])) complete++;
    }
    out.put("traceById.reads", Integer.toString(reads));
    out.put("traceById.complete", Integer.toString(complete));
    out.put("traceById.p50Ms", PeerLoad.fmt(byId.millis(0.5)));
    out.put("traceById.p99Ms", PeerLoad.fmt(byId.millis(0.99)));
    System.out.printf(Locale.ROOT, "[%s] trace by id: %d reads, %d complete, p50 %.1f ms, p99 %.1f ms%n", label, reads,
        complete, byId.millis(0.5), byId.millis(0.99));

    Map<String, String> searches = new LinkedHashMap<>();
    searches.put("service", "serviceName=api-gateway");
    searches.put("service+span", "serviceName=frontend&spanName=" + enc(traces.get(0)[3].toLowerCase(Locale.ROOT)));
    searches.put("service+tag key", "serviceName=api-gateway&annotationQuery=error");
    searches.put("service+tag value", "serviceName=api-gateway&annotationQuery=" + enc("http.method=POST"));
    searches.put("service+minDuration", "serviceName=product-catalog&minDuration=20000");
    Latencies all = new Latencies();
    int q = 0;
    for (Map.Entry<String, String> e : searches.entrySet()) {
      String url = base + "/api/v2/traces?" + e.getValue() + range;
      get(http, url); // warm-up
      Latencies one = new Latencies();
      int hits = -1;
      for (int r = 0; r < rounds; r++) {
        long s = System.nanoTime();
        JsonNode result = get(http, url);
        long nanos = System.nanoTime() - s;
        one.add(nanos);
        all.add(nanos);
        hits = result == null ? -1 : result.size();
      }
      out.put("search." + q + ".name", e.getKey());
      out.put("search." + q + ".query", e.getValue());
      out.put("search." + q + ".hits", Integer.toString(hits));
      out.put("search." + q + ".p50Ms", PeerLoad.fmt(one.millis(0.5)));
      out.put("search." + q + ".p99Ms", PeerLoad.fmt(one.millis(0.99)));
      System.out.printf(Locale.ROOT, "[%s] search %-20s %2d traces, p50 %.1f ms, p99 %.1f ms%n", label, e.getKey(), hits,
          one.millis(0.5), one.millis(0.99));
      q++;
    }
    out.put("search.p50Ms", PeerLoad.fmt(all.millis(0.5)));
    out.put("search.p99Ms", PeerLoad.fmt(all.millis(0.99)));
    System.out.printf(Locale.ROOT, "[%s] all searches: p50 %.1f ms, p99 %.1f ms%n", label, all.millis(0.5), all.millis(0.99));

    if (opts.containsKey("out")) {
      StringBuilder b = new StringBuilder();
      out.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
      Path p = Path.of(opts.get("out"));
      if (p.getParent() != null) Files.createDirectories(p.getParent());
      Files.writeString(p, b.toString());
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The parsed JSON answer, or null on a non-200 (the first few are printed). */
  private static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      if (++notOk > 3) return null;
      System.err.println("HTTP " + r.statusCode() + " for " + url + ": "
          + new String(r.body(), StandardCharsets.UTF_8).lines().findFirst().orElse(""));
      return null;
    }
    return JSON.readTree(r.body());
  }
}
