package tracestore.retention;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How long each kind of data is kept, with per-service overrides. Immutable; build with {@link
 * #newBuilder()}.
 *
 * <p>Raw spans are stored per trace chunk and deleted by time range (a PostgreSQL day partition, a
 * SQLite time range, a Cassandra TTL), never per service, so the raw deletion cutoff honours the
 * longest raw retention of all services ({@link #longestRaw()}); rollups and exemplars are deleted
 * by time as well, so the longest of each applies too: an override can lengthen a service's
 * retention of everything (keeping others' data as long), not shorten it. Per-tenant overrides are not
 * possible yet: the storage SPI has no tenant.
 */
public final class RetentionPolicy {
  /** Retention of one service; every field is positive. */
  public record Durations(Duration raw, Duration rollups, Duration exemplars) {
    public Durations {
      requirePositive("raw", raw);
      requirePositive("rollups", rollups);
      requirePositive("exemplars", exemplars);
    }
  }

  private final Durations defaults;
  private final Map<String, Durations> perService;
  private final Duration grace;

  private RetentionPolicy(Builder b) {
    this.defaults = new Durations(b.raw, b.rollups, b.exemplars);
    this.perService = Map.copyOf(b.perService);
    this.grace = b.grace;
  }

  /** Raw 7 days, rollups 90 days, exemplars 30 days, grace 10 minutes, no overrides. */
  public static RetentionPolicy defaults() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Durations defaultDurations() {
    return defaults;
  }

  /** The durations of {@code service}: its override, or the defaults. */
  public Durations forService(String service) {
    return perService.getOrDefault(service, defaults);
  }

  /** Services with an override, read-only. */
  public Map<String, Durations> overrides() {
    return perService;
  }

  /** The longest raw retention of the defaults and all overrides: the raw deletion cutoff's age. */
  public Duration longestRaw() {
    return longest(Durations::raw);
  }

  /** The longest rollup retention of the defaults and all overrides: rollups are deleted by time. */
  public Duration longestRollups() {
    return longest(Durations::rollups);
  }

  /** The longest exemplar retention of the defaults and all overrides. */
  public Duration longestExemplars() {
    return longest(Durations::exemplars);
  }

  private Duration longest(Function<Durations, Duration> field) {
    Duration longest = field.apply(defaults);
    for (Durations d : perService.values()) {
      if (field.apply(d).compareTo(longest) > 0) longest = field.apply(d);
    }
    return longest;
  }

  /** How long after an hour ends before it is aggregated, for late spans. */
  public Duration grace() {
    return grace;
  }

  @Override
  public String toString() {
    return "RetentionPolicy{defaults=" + defaults + ", overrides=" + new TreeMap<>(perService)
        + ", grace=" + grace + '}';
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " retention must be positive, got " + d);
    }
  }

  /** Not thread-safe. */
  public static final class Builder {
    private Duration raw = Duration.ofDays(7);
    private Duration rollups = Duration.ofDays(90);
    private Duration exemplars = Duration.ofDays(30);
    private Duration grace = Duration.ofMinutes(10);
    private final Map<String, Durations> perService = new TreeMap<>();

    private Builder() {}

    public Builder raw(Duration raw) {
      this.raw = raw;
      return this;
    }

    public Builder rollups(Duration rollups) {
      this.rollups = rollups;
      return this;
    }

    public Builder exemplars(Duration exemplars) {
      this.exemplars = exemplars;
      return this;
    }

    /** Late-span grace period after an hour ends; zero or more. */
    public Builder grace(Duration grace) {
      Objects.requireNonNull(grace, "grace == null");
      if (grace.isNegative()) throw new IllegalArgumentException("grace must be >= 0, got " + grace);
      this.grace = grace;
      return this;
    }

    public Builder override(String service, Durations durations) {
      Objects.requireNonNull(service, "service == null");
      if (service.isEmpty()) throw new IllegalArgumentException("override service is empty");
      perService.put(service, Objects.requireNonNull(durations, "durations == null"));
      return this;
    }

    /** @throws IllegalArgumentException naming the setting that is not positive */
    public RetentionPolicy build() {
      if (exemplars != null && raw != null && exemplars.compareTo(raw) < 0) {
        throw new IllegalArgumentException(
            "exemplars retention (" + exemplars + ") shorter than raw (" + raw + ") keeps nothing extra");
      }
      return new RetentionPolicy(this);
    }
  }
}
