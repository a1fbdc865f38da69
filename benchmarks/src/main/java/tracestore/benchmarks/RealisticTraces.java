package tracestore.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * A seeded generator of realistic multi-service traces, for benchmarks and load generators.
 *
 * <p>Four shapes, picked at random: the seed's <em>browse</em> flow (frontend, API gateway, auth and
 * a data service, then the database), <em>checkout</em> (cart, inventory, payment with fraud check,
 * order written and published to Kafka, a notification consumer), <em>video</em> (catalog lookup in
 * Cassandra, manifest, then segment fetches from the CDN) and <em>banking</em> (MFA, account locks,
 * ledger entries, fraud score). Each trace has 6 to 50 spans, a random 128-bit trace id, and spans
 * with 5 to 15 tags of realistic cardinality: HTTP method/route/status, full URLs and targets with
 * ids, SQL statements, user ids, client addresses, thread names. Each service runs on three pods
 * whose resource tags (version, pod, namespace, SDK...) are shared by their spans. About 5% of
 * traces fail at one leaf, with the error status and an exception log on the leaf and 5xx statuses
 * up the call path. Latencies are log-normal with a 1% tail 10 to 50 times slower.
 *
 * <p>The same seed always gives the same traces. Not thread-safe: use one instance per thread.
 */
public final class RealisticTraces {
  /** 2026-11-25T00:00:00Z in epoch nanos: the default start of the first trace. */
  public static final long DEFAULT_START_EPOCH_NANOS = 1_795_564_800_000_000_000L;

  /** The fewest spans a trace has: frontend, gateway hop, auth hop, and room for the render span. */
  public static final int MIN_SPANS = 6;
  public static final int MAX_SPANS = 50;

  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;

  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "okhttp/4.12.0",
    "ShopApp/7.3.1 (Android 15; Pixel 9)"
  };
  private static final String[] DB_ERRORS = {
    "deadlock detected", "canceling statement due to statement timeout",
    "could not serialize access due to concurrent update", "connection reset by peer"
  };

  private final SplittableRandom random;
  private final Map<String, List<List<Tag>>> podResources = new HashMap<>();
  private long clock;

  public RealisticTraces(long seed) {
    this(seed, DEFAULT_START_EPOCH_NANOS);
  }

  /** @param startEpochNanos when the first trace starts; later traces follow about 1 ms apart */
  public RealisticTraces(long seed, long startEpochNanos) {
    this.random = new SplittableRandom(seed);
    this.clock = startEpochNanos;
  }

  /** The next trace: 6 to 50 spans of one random 128-bit trace id, parents before children. */
  public List<Span> next() {
    clock += (long) (-Math.log(1 - random.nextDouble()) * MS) + 1;
    Trace t = new Trace(new TraceId(nonZero(), nonZero()), MIN_SPANS + random.nextInt(MAX_SPANS - MIN_SPANS + 1));
    switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> browse(t);
      case 4, 5 -> checkout(t);
      case 6, 7 -> video(t);
      default -> banking(t);
    }
    return t.build();
  }

  /**
   * Traces until exactly {@code totalSpans} spans are produced; the last trace is cut short (keeping
   * its first spans, so parents stay before children) when needed.
   */
  public List<List<Span>> traces(int totalSpans) {
    List<List<Span>> out = new ArrayList<>();
    int left = totalSpans;
    while (left > 0) {
      List<Span> trace = next();
      if (trace.size() > left) trace = List.copyOf(trace.subList(0, left));
      out.add(trace);
      left -= trace.size();
    }
    return out;
  }

  // ---- the four shapes

  private void browse(Trace t) {
    String product = "p-" + random.nextInt(20_000);
    t.root("frontend", "GET", "/products/{id}", "/products/" + product, (sid, start) -> {
      long at = t.internal(sid, "frontend", "render product page", start + 200 * US, 400 * US);
      return gateway(t, sid, "GET", "/api/v1/products/{id}", "/api/v1/products/" + product, at,
          (gid, s2) -> {
            long a = auth(t, gid, s2);
            a = t.hop(gid, "api-gateway", "product-catalog", "GET", "/products/{id}",
                "/products/" + product, a, (pid, s3) -> {
                  long b = t.redis(pid, "product-catalog", "GET", "product:" + product, s3);
                  b = t.sql(pid, "product-catalog", "catalog", "SELECT",
                      "SELECT p.id, p.name, p.price, p.currency FROM products p WHERE p.id = $1",
                      "products", b);
                  for (int i = random.nextInt(7); i > 0; i--) {
                    b = t.sql(pid, "product-catalog", "catalog", "SELECT",
                        "SELECT r.rating, r.body FROM reviews r WHERE r.product_id = $1 LIMIT 20",
                        "reviews", b);
                  }
                  return b;
                });
            if (random.nextBoolean()) {
              a = t.hop(gid, "api-gateway", "recommendation", "GET", "/recommendations",
                  "/recommendations?product=" + product, a, (rid, s3) ->
                      t.internal(rid, "recommendation", "score candidates", s3, 3 * MS));
            }
            return a;
          });
    });
  }

  private void checkout(Trace t) {
    String user = user();
    int items = 1 + random.nextInt(8);
    t.root("frontend", "POST", "/checkout", "/checkout", (sid, start) ->
        gateway(t, sid, "POST", "/api/v1/orders", "/api/v1/orders", start + 100 * US,
            (gid, s2) -> {
              long a = auth(t, gid, s2);
              a = t.hop(gid, "api-gateway", "cart", "GET", "/carts/{user}", "/carts/" + user, a,
                  (cid, s3) -> t.redis(cid, "cart", "HGETALL", "cart:" + user, s3));
              a = t.hop(gid, "api-gateway", "checkout", "POST", "/orders", "/orders", a,
                  (oid, s3) -> {
                    long b = s3;
                    for (int i = 0; i < items; i++) {
                      b = t.hop(oid, "checkout", "inventory", "POST", "/reservations",
                          "/reservations", b, (iid, s4) -> t.sql(iid, "inventory", "inventory",
                              "UPDATE",
                              "UPDATE stock SET reserved = reserved + $1 WHERE sku = $2 AND available >= $1",
                              "stock", s4));
                    }
                    b = t.hop(oid, "checkout", "payment", "POST", "/payments", "/payments", b,
                        (pid, s4) -> {
                          long c = t.hop(pid, "payment", "fraud-detection", "POST", "/score",
                              "/score", s4, (fid, s5) -> t.internal(fid, "fraud-detection",
                                  "evaluate model", s5, 8 * MS));
                          return t.external(pid, "payment", "api.psp.example.com",
                              "POST", "https://api.psp.example.com/v2/charges", c, 120 * MS);
                        });
                    b = t.sql(oid, "checkout", "orders", "INSERT",
                        "INSERT INTO orders (id, user_id, total, currency, status) VALUES ($1, $2, $3, $4, 'PLACED')",
                        "orders", b);
                    return t.kafka(oid, "checkout", "order-events", "notification", b);
                  });
              return a;
            }));
  }

  private void video(Trace t) {
    String video = "v" + Long.toString(random.nextLong(1L << 40), 36);
    t.root("frontend", "GET", "/watch/{id}", "/watch/" + video, (sid, start) ->
        gateway(t, sid, "GET", "/api/v1/videos/{id}/manifest", "/api/v1/videos/" + video
            + "/manifest", start + 100 * US, (gid, s2) -> {
              long a = auth(t, gid, s2);
              a = t.hop(gid, "api-gateway", "video-catalog", "GET", "/videos/{id}", "/videos/"
                  + video, a, (vid, s3) -> t.cql(vid, "video-catalog",
                      "SELECT title, duration_ms, renditions FROM videos WHERE video_id = ?", s3));
              a = t.hop(gid, "api-gateway", "video-streaming", "GET", "/manifests/{id}",
                  "/manifests/" + video, a, (mid, s3) -> {
                    long b = t.internal(mid, "video-streaming", "build HLS manifest", s3, 2 * MS);
                    for (int seg = 0, n = 3 + random.nextInt(34); seg < n; seg++) {
                      b = t.external(mid, "video-streaming", "cdn-edge", "GET",
                          "https://cdn.example.net/v/" + video + "/1080p/seg" + seg + ".ts", b,
                          15 * MS);
                    }
                    return b;
                  });
              if (random.nextInt(3) > 0) {
                a = t.hop(gid, "api-gateway", "recommendation", "GET", "/recommendations",
                    "/recommendations?video=" + video, a, (rid, s3) ->
                        t.internal(rid, "recommendation", "score candidates", s3, 4 * MS));
              }
              return a;
            }));
  }

  private void banking(Trace t) {
    String from = account();
    String to = account();
    t.root("frontend", "POST", "/transfers", "/transfers", (sid, start) ->
        gateway(t, sid, "POST", "/api/v1/transfers", "/api/v1/transfers", start + 100 * US,
            (gid, s2) -> {
              long a = auth(t, gid, s2);
              if (random.nextInt(4) == 0) {
                a = t.hop(gid, "api-gateway", "auth-service", "POST", "/mfa/verify",
                    "/mfa/verify", a, (mid, s3) -> t.redis(mid, "auth-service", "GET",
                        "mfa:" + user(), s3));
              }
              a = t.hop(gid, "api-gateway", "fraud-detection", "POST", "/score", "/score", a,
                  (fid, s3) -> t.internal(fid, "fraud-detection", "evaluate model", s3, 9 * MS));
              a = t.hop(gid, "api-gateway", "transaction-service", "POST", "/transfers",
                  "/transfers", a, (xid, s3) -> {
                    long b = s3;
                    for (String acct : new String[] {from, to}) {
                      b = t.hop(xid, "transaction-service", "account-service", "GET",
                          "/accounts/{id}", "/accounts/" + acct, b, (aid, s4) -> t.sql(aid,
                              "account-service", "accounts", "SELECT",
                              "SELECT balance, currency, status FROM accounts WHERE id = $1 FOR UPDATE",
                              "accounts", s4));
                    }
                    b = t.hop(xid, "transaction-service", "ledger", "POST", "/entries",
                        "/entries", b, (lid, s4) -> {
                          long c = t.sql(lid, "ledger", "ledger", "INSERT",
                              "INSERT INTO entries (tx_id, account_id, amount, side) VALUES ($1, $2, $3, 'DEBIT')",
                              "entries", s4);
                          return t.sql(lid, "ledger", "ledger", "INSERT",
                              "INSERT INTO entries (tx_id, account_id, amount, side) VALUES ($1, $2, $3, 'CREDIT')",
                              "entries", c);
                        });
                    return t.kafka(xid, "transaction-service", "transfers", "notification", b);
                  });
              return a;
            }));
  }

  private long gateway(Trace t, long parent, String method, String route, String target,
      long start, Body body) {
    return t.hop(parent, "frontend", "api-gateway", method, route, target, start, body);
  }

  private long auth(Trace t, long parent, long start) {
    return t.hop(parent, "api-gateway", "auth-service", "POST", "/tokens/verify",
        "/tokens/verify", start, (aid, s) -> t.redis(aid, "auth-service", "GET",
            "session:" + Long.toHexString(random.nextLong()), s));
  }

  // ---- values

  private long nonZero() {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }

  private String user() {
    return "user-" + random.nextInt(50_000);
  }

  private String account() {
    return "acct-" + (10_000_000 + random.nextInt(90_000_000));
  }

  private String clientAddress() {
    return "10." + random.nextInt(4) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  private String uuid() {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  /** Log-normal around {@code median}, with a 1% tail 10 to 50 times slower; at least 1 us. */
  private long latency(long median) {
    double v = median * Math.exp(0.6 * random.nextGaussian());
    if (random.nextInt(100) == 0) v *= 10 + random.nextInt(41);
    return Math.max(US, (long) v);
  }

  private String thread(String service) {
    return service.equals("frontend")
        ? "event-loop-" + random.nextInt(4)
        : "http-nio-8080-exec-" + (1 + random.nextInt(200));
  }

  private List<Tag> resource(String service) {
    List<List<Tag>> pods = podResources.computeIfAbsent(service, s -> {
      List<List<Tag>> list = new ArrayList<>();
      String version = "1." + random.nextInt(20) + "." + random.nextInt(10);
      String language = s.equals("frontend") ? "nodejs" : s.startsWith("video") ? "go" : "java";
      for (int pod = 0; pod < 3; pod++) {
        String podName = s + "-" + Long.toString(random.nextLong(1L << 40), 36) + "-"
            + Long.toString(random.nextLong(1L << 25), 36);
        list.add(List.of(
            Tag.of("service.version", version),
            Tag.of("service.namespace", "shop"),
            Tag.of("service.instance.id", uuid()),
            Tag.of("host.name", podName),
            Tag.of("k8s.pod.name", podName),
            Tag.of("k8s.namespace.name", "shop-prod"),
            Tag.of("k8s.deployment.name", s),
            Tag.of("deployment.environment", "production"),
            Tag.of("cloud.region", "eu-west-1"),
            Tag.of("telemetry.sdk.name", "opentelemetry"),
            Tag.of("telemetry.sdk.language", language),
            Tag.of("telemetry.sdk.version", "1.44.1")));
      }
      return list;
    });
    return pods.get(random.nextInt(pods.size()));
  }

  /** Runs the work of one span and returns its end time, epoch nanos. */
  @FunctionalInterface
  private interface Body {
    long run(long spanId, long start);
  }

  /** One trace under construction: a span budget, the spans so far, and the failure state. */
  private final class Trace {
    final TraceId traceId;
    final int budget;
    final List<Span.Builder> spans = new ArrayList<>();
    final boolean willFail = random.nextInt(20) == 0;
    boolean failed;
    final Map<String, List<Tag>> resources = new HashMap<>();

    Trace(TraceId traceId, int budget) {
      this.traceId = traceId;
      this.budget = budget;
    }

    boolean room(int n) {
      return spans.size() + n <= budget;
    }

    List<Tag> resourceOf(String service) {
      return resources.computeIfAbsent(service, RealisticTraces.this::resource);
    }

    Span.Builder span(long parent, String service, String name, SpanKind kind, String scope) {
      return span(nonZero(), parent, service, name, kind, scope);
    }

    Span.Builder span(long id, long parent, String service, String name, SpanKind kind,
        String scope) {
      Span.Builder b = Span.newBuilder()
          .traceId(traceId)
          .spanId(id)
          .parentSpanId(parent)
          .service(service)
          .name(name)
          .kind(kind)
          .resource(resourceOf(service))
          .scope(scope, "2.10.0");
      spans.add(b);
      return b;
    }

    /** True for the one leaf that fails in a failing trace. */
    boolean failHere() {
      if (!willFail || failed || random.nextInt(3) != 0) return false;
      failed = true;
      return true;
    }

    void fail(Span.Builder b, long at, String type, String message) {
      b.status(StatusCode.ERROR, message);
      b.addLog(new SpanLog(at, "exception", List.of(
          Tag.of("exception.type", type),
          Tag.of("exception.message", message),
          Tag.of("exception.stacktrace", type + ": " + message
              + "\n\tat com.example.shop.Repository.execute(Repository.java:" + (40 + random.nextInt(400))
              + ")\n\tat com.example.shop.Service.handle(Service.java:" + (20 + random.nextInt(200))
              + ")"))));
    }

    List<Span> build() {
      if (willFail && !failed && !spans.isEmpty()) {
        // No leaf was picked: fail the last span.
        Span.Builder last = spans.get(spans.size() - 1);
        Span probe = last.build();
        fail(last, probe.endEpochNanos(), "java.util.concurrent.TimeoutException",
            "request timed out after 30000 ms");
      }
      List<Span> out = new ArrayList<>(spans.size());
      for (Span.Builder b : spans) out.add(b.build());
      return out;
    }

    void root(String service, String method, String route, String target, Body body) {
      long start = clock;
      long sid = nonZero();
      Span.Builder b = span(sid, 0, service, method + " " + route, SpanKind.SERVER,
          "io.opentelemetry.http");
      long end = body.run(sid, start + 50 * US) + latency(300 * US);
      httpServer(b, method, route, target, failed ? 502 : 200);
      b.addTag(Tag.of("http.user_agent", USER_AGENTS[random.nextInt(USER_AGENTS.length)]));
      b.addTag(Tag.of("client.address", clientAddress()));
      b.addTag(Tag.of("user.id", user()));
      b.startEpochNanos(start).durationNanos(end - start);
      if (failed) b.status(StatusCode.ERROR, "upstream failed");
    }

    /** A client span in {@code from} and the server span it calls in {@code to}. */
    long hop(long parent, String from, String to, String method, String route, String target,
        long start, Body body) {
      if (!room(2)) return start;
      boolean before = failed;
      long clientId = nonZero();
      long serverId = nonZero();
      Span.Builder client = span(clientId, parent, from, method, SpanKind.CLIENT,
          "io.opentelemetry.http-url-connection");
      Span.Builder server = span(serverId, clientId, to, method + " " + route, SpanKind.SERVER,
          "io.opentelemetry.tomcat-10.0");
      long net = latency(250 * US);
      long serverStart = start + net;
      long end = body.run(serverId, serverStart + latency(100 * US)) + latency(150 * US);
      boolean broke = !before && failed;
      int status = broke ? 500 : method.equals("POST") ? 201 : 200;
      server.startEpochNanos(serverStart).durationNanos(end - serverStart);
      httpServer(server, method, route, target, status);
      if (method.equals("POST")) {
        server.addTag(Tag.of("http.request_content_length", (long) random.nextInt(200, 4000)));
      }
      long clientEnd = end + latency(250 * US);
      client.startEpochNanos(start).durationNanos(clientEnd - start).remoteService(to);
      client.addTag(Tag.of("http.method", method));
      client.addTag(Tag.of("http.url", "http://" + to + ":8080" + target));
      client.addTag(Tag.of("http.status_code", (long) status));
      client.addTag(Tag.of("net.peer.name", to));
      client.addTag(Tag.of("net.peer.port", 8080L));
      client.addTag(Tag.of("http.flavor", "1.1"));
      client.addTag(Tag.of("thread.name", thread(from)));
      if (broke) {
        server.status(StatusCode.ERROR, "Internal Server Error");
        client.status(StatusCode.ERROR, "HTTP 500");
      }
      return clientEnd;
    }

    private void httpServer(Span.Builder b, String method, String route, String target,
        int status) {
      b.addTag(Tag.of("http.method", method));
      b.addTag(Tag.of("http.route", route));
      b.addTag(Tag.of("http.target", target));
      b.addTag(Tag.of("http.scheme", "http"));
      b.addTag(Tag.of("http.status_code", (long) status));
      b.addTag(Tag.of("net.host.port", 8080L));
      b.addTag(Tag.of("thread.name", "http-nio-8080-exec-" + (1 + random.nextInt(200))));
      b.addTag(Tag.of("thread.id", (long) (20 + random.nextInt(200))));
    }

    long sql(long parent, String service, String db, String op, String statement, String table,
        long start) {
      if (!room(1)) return start;
      Span.Builder b = span(parent, service, op + " " + db + "." + table, SpanKind.CLIENT,
          "io.opentelemetry.jdbc");
      long d = latency(op.equals("SELECT") ? 1200 * US : 2500 * US);
      b.startEpochNanos(start).durationNanos(d).remoteService("postgres");
      b.addTag(Tag.of("db.system", "postgresql"));
      b.addTag(Tag.of("db.name", db));
      b.addTag(Tag.of("db.user", service.replace('-', '_')));
      b.addTag(Tag.of("db.statement", statement));
      b.addTag(Tag.of("db.operation", op));
      b.addTag(Tag.of("db.sql.table", table));
      b.addTag(Tag.of("net.peer.name", "pg-" + db + ".shop-prod.svc"));
      b.addTag(Tag.of("net.peer.port", 5432L));
      b.addTag(Tag.of("thread.name", thread(service)));
      if (!op.equals("SELECT")) b.addTag(Tag.of("db.rows_affected", (long) random.nextInt(1, 3)));
      if (failHere()) {
        fail(b, start + d, "org.postgresql.util.PSQLException",
            DB_ERRORS[random.nextInt(DB_ERRORS.length)]);
      }
      return start + d;
    }

    long cql(long parent, String service, String statement, long start) {
      if (!room(1)) return start;
      Span.Builder b = span(parent, service, "SELECT media.videos", SpanKind.CLIENT,
          "io.opentelemetry.cassandra-4.4");
      long d = latency(1800 * US);
      b.startEpochNanos(start).durationNanos(d).remoteService("cassandra");
      b.addTag(Tag.of("db.system", "cassandra"));
      b.addTag(Tag.of("db.name", "media"));
      b.addTag(Tag.of("db.statement", statement));
      b.addTag(Tag.of("db.operation", "SELECT"));
      b.addTag(Tag.of("db.cassandra.consistency_level", "LOCAL_QUORUM"));
      b.addTag(Tag.of("db.cassandra.coordinator.dc", "eu-west-1a"));
      b.addTag(Tag.of("db.cassandra.speculative_execution_count", 0L));
      b.addTag(Tag.of("net.peer.name", "cassandra-" + random.nextInt(6) + ".shop-prod.svc"));
      b.addTag(Tag.of("net.peer.port", 9042L));
      if (failHere()) {
        fail(b, start + d, "com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException",
            "Cassandra timeout during read query at consistency LOCAL_QUORUM");
      }
      return start + d;
    }

    long redis(long parent, String service, String op, String key, long start) {
      if (!room(1)) return start;
      Span.Builder b = span(parent, service, op, SpanKind.CLIENT, "io.opentelemetry.lettuce-5.1");
      long d = latency(300 * US);
      b.startEpochNanos(start).durationNanos(d).remoteService("redis");
      b.addTag(Tag.of("db.system", "redis"));
      b.addTag(Tag.of("db.statement", op + " " + key));
      b.addTag(Tag.of("db.operation", op));
      b.addTag(Tag.of("db.redis.database_index", 0L));
      b.addTag(Tag.of("net.peer.name", "redis-master.shop-prod.svc"));
      b.addTag(Tag.of("net.peer.port", 6379L));
      b.addTag(Tag.of("thread.name", "lettuce-nioEventLoop-4-" + (1 + random.nextInt(4))));
      b.addTag(Tag.of("cache.hit", random.nextInt(10) > 0));
      return start + d;
    }

    long external(long parent, String service, String host, String method, String url,
        long start, long median) {
      if (!room(1)) return start;
      Span.Builder b = span(parent, service, method, SpanKind.CLIENT,
          "io.opentelemetry.java-http-client");
      long d = latency(median);
      boolean fail = failHere();
      b.startEpochNanos(start).durationNanos(d).remoteService(host);
      b.addTag(Tag.of("http.method", method));
      b.addTag(Tag.of("http.url", url));
      b.addTag(Tag.of("http.status_code", fail ? 503L : 200L));
      b.addTag(Tag.of("net.peer.name", host));
      b.addTag(Tag.of("net.peer.port", 443L));
      b.addTag(Tag.of("http.flavor", "2.0"));
      b.addTag(Tag.of("http.response_content_length", (long) random.nextInt(500, 2_000_000)));
      if (fail) fail(b, start + d, "java.io.IOException", "HTTP 503 Service Unavailable from " + host);
      return start + d;
    }

    long internal(long parent, String service, String name, long start, long median) {
      if (!room(1)) return start;
      Span.Builder b = span(parent, service, name, SpanKind.INTERNAL,
          "io.opentelemetry.opentelemetry-instrumentation-annotations-1.16");
      long d = latency(median);
      b.startEpochNanos(start).durationNanos(d);
      b.addTag(Tag.of("code.namespace", "com.example.shop." + service.replace("-", "")));
      b.addTag(Tag.of("code.function", name.replace(' ', '_')));
      b.addTag(Tag.of("thread.name", thread(service)));
      b.addTag(Tag.of("items.count", (long) random.nextInt(1, 200)));
      b.addTag(Tag.of("model.score", random.nextDouble()));
      return start + d;
    }

    /** A Kafka publish from {@code service} and its consumption by {@code consumer}, later. */
    long kafka(long parent, String service, String topic, String consumer, long start) {
      if (!room(1)) return start;
      long producerId = nonZero();
      Span.Builder p = span(producerId, parent, service, topic + " publish", SpanKind.PRODUCER,
          "io.opentelemetry.kafka-clients-2.6");
      long d = latency(900 * US);
      String messageId = uuid();
      long partition = random.nextInt(12);
      p.startEpochNanos(start).durationNanos(d).remoteService("kafka");
      messaging(p, topic, "publish", partition, messageId);
      if (room(1)) {
        Span.Builder c = span(producerId, consumer, topic + " process", SpanKind.CONSUMER,
            "io.opentelemetry.kafka-clients-2.6");
        long cs = start + d + latency(5 * MS);
        c.startEpochNanos(cs).durationNanos(latency(3 * MS));
        messaging(c, topic, "process", partition, messageId);
        c.addTag(Tag.of("messaging.kafka.consumer.group", consumer));
      }
      return start + d;
    }

    private void messaging(Span.Builder b, String topic, String op, long partition, String id) {
      b.addTag(Tag.of("messaging.system", "kafka"));
      b.addTag(Tag.of("messaging.destination.name", topic));
      b.addTag(Tag.of("messaging.operation", op));
      b.addTag(Tag.of("messaging.kafka.partition", partition));
      b.addTag(Tag.of("messaging.message.id", id));
      b.addTag(Tag.of("thread.name", "kafka-producer-network-thread"));
    }
  }
}
