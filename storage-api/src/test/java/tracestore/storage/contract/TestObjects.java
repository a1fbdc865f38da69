package tracestore.storage.contract;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * Fixtures that keep tests apart: random 128-bit trace ids, a per-test suffix for service names and
 * tag keys, and base times at a random microsecond within the last few hours, so no test sees
 * another's data even on a database that is never cleared.
 *
 * <p>Every time made here is a whole number of microseconds: a backend may keep index times in
 * micros, and the suite must not depend on sub-microsecond precision of index entries. (Span
 * payloads are chunks, so spans themselves round-trip in nanos.)
 */
public final class TestObjects {
  /** 1 µs in nanos. */
  public static final long MICRO = 1_000L;
  /** 1 ms in nanos. */
  public static final long MILLI = 1_000_000L;
  /** 1 s in nanos. */
  public static final long SECOND = 1_000_000_000L;
  /** 1 min in nanos. */
  public static final long MINUTE = 60 * SECOND;

  private TestObjects() {}

  /** A random 128-bit trace id whose high half is not zero. */
  public static TraceId newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long high = r.nextLong();
    long low = r.nextLong();
    return new TraceId(high == 0 ? 1 : high, low);
  }

  /** A random 64-bit trace id (high half zero). */
  public static TraceId newTraceId64() {
    return new TraceId(0, newSpanId());
  }

  /** A random non-zero span id. */
  public static long newSpanId() {
    long id = ThreadLocalRandom.current().nextLong();
    return id == 0 ? 1 : id;
  }

  /** A fresh suffix such as {@code "-k3x9q2"}: append it to every service name and tag key. */
  public static String testSuffix() {
    return "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50), 36);
  }

  /**
   * A start time for a test's data: now minus 2 hours minus a random amount under 60 minutes,
   * rounded to a microsecond. Data stays well inside any TTL or partition window, and tests that
   * search a bare time range (no service) do not collide with each other.
   */
  public static long newBaseTime() {
    long now = System.currentTimeMillis() * MILLI;
    long back = 2 * 60 * MINUTE + ThreadLocalRandom.current().nextLong(60 * MINUTE);
    return micros(now - back);
  }

  /** Rounds down to a whole microsecond. */
  public static long micros(long epochNanos) {
    return epochNanos - Math.floorMod(epochNanos, MICRO);
  }

  /** A minimal valid span builder. */
  public static Span.Builder span(
      TraceId traceId, long spanId, long parentSpanId, String service, String name,
      long startEpochNanos, long durationNanos) {
    return Span.newBuilder()
        .traceId(traceId)
        .spanId(spanId)
        .parentSpanId(parentSpanId)
        .service(service)
        .name(name)
        .kind(SpanKind.SERVER)
        .startEpochNanos(startEpochNanos)
        .durationNanos(durationNanos);
  }

  /**
   * A span that sets every field of the model: kind, status with message, remote service, tags of
   * every type (array included), logs with fields, links (with and without tags), resource and
   * scope. Its times are microsecond-aligned.
   */
  public static Span fullSpan(TraceId traceId, long spanId, long parentSpanId, String service, long start) {
    return span(traceId, spanId, parentSpanId, service, "GET /orders/{id}", start, 1_234 * MICRO)
        .kind(SpanKind.CLIENT)
        .status(StatusCode.ERROR, "upstream said 503")
        .remoteService("inventory" + service)
        .addTag(Tag.of("http.method", "GET"))
        .addTag(Tag.of("http.status_code", 503L))
        .addTag(Tag.of("retry.ratio", 0.25d))
        .addTag(Tag.of("cache.hit", false))
        .addTag(new Tag("ids", TagValue.of(List.of(TagValue.of(1L), TagValue.of("two"), TagValue.of(true)))))
        .addTag(Tag.of("empty", ""))
        .addLog(new SpanLog(start + 10 * MICRO, "exception",
            List.of(Tag.of("exception.type", "java.io.IOException"), Tag.of("attempt", 2L))))
        .addLog(SpanLog.of(start + 20 * MICRO, "retry"))
        .addLink(new SpanLink(newTraceId(), newSpanId(), List.of(Tag.of("link.kind", "follows"))))
        .addLink(new SpanLink(newTraceId64(), newSpanId(), List.of()))
        .addResource(Tag.of("host.name", "node-7"))
        .addResource(Tag.of("process.pid", 4242L))
        .scope("io.opentelemetry.okhttp", "1.2.3")
        .build();
  }

  /**
   * A dictionary of random bytes under a random non-zero id, for storage-level tests of how backends
   * store and load dictionaries (it does not decode; chunks that really use one come from the codec).
   */
  public static tracestore.storage.ChunkDictionary randomDictionary() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    byte[] payload = new byte[64 + r.nextInt(512)];
    r.nextBytes(payload);
    long id = r.nextLong();
    return new tracestore.storage.ChunkDictionary(id == 0 ? 1 : id, payload);
  }
}
