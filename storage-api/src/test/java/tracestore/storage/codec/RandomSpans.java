package tracestore.storage.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;
import tracestore.storage.model.TraceId;

/**
 * A seeded generator of arbitrary (not realistic) spans that exercise every field of the model:
 * 64- and 128-bit ids, unicode and empty strings, every tag value type including NaN, infinities,
 * -0.0, extreme longs and nested arrays, logs, links, resources, scopes and statuses. The same seed
 * always gives the same spans. Reusable by any test; for realistic traces see the benchmarks module.
 */
public final class RandomSpans {
  private static final String[] WORDS = {
    "GET /api/users", "http.method", "http.status_code", "db.statement", "frontend", "api-gateway",
    "auth", "user.id", "peer.service", "error", "otel.library.name", "k8s.pod.name", "SELECT 1", ""
  };
  private static final SpanKind[] KINDS = SpanKind.values();
  private static final StatusCode[] STATUSES = StatusCode.values();

  private final SplittableRandom random;

  public RandomSpans(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A trace id: 128-bit most of the time, 64-bit (high = 0) otherwise; never zero. */
  public TraceId traceId() {
    long high = random.nextInt(4) == 0 ? 0 : random.nextLong();
    long low = nonZero();
    return new TraceId(high, low);
  }

  /** {@code count} spans of one trace, with parent links among them and to outsiders. */
  public List<Span> trace(TraceId traceId, int count) {
    long base = random.nextLong(0, 1L << 62);
    List<Long> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) ids.add(nonZero());
    String[] services = new String[1 + random.nextInt(5)];
    for (int i = 0; i < services.length; i++) services[i] = nonEmpty();
    List<List<Tag>> resources = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(3); i++) resources.add(spanTags(random.nextInt(6)));
    List<Span> spans = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long spanId = ids.get(i);
      long parent;
      switch (random.nextInt(5)) {
        case 0:
          parent = 0;
          break;
        case 1:
          parent = nonZero(); // a parent outside this chunk
          break;
        default:
          parent = ids.get(random.nextInt(count)); // before or after this span
      }
      if (parent == spanId) parent = 0;
      Span.Builder b =
          Span.newBuilder()
              .traceId(traceId)
              .spanId(spanId)
              .parentSpanId(parent)
              .name(string())
              .service(services[random.nextInt(services.length)])
              .kind(KINDS[random.nextInt(KINDS.length)])
              .startEpochNanos(random.nextInt(10) == 0 ? base : base + random.nextLong(1L << 40))
              .durationNanos(duration(base))
              .status(STATUSES[random.nextInt(STATUSES.length)], random.nextBoolean() ? "" : string())
              .remoteService(random.nextBoolean() ? "" : string())
              .tags(spanTags(random.nextInt(16)))
              .resource(resources.get(random.nextInt(resources.size())))
              .scope(random.nextInt(3) == 0 ? "" : string(), random.nextInt(3) == 0 ? "" : string());
      for (int l = random.nextInt(4) == 0 ? random.nextInt(4) : 0; l > 0; l--) {
        long when = random.nextInt(8) == 0 ? random.nextLong() : base + random.nextLong(1L << 41);
        b.addLog(new SpanLog(when, string(), tags(random.nextInt(4))));
      }
      for (int l = random.nextInt(6) == 0 ? random.nextInt(3) : 0; l > 0; l--) {
        TraceId other = random.nextBoolean() ? traceId : traceId();
        b.addLink(new SpanLink(other, random.nextLong(), tags(random.nextInt(3))));
      }
      spans.add(b.build());
    }
    return spans;
  }

  /** The end must not overflow a long (the model rejects that), so the extreme case stops short of it. */
  private long duration(long base) {
    switch (random.nextInt(12)) {
      case 0:
        return 0;
      case 1:
        return Long.MAX_VALUE - base - (1L << 41) - random.nextInt(1000); // as long as it can be
      default:
        return random.nextLong(1L << random.nextInt(1, 40));
    }
  }

  private long nonZero() {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }

  /** Span and resource tags: keys are non-empty (the model demands it) and may repeat. */
  private List<Tag> spanTags(int n) {
    List<Tag> tags = new ArrayList<>(n);
    for (int i = 0; i < n; i++) tags.add(new Tag(nonEmpty(), value(0)));
    return tags;
  }

  /** Log and link tags: any key, even empty. */
  public List<Tag> tags(int n) {
    List<Tag> tags = new ArrayList<>(n);
    for (int i = 0; i < n; i++) tags.add(new Tag(string(), value(0)));
    return tags;
  }

  public TagValue value(int depth) {
    switch (random.nextInt(depth < 3 ? 6 : 5)) {
      case 0:
      case 1:
        return TagValue.of(string());
      case 2:
        return TagValue.of(longValue());
      case 3:
        return TagValue.of(doubleValue());
      case 4:
        return TagValue.of(random.nextBoolean());
      default:
        int n = random.nextInt(5);
        List<TagValue> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(value(depth + 1));
        return TagValue.of(values);
    }
  }

  private long longValue() {
    switch (random.nextInt(5)) {
      case 0:
        return Long.MIN_VALUE;
      case 1:
        return Long.MAX_VALUE;
      case 2:
        return random.nextInt(-1000, 1000);
      default:
        return random.nextLong();
    }
  }

  private double doubleValue() {
    switch (random.nextInt(8)) {
      case 0:
        return Double.NaN;
      case 1:
        return Double.POSITIVE_INFINITY;
      case 2:
        return Double.NEGATIVE_INFINITY;
      case 3:
        return -0.0;
      case 4:
        return Double.MIN_VALUE;
      default:
        return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-20, 20));
    }
  }

  private String nonEmpty() {
    String s;
    do {
      s = string();
    } while (s.isEmpty());
    return s;
  }

  /** Empty, a common word, or random text mixing ASCII, Latin-1, Greek, CJK and emoji. */
  public String string() {
    int pick = random.nextInt(10);
    if (pick < 4) return WORDS[random.nextInt(WORDS.length)];
    if (pick == 4) return "";
    int len = random.nextInt(pick == 9 ? 300 : 20);
    StringBuilder b = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      switch (random.nextInt(6)) {
        case 0:
          b.appendCodePoint(random.nextInt(0x80, 0x250)); // Latin-1 and extended Latin
          break;
        case 1:
          b.appendCodePoint(random.nextInt(0x391, 0x3CA)); // Greek
          break;
        case 2:
          b.appendCodePoint(random.nextInt(0x4E00, 0x9FA6)); // CJK
          break;
        case 3:
          b.appendCodePoint(random.nextInt(0x1F300, 0x1F64F)); // emoji, a surrogate pair in UTF-16
          break;
        default:
          b.append((char) random.nextInt(0, 0x80)); // ASCII including control characters and NUL
      }
    }
    return b.toString();
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
