package tracestore.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of other processes from Linux's {@code /proc/<pid>/stat}: user plus system time, in
 * clock ticks turned into seconds. A group is either a list of pids (the server, the Cassandra
 * node) or every process with one command name (PostgreSQL's postmaster and its backends). For a
 * named group the children already reaped by their parent count too ({@code cutime + cstime}), so
 * backends that exit during the window are not lost.
 */
final class ProcCpu {
  private final long ticksPerSecond;

  ProcCpu(long ticksPerSecond) {
    this.ticksPerSecond = ticksPerSecond;
  }

  /** Seconds of CPU used so far by these pids; a pid that is gone counts zero. */
  double seconds(List<Long> pids) {
    long ticks = 0;
    for (long pid : pids) {
      long[] t = ticks(Path.of("/proc", Long.toString(pid), "stat"));
      if (t != null) ticks += t[0] + t[1];
    }
    return (double) ticks / ticksPerSecond;
  }

  /** Seconds of CPU used so far by every process named {@code comm}, reaped children included. */
  double secondsByName(String comm) {
    long ticks = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        Path stat = p.resolve("stat");
        String s = read(stat);
        if (s == null || !s.contains("(" + comm + ")")) continue;
        long[] t = parse(s);
        if (t != null) ticks += t[0] + t[1] + t[2] + t[3];
      }
    } catch (IOException e) {
      return 0;
    }
    return (double) ticks / ticksPerSecond;
  }

  private static long[] ticks(Path stat) {
    String s = read(stat);
    return s == null ? null : parse(s);
  }

  private static String read(Path stat) {
    try {
      return Files.readString(stat);
    } catch (IOException e) {
      return null;
    }
  }

  /** utime, stime, cutime, cstime: fields 14-17, counted after the parenthesised command name. */
  private static long[] parse(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) return null;
    String[] f = stat.substring(close + 2).trim().split(" ");
    // f[0] is field 3 (state), so field n is f[n - 3]
    if (f.length < 15) return null;
    return new long[] {
      Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])
    };
  }
}
