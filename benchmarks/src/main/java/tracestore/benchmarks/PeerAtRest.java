package tracestore.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import tracestore.testnode.NodeLauncher;

/**
 * Bytes at rest of one keyspace of the peer run's Cassandra node: {@code nodetool flush} and
 * {@code compact} on that keyspace, then the size of its SSTables (snapshots and backups left out),
 * per table and in total, divided by the spans stored there.
 *
 * <p>Usage: {@code PeerAtRest --node-dir target/peers/cassandra --keyspace ks --spans N --out FILE}.
 */
public final class PeerAtRest {
  private PeerAtRest() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = PeerLoad.parse(args);
    String keyspace = opts.get("keyspace");
    double spans = Double.parseDouble(opts.get("spans"));
    NodeLauncher node = NodeLauncher.dedicated(Path.of(opts.get("node-dir")), "1G");
    long t0 = System.nanoTime();
    node.nodetool("flush", keyspace);
    node.nodetool("compact", keyspace);
    Path dir = node.directory().resolve("data").resolve("data").resolve(keyspace);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("keyspace", keyspace);
    out.put("spans", PeerLoad.fmt(spans));
    long total = 0;
    try (Stream<Path> tables = Files.list(dir)) {
      for (Path table : tables.sorted().toList()) {
        long bytes = sizeOf(table);
        if (bytes == 0) continue;
        total += bytes;
        String name = table.getFileName().toString().replaceAll("-[0-9a-f]{32}$", "");
        out.put("table." + name + ".bytesPerSpan", PeerLoad.fmt(bytes / spans));
      }
    }
    out.put("bytes", Long.toString(total));
    out.put("bytesPerSpan", PeerLoad.fmt(total / spans));
    System.out.printf(Locale.ROOT, "[at rest] %s: %,d bytes after flush + compact (%.1f s) = %.1f B/span over %,.0f spans%n",
        keyspace, total, (System.nanoTime() - t0) / 1e9, total / spans, spans);
    out.forEach((k, v) -> {
      if (k.startsWith("table.")) System.out.printf(Locale.ROOT, "[at rest]   %s %s%n", k, v);
    });
    StringBuilder b = new StringBuilder();
    out.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Path p = Path.of(opts.get("out"));
    if (p.getParent() != null) Files.createDirectories(p.getParent());
    Files.writeString(p, b.toString());
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }
}
