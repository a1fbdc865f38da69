package tracestore.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tracestore.retention.AggregationJob;
import tracestore.retention.ProgressListener;
import tracestore.retention.RetentionPolicy;
import tracestore.retention.RetentionRunner;
import tracestore.retention.Summary;
import tracestore.server.ServerConfig;
import tracestore.server.Wiring;
import tracestore.storage.DependencyLink;
import tracestore.storage.Exemplar;
import tracestore.storage.Rollup;
import tracestore.storage.RollupStore;
import tracestore.storage.Storage;

/** {@code tracestore retention run|status}: the aggregation job and its state, from the shell. */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = "Aggregates raw spans into rollups, links and exemplars, and deletes raw data past retention.")
final class RetentionCommand implements Runnable {
  @Spec CommandSpec spec;

  /** The command with its two subcommands, each taking the storage settings. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new RetentionCommand());
    cmd.addSubcommand("run", SettingOptions.addTo(new CommandLine(new Run())));
    cmd.addSubcommand("status", SettingOptions.addTo(new CommandLine(new Status())));
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Policy flags shared by both subcommands. */
  static class PolicyOptions {
    @Option(names = "--raw-retention", paramLabel = "DURATION", defaultValue = "7d",
        description = "Raw span retention, e.g. 7d, 36h (default ${DEFAULT-VALUE}).")
    String raw;

    @Option(names = "--rollup-retention", paramLabel = "DURATION", defaultValue = "90d",
        description = "Rollup retention (default ${DEFAULT-VALUE}).")
    String rollups;

    @Option(names = "--exemplar-retention", paramLabel = "DURATION", defaultValue = "30d",
        description = "Exemplar trace retention (default ${DEFAULT-VALUE}).")
    String exemplars;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "10m",
        description = "Wait this long after an hour ends before aggregating it (default ${DEFAULT-VALUE}).")
    String grace;

    RetentionPolicy policy() {
      try {
        return RetentionPolicy.newBuilder().raw(duration("--raw-retention", raw))
            .rollups(duration("--rollup-retention", rollups))
            .exemplars(duration("--exemplar-retention", exemplars))
            .grace(duration("--grace", grace)).build();
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
    }
  }

  /** {@code tracestore retention run}. */
  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Aggregates the due hours after the watermark (or --from/--to), then deletes raw",
          "data past raw retention that is aggregated. Prints progress and a summary."})
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;
    @CommandLine.Mixin PolicyOptions policy = new PolicyOptions();

    @Option(names = "--dry-run", description = "Scan and compute, but write and delete nothing.")
    boolean dryRun;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Re-aggregate from this time (ISO-8601, e.g. 2026-11-24T00:00:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Re-aggregate up to this time (ISO-8601); default now.")
    String to;

    @Override
    public Integer call() {
      ServerConfig config = SettingOptions.load(spec);
      PrintWriter out = spec.commandLine().getOut();
      try (Storage storage = Wiring.openStorage(config, Wiring.Schema.VERIFY)) {
        AggregationJob job = job(storage, policy.policy());
        ProgressListener progress = new Progress(out, System.console() != null);
        Summary summary;
        if (from != null || to != null) {
          long fromNanos = from == null ? job.watermark().orElse(job.initialWatermark()) : instant("--from", from);
          long toNanos = to == null ? job.dueUntil() : instant("--to", to);
          summary = job.run(fromNanos, toNanos, dryRun, progress);
        } else if (dryRun) {
          summary = job.run(job.watermark().orElse(job.initialWatermark()), job.dueUntil(), true, progress);
        } else {
          summary = new RetentionRunner(job, storage.rollups(), RetentionCommand::nowNanos).runOnce(progress);
        }
        out.println("retention: " + summary);
        return summary.leaseLost() ? Main.EXIT_FAILURE : 0;
      }
    }
  }

  /** {@code tracestore retention status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Shows the watermark, the lag, and the rollups, links and exemplars kept per policy.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @CommandLine.Mixin PolicyOptions policy = new PolicyOptions();

    @Override
    public Integer call() {
      ServerConfig config = SettingOptions.load(spec);
      PrintWriter out = spec.commandLine().getOut();
      try (Storage storage = Wiring.openStorage(config, Wiring.Schema.VERIFY)) {
        RetentionPolicy p = policy.policy();
        AggregationJob job = job(storage, p);
        RollupStore store = storage.rollups();
        long now = nowNanos();
        OptionalLong wm = job.watermark();
        out.println("policy:    " + p);
        if (wm.isEmpty()) {
          out.println("watermark: none (never ran); a first run starts at "
              + Instant.ofEpochSecond(0, job.initialWatermark()));
        } else {
          long lag = now - wm.getAsLong();
          out.println("watermark: " + Instant.ofEpochSecond(0, wm.getAsLong()));
          out.println("lag:       " + Duration.ofNanos(lag).toMinutes() + " min, "
              + Math.max(0, (job.dueUntil() - wm.getAsLong()) / 3_600_000_000_000L) + " due hours not aggregated"
              + (lag > p.longestRaw().toNanos() * RetentionRunner.LAG_WARN_FRACTION
                  ? " (WARNING: close to raw retention)" : ""));
        }
        out.println("raw:       kept " + p.longestRaw().toHours() + " h (" + p.longestRaw().toHours()
            + " hour buckets); sizes are not exposed by the storage SPI");
        long rollupFrom = now - p.defaultDurations().rollups().toNanos();
        List<Rollup> rollups = store.readRollups("", rollupFrom, now);
        long rollupBytes = 0;
        for (Rollup r : rollups) rollupBytes += r.latencySketch().length;
        out.println("rollups:   " + rollups.size() + " rows in " + distinctBuckets(rollups)
            + " hour buckets, " + rollupBytes + " sketch bytes (kept " + p.defaultDurations().rollups().toDays() + " d)");
        List<DependencyLink> links = store.readLinks(rollupFrom, now);
        out.println("links:     " + links.size() + " rows");
        List<Exemplar> exemplars = store.readExemplars("", now - p.defaultDurations().exemplars().toNanos(), now);
        long exemplarBytes = 0;
        for (Exemplar e : exemplars) exemplarBytes += e.payload().length;
        out.println("exemplars: " + exemplars.size() + " traces, " + exemplarBytes + " bytes (kept "
            + p.defaultDurations().exemplars().toDays() + " d)");
        return 0;
      }
    }

    private static long distinctBuckets(List<Rollup> rollups) {
      return rollups.stream().mapToLong(Rollup::bucketStartEpochNanos).distinct().count();
    }
  }

  static AggregationJob job(Storage storage, RetentionPolicy policy) {
    return AggregationJob.newBuilder().store(storage.rollups()).reader(storage.reader())
        .policy(policy).owner(owner()).build();
  }

  /** Host and process id: unique per scheduler. */
  static String owner() {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return host + '/' + ProcessHandle.current().pid();
  }

  /** Parses {@code 7d}, {@code 36h}, {@code 10m}, {@code 30s} or an ISO-8601 duration. */
  static Duration duration(String flag, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) return Duration.parse(text.trim());
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      switch (t.charAt(t.length() - 1)) {
        case 'd': return Duration.ofDays(n);
        case 'h': return Duration.ofHours(n);
        case 'm': return Duration.ofMinutes(n);
        case 's': return Duration.ofSeconds(n);
        default: break;
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      // fall through to the message
    }
    throw new CliException(flag + ": cannot read '" + text + "' as a duration; use 7d, 36h, 10m, 30s or PT1H");
  }

  static long instant(String flag, String text) {
    try {
      Instant i = Instant.parse(text.trim());
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (DateTimeParseException e) {
      throw new CliException(flag + ": cannot read '" + text + "' as an ISO-8601 instant, e.g. 2026-11-24T00:00:00Z");
    }
  }

  /** Plain lines, or one redrawn bar when writing to a terminal. */
  static final class Progress implements ProgressListener {
    private final PrintWriter out;
    private final boolean terminal;

    Progress(PrintWriter out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    @Override
    public void started(int buckets, long fromEpochNanos, long toEpochNanos) {
      out.println("retention: " + buckets + " hour buckets from " + Instant.ofEpochSecond(0, fromEpochNanos)
          + " to " + Instant.ofEpochSecond(0, toEpochNanos));
      out.flush();
    }

    @Override
    public void bucketDone(int done, int total, long bucketStartEpochNanos, long spans) {
      String hour = Instant.ofEpochSecond(0, bucketStartEpochNanos).toString();
      if (terminal) {
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + '/' + total + ' ' + hour);
        if (done == total) out.println();
      } else {
        out.println("retention: bucket " + done + '/' + total + ' ' + hour + ": " + spans + " spans");
      }
      out.flush();
    }
  }

  static long nowNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
