package tracestore.server.cli;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The seed's multi-tier system as synthetic traffic, sent with the OpenTelemetry Java SDK over
 * OTLP/HTTP: one {@link SdkTracerProvider} per service (its {@code service.name} resource), spans with
 * explicit timestamps, so a trace of two seconds costs no waiting. Four shapes, each with slow and
 * failing variants drawn from a seeded {@link Random}:
 *
 * <ul>
 *   <li>{@code web}: frontend -> api-gateway -> auth-service, then data-service -> database;
 *   <li>{@code checkout}: cart, inventory, payment (-> payment-gateway) and order services;
 *   <li>{@code video}: subscription check, manifest (-> metadata-db), recommendations in parallel,
 *       then segments from cdn-edge;
 *   <li>{@code banking}: MFA, fraud scoring, then debit and credit on account-service -> ledger-db.
 * </ul>
 *
 * The first trace is always a {@code web} request whose database query takes most of the time, so
 * its bottleneck is known: {@code database}.
 */
final class DemoTraffic implements AutoCloseable {
  /** One call: a span of {@code service}, its own work, then its children in order or in parallel. */
  static final class Call {
    final String service;
    final String name;
    final long selfNanos;
    final List<Call> children = new ArrayList<>();
    boolean parallel;
    String error;
    final Map<String, String> tags = new LinkedHashMap<>();

    Call(String service, String name, double selfMillis) {
      this.service = service;
      this.name = name;
      this.selfNanos = (long) (selfMillis * 1_000_000L);
    }

    Call add(Call... calls) {
      children.addAll(Arrays.asList(calls));
      return this;
    }

    Call parallel() {
      parallel = true;
      return this;
    }

    Call fail(String message) {
      error = message;
      return this;
    }

    Call tag(String key, String value) {
      tags.put(key, value);
      return this;
    }
  }

  /** What was sent for one trace. */
  record Sent(String traceId, String shape, String note, long durationNanos) {}

  private final Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
  private final String endpoint;
  private final Random random;
  private final List<Sent> sent = new ArrayList<>();

  DemoTraffic(String otlpEndpoint, long seed) {
    this.endpoint = otlpEndpoint.endsWith("/") ? otlpEndpoint + "v1/traces" : otlpEndpoint + "/v1/traces";
    this.random = new Random(seed);
  }

  List<Sent> sent() {
    return sent;
  }

  /** Sends {@code count} traces ending within the last few minutes; the first is the known one. */
  void send(int count) {
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < count; i++) {
      String shape;
      Call root;
      String note;
      if (i == 0) {
        shape = "web";
        note = "slow database query";
        root = web(true, false);
      } else {
        int pick = random.nextInt(4);
        boolean slow = random.nextDouble() < 0.15;
        boolean failing = !slow && random.nextDouble() < 0.08;
        note = slow ? "slow" : failing ? "failing" : "normal";
        switch (pick) {
          case 0: shape = "web"; root = web(slow, failing); break;
          case 1: shape = "checkout"; root = checkout(slow, failing); break;
          case 2: shape = "video"; root = video(slow, failing); break;
          default: shape = "banking"; root = banking(slow, failing); break;
        }
      }
      long duration = durationOf(root);
      // Spread over the last five minutes, all finished by now.
      long start = now - duration - (long) (random.nextDouble() * 300_000_000_000L) - 1_000_000_000L;
      String traceId = emit(root, Context.root(), start);
      sent.add(new Sent(traceId, shape, note, duration));
    }
  }

  /**
   * Flushes every service's exporter.
   *
   * @throws CliException when the server did not accept the spans
   */
  void flush() {
    List<CompletableResultCode> results = new ArrayList<>();
    for (SdkTracerProvider p : providers.values()) results.add(p.forceFlush());
    CompletableResultCode all = CompletableResultCode.ofAll(results).join(60, TimeUnit.SECONDS);
    if (!all.isSuccess()) {
      throw new CliException("the OTLP exporter could not deliver the spans to " + endpoint
          + " (is `tracestore serve` running with the ingest role? set --otlp-endpoint)");
    }
  }

  @Override
  public void close() {
    for (SdkTracerProvider p : providers.values()) p.shutdown().join(30, TimeUnit.SECONDS);
  }

  // ---- shapes ----

  private double ms(double min, double max) {
    return min + random.nextDouble() * (max - min);
  }

  private Call web(boolean slow, boolean failing) {
    Call db = new Call("database", "SELECT user_dashboard", slow ? ms(700, 1200) : ms(20, 60))
        .tag("db.system", "postgresql");
    if (failing) db.fail("connection reset by peer");
    Call data = new Call("data-service", "load-dashboard", ms(3, 8)).add(db);
    if (failing) data.fail("upstream database error");
    Call gateway = new Call("api-gateway", "GET /api/dashboard", ms(1, 3)).add(
        new Call("auth-service", "verify-token", ms(4, 12)), data);
    if (failing) gateway.fail("502 Bad Gateway");
    return new Call("frontend", "GET /dashboard", ms(5, 15)).tag("http.method", "GET").add(gateway);
  }

  private Call checkout(boolean slow, boolean failing) {
    Call gatewayCall = new Call("payment-gateway", "authorize", slow ? ms(900, 1800) : ms(60, 140));
    Call payment = new Call("payment-service", "charge-card", ms(5, 10)).add(gatewayCall);
    if (failing) {
      gatewayCall.fail("card declined");
      payment.fail("payment declined");
    }
    Call api = new Call("api-gateway", "POST /api/checkout", ms(1, 3)).add(
        new Call("cart-service", "get-cart", ms(3, 6)).add(new Call("database", "SELECT cart_items", ms(5, 15))),
        new Call("inventory-service", "reserve-items", ms(4, 8)).add(new Call("database", "UPDATE stock", ms(8, 25))),
        payment,
        new Call("order-service", "create-order", ms(3, 6)).add(new Call("database", "INSERT order", ms(6, 18))));
    if (failing) api.fail("402 Payment Required");
    return new Call("frontend", "POST /checkout", ms(8, 20)).tag("http.method", "POST").add(api);
  }

  private Call video(boolean slow, boolean failing) {
    Call recs = new Call("recommendation-service", "recommend", slow ? ms(800, 1500) : ms(30, 80));
    Call manifest = new Call("video-service", "get-manifest", ms(4, 10))
        .add(new Call("metadata-db", "SELECT manifest", ms(5, 15)));
    Call segments = new Call("video-service", "prefetch-segments", ms(1, 2)).add(
        new Call("cdn-edge", "GET segment-1", ms(20, 60)),
        new Call("cdn-edge", "GET segment-2", ms(20, 60)),
        new Call("cdn-edge", "GET segment-3", ms(20, 60)));
    if (failing) segments.children.get(1).fail("504 origin timeout");
    Call api = new Call("api-gateway", "GET /api/watch", ms(1, 3)).add(
        new Call("auth-service", "check-subscription", ms(3, 8)),
        new Call("video-service", "prepare-playback", ms(1, 2)).parallel().add(manifest, recs),
        segments);
    return new Call("frontend", "GET /watch", ms(5, 12)).tag("http.method", "GET").add(api);
  }

  private Call banking(boolean slow, boolean failing) {
    Call debit = new Call("account-service", "debit", ms(3, 6)).add(new Call("ledger-db", "INSERT debit", ms(8, 20)));
    if (failing) debit.fail("insufficient funds");
    Call api = new Call("api-gateway", "POST /api/transfer", ms(1, 3)).add(
        new Call("auth-service", "mfa-verify", ms(10, 30)),
        new Call("fraud-service", "score-transfer", slow ? ms(700, 1400) : ms(20, 50)),
        debit);
    if (!failing) api.add(new Call("account-service", "credit", ms(3, 6)).add(new Call("ledger-db", "INSERT credit", ms(8, 20))));
    if (failing) api.fail("409 Conflict");
    return new Call("frontend", "POST /transfer", ms(6, 15)).tag("http.method", "POST").add(api);
  }

  // ---- timing and emission ----

  private static final long GAP = 200_000L; // 0.2 ms between sequential calls: network time

  static long durationOf(Call c) {
    long children = 0;
    for (Call child : c.children) {
      long d = durationOf(child) + 2 * GAP;
      children = c.parallel ? Math.max(children, d) : children + d;
    }
    return c.selfNanos + children;
  }

  /** Emits {@code c} and its subtree starting at {@code start}; returns the trace id. */
  private String emit(Call c, Context parent, long start) {
    long end = start + durationOf(c);
    Tracer tracer = provider(c.service).get("tracestore-demo");
    Span span = tracer.spanBuilder(c.name)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .startSpan();
    for (Map.Entry<String, String> t : c.tags.entrySet()) span.setAttribute(t.getKey(), t.getValue());
    Context ctx = parent.with(span);
    long cursor = start + c.selfNanos / 2;
    for (Call child : c.children) {
      long childStart = cursor + GAP;
      emit(child, ctx, childStart);
      if (!c.parallel) cursor = childStart + durationOf(child) + GAP;
    }
    if (c.error != null) {
      span.setStatus(StatusCode.ERROR, c.error);
      span.addEvent("exception", Attributes.of(AttributeKey.stringKey("exception.message"), c.error),
          end - 1_000, TimeUnit.NANOSECONDS);
    }
    span.end(end, TimeUnit.NANOSECONDS);
    return span.getSpanContext().getTraceId();
  }

  private SdkTracerProvider provider(String service) {
    return providers.computeIfAbsent(service, s -> SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), s))))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(Duration.ofSeconds(30))
                .build())
            .setMaxExportBatchSize(512)
            .setMaxQueueSize(8192)
            .build())
        .build());
  }
}
