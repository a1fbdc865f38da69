package tracestore.retention;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import tracestore.storage.IndexPolicy;
import tracestore.storage.Storage;
import tracestore.storage.WriteBatches;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.StatusCode;
import tracestore.storage.model.TraceId;

/**
 * A seeded dataset of traces across four services and a few hours, each trace written as two
 * chunks (two batches) so parents and children sit in different chunks, with the answers computed
 * straight from the generated spans.
 */
final class Dataset {
  /** 2026-01-05T00:00:00Z, the start of a UTC day. */
  static final long T0 = 1_767_571_200_000_000_000L;
  static final long HOUR = Buckets.HOUR_NANOS;

  record Key(String service, String operation, SpanKind kind, long bucket) {}

  record LinkKey(String parent, String child, long bucket) {}

  final int hours;
  final List<List<Span>> traces = new ArrayList<>();

  Dataset(long seed, int hours, int tracesPerHour) {
    this.hours = hours;
    Random random = new Random(seed);
    for (int h = 0; h < hours; h++) {
      for (int i = 0; i < tracesPerHour; i++) {
        long start = T0 + h * HOUR + (long) random.nextInt(3_590_000) * 1_000_000L;
        traces.add(trace(random, start));
      }
    }
  }

  private static List<Span> trace(Random random, long start) {
    TraceId id = new TraceId(random.nextLong() | 1, random.nextLong() | 1);
    List<Span> spans = new ArrayList<>();
    long[] next = {random.nextLong() & 0x7fff_ffff_ffff_0000L | 1};
    String route = "GET /" + (char) ('a' + random.nextInt(3));
    long root = add(spans, random, id, next, 0, "frontend", route, SpanKind.SERVER, start, 0.01);
    long client = add(spans, random, id, next, root, "frontend", "call api", SpanKind.CLIENT, start + 1_000, 0.0);
    long api = add(spans, random, id, next, client, "api", "handle", SpanKind.SERVER, start + 2_000, 0.1);
    if (random.nextBoolean()) {
      add(spans, random, id, next, api, "db", "query", SpanKind.SERVER, start + 3_000, 0.05);
    }
    if (random.nextInt(3) == 0) {
      add(spans, random, id, next, api, "cache", "get", SpanKind.SERVER, start + 4_000, 0.0);
    }
    add(spans, random, id, next, api, "api", "serialize", SpanKind.INTERNAL, start + 5_000, 0.0);
    return spans;
  }

  private static long add(List<Span> spans, Random random, TraceId id, long[] next, long parent,
      String service, String name, SpanKind kind, long start, double errorRate) {
    long spanId = next[0]++;
    long micros = 50 + (long) (Math.exp(random.nextGaussian() * 1.2 + 7)); // log-normal, ~1 ms
    Span.Builder b = Span.newBuilder().traceId(id).spanId(spanId).parentSpanId(parent).name(name)
        .service(service).kind(kind).startEpochNanos(start).durationNanos(micros * 1_000);
    if (random.nextDouble() < errorRate) b.status(StatusCode.ERROR, "failed");
    spans.add(b.build());
    return spanId;
  }

  /** Writes each trace as two batches: its first half and the rest. */
  void writeTo(Storage storage) {
    WriteBatches batches = WriteBatches.create(IndexPolicy.everyKey());
    List<Span> first = new ArrayList<>();
    List<Span> second = new ArrayList<>();
    for (List<Span> t : traces) {
      int half = (t.size() + 1) / 2;
      first.addAll(t.subList(0, half));
      second.addAll(t.subList(half, t.size()));
    }
    storage.writer().write(batches.toBatch(first)).toCompletableFuture().join();
    storage.writer().write(batches.toBatch(second)).toCompletableFuture().join();
  }

  long spanCount() {
    long n = 0;
    for (List<Span> t : traces) n += t.size();
    return n;
  }

  static long bucketOf(List<Span> trace) {
    long min = Long.MAX_VALUE;
    for (Span s : trace) min = Math.min(min, s.startEpochNanos());
    return Buckets.floor(min);
  }

  /** Durations in microseconds per rollup key, and error counts. */
  Map<Key, List<Long>> durations() {
    Map<Key, List<Long>> out = new TreeMap<>(java.util.Comparator.comparing(Key::service)
        .thenComparing(Key::operation).thenComparing(Key::kind).thenComparingLong(Key::bucket));
    for (List<Span> t : traces) {
      long bucket = bucketOf(t);
      for (Span s : t) {
        out.computeIfAbsent(new Key(s.service(), s.name(), s.kind(), bucket), k -> new ArrayList<>())
            .add(s.durationNanos() / 1_000);
      }
    }
    return out;
  }

  Map<Key, Long> errors() {
    Map<Key, Long> out = new HashMap<>();
    for (List<Span> t : traces) {
      long bucket = bucketOf(t);
      for (Span s : t) {
        if (s.isError()) out.merge(new Key(s.service(), s.name(), s.kind(), bucket), 1L, Long::sum);
      }
    }
    return out;
  }

  /** (parent service, child service, hour) -> {calls, errors}, from parent/child across services. */
  Map<LinkKey, long[]> links() {
    Map<LinkKey, long[]> out = new HashMap<>();
    for (List<Span> t : traces) {
      Map<Long, Span> byId = new HashMap<>();
      for (Span s : t) byId.put(s.spanId(), s);
      for (Span s : t) {
        Span p = byId.get(s.parentSpanId());
        if (p == null || p.service().equals(s.service())) continue;
        long[] v = out.computeIfAbsent(new LinkKey(p.service(), s.service(), bucketOf(t)), k -> new long[2]);
        v[0]++;
        if (s.isError()) v[1]++;
      }
    }
    return out;
  }

  /** The value at rank ceil(p/100 * n) of sorted values. */
  static long exactPercentile(List<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
