package tracestore.query;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;
import tracestore.storage.model.ZipkinTags;

/**
 * The known dataset behind the recorded JSON fixtures in src/test/resources/zipkin: a checkout
 * trace with a 64-bit id (frontend -> payment -> uninstrumented postgres, failing), and a batch
 * trace with a 128-bit id. Every Zipkin field and each reserved-tag mapping appears at least once.
 */
final class Fixtures {
  /** The server's "now": 2026-01-15T10:00:00Z. */
  static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final long T0 = (NOW.getEpochSecond() - 60) * 1_000_000_000L;
  static final long MS = 1_000_000L;

  static final TraceId CHECKOUT = new TraceId(0, 0x463ac35c9f6413adL);
  static final TraceId BATCH = new TraceId(0x5af7183fb1d4cf5fL, 0x6b221d5bc9e6496cL);

  private Fixtures() {}

  static List<Span> spans() {
    Span a1 =
        Span.newBuilder()
            .traceId(CHECKOUT)
            .spanId(0x1a2b3c4d5e6f7081L)
            .service("frontend")
            .name("get /checkout")
            .kind(SpanKind.SERVER)
            .startEpochNanos(T0)
            .durationNanos(150 * MS)
            .addTag("http.method", "GET")
            .addTag(Tag.of("http.status_code", 200L))
            .addTag(ZipkinTags.LOCAL_IPV4, "10.0.0.1")
            .addTag(Tag.of(ZipkinTags.LOCAL_PORT, 8080L))
            .build();
    Span a2 =
        Span.newBuilder()
            .traceId(CHECKOUT)
            .spanId(0x2a2b3c4d5e6f7082L)
            .parentSpanId(a1.spanId())
            .service("frontend")
            .name("post /pay")
            .kind(SpanKind.CLIENT)
            .startEpochNanos(T0 + 10 * MS)
            .durationNanos(100 * MS + 500)
            .remoteService("payment")
            .addTag(ZipkinTags.REMOTE_IPV4, "10.0.0.2")
            .addTag(ZipkinTags.REMOTE_IPV6, "2001:db8::c002")
            .addTag(Tag.of(ZipkinTags.REMOTE_PORT, 9000L))
            .status(StatusCode.ERROR, "card declined")
            .build();
    Span a3 =
        Span.newBuilder()
            .traceId(CHECKOUT)
            .spanId(0x3a2b3c4d5e6f7083L)
            .parentSpanId(a2.spanId())
            .service("payment")
            .name("post /pay")
            .kind(SpanKind.SERVER)
            .startEpochNanos(T0 + 12 * MS)
            .durationNanos(95 * MS)
            .addTag("error", "card declined")
            .addTag(Tag.of(ZipkinTags.SHARED, true))
            .addTag(ZipkinTags.LOCAL_IPV6, "2001:db8::c001")
            .addResource(Tag.of("host.name", "pay-1"))
            .addLog(SpanLog.of(T0 + 20 * MS, "retry"))
            .addLog(new SpanLog(T0 + 30 * MS, "gave up", List.of(Tag.of("reason", "timeout"))))
            .build();
    Span a4 =
        Span.newBuilder()
            .traceId(CHECKOUT)
            .spanId(0x4a2b3c4d5e6f7084L)
            .parentSpanId(a3.spanId())
            .service("payment")
            .name("select")
            .kind(SpanKind.CLIENT)
            .startEpochNanos(T0 + 15 * MS)
            .durationNanos(1 * MS)
            .remoteService("postgres")
            .addTag("db.system", "postgresql")
            .build();
    long tb = T0 - 1800_000 * MS;
    Span b1 =
        Span.newBuilder()
            .traceId(BATCH)
            .spanId(0x5b2b3c4d5e6f7085L)
            .service("batch")
            .name("nightly-report")
            .kind(SpanKind.INTERNAL)
            .startEpochNanos(tb)
            .durationNanos(500)
            .addTag(Tag.of(ZipkinTags.DEBUG, true))
            .scope("io.tracestore.demo", "1.0")
            .build();
    Span b2 =
        Span.newBuilder()
            .traceId(BATCH)
            .spanId(0x6b2b3c4d5e6f7086L)
            .parentSpanId(b1.spanId())
            .service("batch")
            .startEpochNanos(tb + 100)
            .build();
    return List.of(a1, a2, a3, a4, b1, b2);
  }
}
