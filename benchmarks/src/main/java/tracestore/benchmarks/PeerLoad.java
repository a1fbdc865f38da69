package tracestore.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tracestore.storage.model.Span;

/**
 * The peer comparison's load generator: {@link RealisticTraces} sent over OTLP/HTTP protobuf,
 * OTLP/gRPC or Zipkin v2 JSON, on N connections (one sending thread each, one request in flight
 * per connection), flat out or at a fixed rate of spans per second.
 *
 * <ul>
 *   <li>Each request carries whole traces, at least {@code --spans-per-request} spans. The traces
 *       are generated while sending (the client's own CPU is reported apart, never in the
 *       server's figure).
 *   <li>Every 5 s and at the end it prints accepted spans/s, p50/p99 acknowledgement latency and
 *       the count of back-pressure (429/503, RESOURCE_EXHAUSTED/UNAVAILABLE) and other non-2xx
 *       answers. A back-pressured request is sent again, as OTel exporters do. At a fixed rate the
 *       latency counts from when the request was due, so a server that falls behind shows it.
 *   <li>{@code --total-spans N} sends a fixed dataset instead (each connection a seeded share, no
 *       warm-up): the same flags give the same spans to every server.
 *   <li>{@code --verify K} samples K of the acknowledged trace ids and, after the run, reads each
 *       back with {@code GET /api/v2/trace/{id}}: the stored fraction. A Zipkin server answers 202
 *       before it stores, so a 2xx alone proves nothing there.
 *   <li>{@code --cpu NAME=pid[,pid]} or {@code --cpu NAME=@comm} (every process of that command
 *       name, such as {@code postgres}): CPU seconds of those processes from the start of the
 *       measured window until {@code --settle} (5 s) after its end, so that work a server defers
 *       past its acknowledgement is counted too.
 * </ul>
 *
 * Results go to {@code --out} as properties, and the sampled traces to {@code --traces-out} (for
 * {@link PeerQueries}). Usage: {@code java -cp benchmarks.jar tracestore.benchmarks.PeerLoad
 * --label ts-cassandra --protocol otlp-http --url http://127.0.0.1:4318 --query-url
 * http://127.0.0.1:9411 --duration 30s --warmup 10s --connections 8 --verify 500 --out r.properties}.
 */
public final class PeerLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> opts;
  private final String label;
  private final int connections;
  private final int spansPerRequest;
  private final double rate;
  private final long totalSpans;
  private final long seed;
  private final long startEpochNanos;
  private final int verify;

  private final Latencies interval = new Latencies();
  private final Latencies measured = new Latencies();
  private final AtomicLong acceptedSpans = new AtomicLong();
  private final AtomicLong acceptedRequests = new AtomicLong();
  private final AtomicLong intervalSpans = new AtomicLong();
  private final AtomicLong backPressure = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong requestBytes = new AtomicLong();
  private final Map<Integer, AtomicLong> failedByStatus = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String lastError = "";

  private PeerLoad(Map<String, String> opts) {
    this.opts = opts;
    this.label = opts.getOrDefault("label", "load");
    this.connections = Integer.parseInt(opts.getOrDefault("connections", "8"));
    this.spansPerRequest = Integer.parseInt(opts.getOrDefault("spans-per-request", "100"));
    this.rate = Double.parseDouble(opts.getOrDefault("rate", "0"));
    this.totalSpans = Long.parseLong(opts.getOrDefault("total-spans", "0"));
    this.seed = Long.parseLong(opts.getOrDefault("seed", "1"));
    this.startEpochNanos = opts.containsKey("start-ms")
        ? Long.parseLong(opts.get("start-ms")) * 1_000_000L
        : System.currentTimeMillis() * 1_000_000L;
    this.verify = Integer.parseInt(opts.getOrDefault("verify", "0"));
  }

  public static void main(String[] args) throws Exception {
    new PeerLoad(parse(args)).run();
    System.exit(0); // Armeria's event loops are not daemons
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, at " + args[i]);
      }
      String key = args[i].substring(2);
      String value = args[++i];
      opts.merge(key, value, (a, b) -> a + ";" + b);
    }
    return opts;
  }

  static long seconds(String duration) {
    String d = duration.trim().toLowerCase(Locale.ROOT);
    if (d.endsWith("ms")) return Math.max(1, Long.parseLong(d.substring(0, d.length() - 2)) / 1000);
    if (d.endsWith("m")) return Long.parseLong(d.substring(0, d.length() - 1)) * 60;
    if (d.endsWith("s")) return Long.parseLong(d.substring(0, d.length() - 1));
    return Long.parseLong(d);
  }

  /** A sampled trace: what was sent, for the read-back check and the query benchmark. */
  record SentTrace(String traceId, int spans, String rootService, String rootName, long startMicros,
      long durationMicros) {
    static SentTrace of(List<Span> trace) {
      Span root = trace.get(0);
      for (Span s : trace) if (s.parentSpanId() == 0) root = s;
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (Span s : trace) {
        start = Math.min(start, s.startEpochNanos());
        end = Math.max(end, s.endEpochNanos());
      }
      return new SentTrace(root.traceId().toHex(), trace.size(), root.service(), root.name(),
          start / 1000, (end - start) / 1000);
    }

    String line() {
      return String.join("\t", traceId, Integer.toString(spans), rootService, rootName,
          Long.toString(startMicros), Long.toString(durationMicros));
    }
  }

  private void run() throws Exception {
    String protocol = opts.getOrDefault("protocol", "otlp-http");
    String url = require("url");
    boolean fixedDataset = totalSpans > 0;
    long warmupNanos = fixedDataset ? 0 : TimeUnit.SECONDS.toNanos(seconds(opts.getOrDefault("warmup", "10s")));
    long durationNanos = TimeUnit.SECONDS.toNanos(seconds(opts.getOrDefault("duration", "30s")));
    Map<String, CpuGroup> cpu = cpuGroups();
    ProcCpu proc = new ProcCpu(Long.parseLong(opts.getOrDefault("clk-tck", "100")));

    System.out.printf(Locale.ROOT, "[%s] %s to %s, %d connections, >=%d spans/request, %s, %s%n", label,
        protocol, url, connections, spansPerRequest, rate > 0 ? String.format(Locale.ROOT, "%,.0f spans/s", rate) : "flat out",
        fixedDataset ? String.format(Locale.ROOT, "fixed dataset of %,d spans (seed %d)", totalSpans, seed)
            : String.format(Locale.ROOT, "warm-up %d s, measured %d s", warmupNanos / 1_000_000_000L, durationNanos / 1_000_000_000L));

    try (PeerSender sender = PeerSender.of(protocol, url, connections)) {
      long begin = System.nanoTime();
      long measureFrom = begin + warmupNanos;
      long end = measureFrom + durationNanos;
      AtomicLong pace = new AtomicLong(begin);
      List<List<SentTrace>> samples = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        List<SentTrace> sample = new ArrayList<>();
        samples.add(sample);
        long quota = fixedDataset ? totalSpans / connections + (c == 0 ? totalSpans % connections : 0) : Long.MAX_VALUE;
        int conn = c;
        Thread t = new Thread(() -> sendLoop(sender, conn, quota, measureFrom, fixedDataset ? Long.MAX_VALUE : end, pace, sample),
            "load-" + c);
        threads.add(t);
      }
      threads.forEach(Thread::start);

      sleepUntil(measureFrom);
      interval.drain();
      intervalSpans.set(0);
      Map<String, Double> cpu0 = snapshot(cpu, proc);
      long t0 = System.nanoTime();
      long clientCpu0 = clientCpuNanos();
      long lastReport = t0;
      while (threads.stream().anyMatch(Thread::isAlive)) {
        for (Thread t : threads) t.join(200);
        long now = System.nanoTime();
        if (now - lastReport >= 5_000_000_000L) {
          report(String.format(Locale.ROOT, "t=%3ds", (now - t0) / 1_000_000_000L), intervalSpans.getAndSet(0),
              now - lastReport, interval.drain());
          lastReport = now;
        }
      }
      long elapsed = System.nanoTime() - t0;
      double clientCpu = (clientCpuNanos() - clientCpu0) / 1e9;
      // Work a server defers past its acknowledgement (Zipkin stores after answering 202) counts:
      // the CPU window closes only after the settle time.
      long settle = seconds(opts.getOrDefault("settle", "5s"));
      if (!cpu.isEmpty() || verify > 0) {
        System.out.printf(Locale.ROOT, "[%s] window closed; waiting %d s for deferred work...%n", label, settle);
        Thread.sleep(settle * 1000);
      }
      Map<String, Double> cpu1 = snapshot(cpu, proc);

      Map<String, String> out = new LinkedHashMap<>();
      out.put("label", label);
      out.put("protocol", protocol);
      out.put("connections", Integer.toString(connections));
      out.put("spansPerRequest", Integer.toString(spansPerRequest));
      out.put("rate", Double.toString(rate));
      out.put("seconds", fmt(elapsed / 1e9));
      out.put("acceptedSpans", Long.toString(acceptedSpans.get()));
      out.put("acceptedRequests", Long.toString(acceptedRequests.get()));
      double spansPerSecond = acceptedSpans.get() / (elapsed / 1e9);
      out.put("spansPerSecond", fmt(spansPerSecond));
      out.put("bytesPerSpan", fmt(acceptedSpans.get() == 0 ? 0 : (double) requestBytes.get() / acceptedSpans.get()));
      out.put("p50Ms", fmt(measured.millis(0.50)));
      out.put("p99Ms", fmt(measured.millis(0.99)));
      out.put("backPressure", Long.toString(backPressure.get()));
      out.put("failed", Long.toString(failed.get()));
      out.put("failedByStatus", failedByStatus.toString());
      out.put("errors", Long.toString(errors.get()));
      out.put("lastError", lastError.replace('\n', ' '));
      out.put("clientCpuSeconds", fmt(clientCpu));
      double serverCpu = 0;
      for (String group : cpu.keySet()) {
        double used = cpu1.get(group) - cpu0.get(group);
        serverCpu += used;
        out.put("cpu." + group + ".seconds", fmt(used));
      }
      out.put("cpu.total.seconds", fmt(serverCpu));
      System.out.printf(Locale.ROOT, "[%s] end: %,d spans in %.1f s = %,.0f spans/s accepted, p50 %.1f ms, p99 %.1f ms,"
              + " back-pressure %d, other non-2xx %d %s, errors %d%n", label, acceptedSpans.get(), elapsed / 1e9,
          spansPerSecond, measured.millis(0.5), measured.millis(0.99), backPressure.get(), failed.get(),
          failedByStatus, errors.get());
      if (!cpu.isEmpty()) {
        System.out.printf(Locale.ROOT, "[%s] CPU over the window: %s; %.1f CPU s per million spans; client %.1f s%n",
            label, out.entrySet().stream().filter(e -> e.getKey().startsWith("cpu.")).map(e -> e.getKey() + "=" + e.getValue()).toList(),
            acceptedSpans.get() == 0 ? 0 : serverCpu * 1e6 / acceptedSpans.get(), clientCpu);
      }

      List<SentTrace> sampled = merge(samples, verify);
      if (opts.containsKey("traces-out")) {
        Path file = Path.of(opts.get("traces-out"));
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.write(file, sampled.stream().map(SentTrace::line).toList());
      }
      if (verify > 0 && opts.containsKey("query-url")) verify(sampled, out);
      write(out);
    }
  }

  private void sendLoop(PeerSender sender, int conn, long quota, long measureFrom, long end, AtomicLong pace,
      List<SentTrace> sample) {
    RealisticTraces gen = new RealisticTraces(seed * 1_000_003L + conn, startEpochNanos);
    SplittableRandom pick = new SplittableRandom(seed * 31 + conn);
    long sent = 0;
    long seen = 0;
    int perThread = verify == 0 ? 0 : Math.max(1, (verify + connections - 1) / connections);
    try {
      while (sent < quota && System.nanoTime() < end) {
        List<Span> spans = new ArrayList<>(spansPerRequest + RealisticTraces.MAX_SPANS);
        List<List<Span>> traces = new ArrayList<>();
        while (spans.size() < spansPerRequest && sent + spans.size() < quota) {
          List<Span> trace = gen.next();
          traces.add(trace);
          spans.addAll(trace);
        }
        int n = spans.size();
        Object body = sender.encode(spans);
        long start;
        if (rate > 0) {
          start = pace.getAndAdd((long) (n * 1e9 / rate));
          sleepUntil(start);
        } else {
          start = System.nanoTime();
        }
        boolean counted = start >= measureFrom;
        for (int attempt = 0; ; attempt++) {
          PeerSender.Answer a;
          try {
            a = sender.send(body);
          } catch (RuntimeException e) {
            errors.incrementAndGet();
            lastError = e.toString();
            if (attempt >= 5) break;
            sleep(200);
            continue;
          }
          if (a.outcome() == PeerSender.Outcome.ACCEPTED) {
            long latency = System.nanoTime() - start;
            if (counted) {
              measured.add(latency);
              interval.add(latency);
              acceptedSpans.addAndGet(n);
              intervalSpans.addAndGet(n);
              acceptedRequests.incrementAndGet();
              if (body instanceof byte[] bytes) requestBytes.addAndGet(bytes.length);
              for (List<Span> t : traces) {
                seen++;
                if (sample.size() < perThread) sample.add(SentTrace.of(t));
                else if (perThread > 0) {
                  long j = pick.nextLong(seen);
                  if (j < perThread) sample.set((int) j, SentTrace.of(t));
                }
              }
            }
            break;
          }
          if (a.outcome() == PeerSender.Outcome.BACK_PRESSURE) {
            backPressure.incrementAndGet();
            if (attempt >= 100) break;
            sleep(100);
            continue;
          }
          failed.incrementAndGet();
          failedByStatus.computeIfAbsent(a.status(), k -> new AtomicLong()).incrementAndGet();
          break;
        }
        sent += n;
      }
    } catch (RuntimeException e) {
      errors.incrementAndGet();
      lastError = e.toString();
      System.err.println("[" + label + "] sender " + conn + " stopped: " + e);
    }
  }

  private void report(String when, long spans, long nanos, Latencies l) {
    System.out.printf(Locale.ROOT, "[%s] %s %,8.0f spans/s accepted, p50 %6.1f ms, p99 %7.1f ms, back-pressure %d, other non-2xx %d, errors %d%n",
        label, when, spans / (nanos / 1e9), l.millis(0.5), l.millis(0.99), backPressure.get(), failed.get(), errors.get());
  }

  /** Reads sampled traces back, after letting the server settle; counts full, partial and missing. */
  private void verify(List<SentTrace> sampled, Map<String, String> out) throws Exception {
    System.out.printf(Locale.ROOT, "[%s] reading back %d sampled traces...%n", label, sampled.size());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    String base = opts.get("query-url");
    long full = 0;
    long partial = 0;
    long missing = 0;
    long expectedSpans = 0;
    long foundSpans = 0;
    for (SentTrace t : sampled) {
      expectedSpans += t.spans();
      int found = 0;
      try {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/trace/" + t.traceId()))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
          JsonNode spans = JSON.readTree(r.body());
          found = spans.size();
        }
      } catch (IOException e) {
        lastError = e.toString();
      }
      foundSpans += Math.min(found, t.spans());
      if (found >= t.spans()) full++;
      else if (found > 0) partial++;
      else missing++;
    }
    double fraction = expectedSpans == 0 ? 0 : (double) foundSpans / expectedSpans;
    out.put("verify.traces", Integer.toString(sampled.size()));
    out.put("verify.full", Long.toString(full));
    out.put("verify.partial", Long.toString(partial));
    out.put("verify.missing", Long.toString(missing));
    out.put("storedFraction", fmt(fraction));
    out.put("storedSpansPerSecond", fmt(Double.parseDouble(out.get("spansPerSecond")) * fraction));
    System.out.printf(Locale.ROOT, "[%s] read back %d traces: %d whole, %d partial, %d missing; %.1f%% of their spans stored%n",
        label, sampled.size(), full, partial, missing, 100 * fraction);
  }

  private static List<SentTrace> merge(List<List<SentTrace>> samples, int k) {
    List<SentTrace> all = new ArrayList<>();
    int longest = samples.stream().mapToInt(List::size).max().orElse(0);
    for (int i = 0; i < longest && all.size() < k; i++) {
      for (List<SentTrace> s : samples) if (i < s.size() && all.size() < k) all.add(s.get(i));
    }
    return all;
  }

  private record CpuGroup(List<Long> pids, String comm) {}

  private Map<String, CpuGroup> cpuGroups() {
    Map<String, CpuGroup> groups = new LinkedHashMap<>();
    String spec = opts.get("cpu");
    if (spec == null || spec.isBlank()) return groups;
    for (String g : spec.split(";")) {
      int eq = g.indexOf('=');
      String name = g.substring(0, eq);
      String v = g.substring(eq + 1);
      if (v.startsWith("@")) groups.put(name, new CpuGroup(List.of(), v.substring(1)));
      else {
        List<Long> pids = new ArrayList<>();
        for (String p : v.split(",")) if (!p.isBlank()) pids.add(Long.parseLong(p.trim()));
        groups.put(name, new CpuGroup(pids, null));
      }
    }
    return groups;
  }

  private static Map<String, Double> snapshot(Map<String, CpuGroup> groups, ProcCpu proc) {
    Map<String, Double> s = new LinkedHashMap<>();
    groups.forEach((name, g) -> s.put(name, g.comm() != null ? proc.secondsByName(g.comm()) : proc.seconds(g.pids())));
    return s;
  }

  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private void write(Map<String, String> out) throws IOException {
    String file = opts.get("out");
    if (file == null) return;
    Path p = Path.of(file);
    if (p.getParent() != null) Files.createDirectories(p.getParent());
    StringBuilder b = new StringBuilder();
    out.forEach((k, v) -> b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(p, b.toString());
  }

  private String require(String key) {
    String v = opts.get(key);
    if (v == null) throw new IllegalArgumentException("--" + key + " is required");
    return v;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static void sleepUntil(long nanoTime) {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) LockSupport.parkNanos(left);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
