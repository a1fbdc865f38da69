package tracestore.query;

import com.linecorp.armeria.server.ServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import tracestore.retention.StatsService;
import tracestore.storage.RollupStore;
import tracestore.storage.TraceReader;

/**
 * The query API as one unit: build it over a {@link TraceReader}, then {@link #registerOn} an
 * Armeria {@link ServerBuilder} whose port the caller chooses. Immutable and thread-safe once built.
 *
 * <p>Routes (plain {@code sb.service(...)} bindings, no annotated services):
 *
 * <ul>
 *   <li>{@code /api/v2/...} and the same under {@code /zipkin/api/v2/...}: Zipkin's v2 query API
 *       ({@code services, spans, remoteServices, traces, trace/{id}, traceMany, autocompleteKeys,
 *       autocompleteValues, dependencies});
 *   <li>{@code /zipkin/} (and {@code /zipkin/config.json}): Zipkin's UI, when {@link
 *       Builder#ui(boolean)} is on (the default);
 *   <li>{@code /api/native/...}: the native API (see docs/api.md).
 * </ul>
 *
 * <p>Handlers block on storage, so they run on {@link Builder#executor(Executor)}, or on the
 * server's blocking task executor when none is given; never on the event loop; at most {@link
 * Builder#maxConcurrentReads(int)} at once, beyond which they answer 503. Bad parameters
 * answer 400 with a message naming the parameter, an unknown trace 404, storage failures 503.
 *
 * <pre>{@code
 * ServerBuilder sb = Server.builder().http(9411);
 * QueryService.newBuilder(storage.reader()).build().registerOn(sb);
 * Server server = sb.build();
 * server.start().join();
 * }</pre>
 */
public final class QueryService {
  /** Response header of {@code /dependencies}: how many traces the links were computed from. */
  public static final String LINKED_TRACES_HEADER = "tracestore-linked-traces";

  /** Response header of {@code /dependencies}: false when the trace bound cut the range short. */
  public static final String LINKS_COMPLETE_HEADER = "tracestore-links-complete";

  private final TraceReader reader;
  private final Duration defaultLookback;
  private final Duration uiDefaultLookback;
  private final String uiEnvironment;
  private final int dependencyTraceLimit;
  private final Clock clock;
  private final Executor executor;
  private final boolean ui;
  private final int maxServicesPerSearch;
  private final Semaphore readPermits;
  private final StatsService stats; // null without rollups

  private QueryService(Builder b) {
    reader = b.reader;
    defaultLookback = b.defaultLookback;
    uiDefaultLookback = b.uiDefaultLookback;
    uiEnvironment = b.uiEnvironment;
    dependencyTraceLimit = b.dependencyTraceLimit;
    clock = b.clock;
    executor = b.executor;
    ui = b.ui;
    maxServicesPerSearch = b.maxServicesPerSearch;
    readPermits = new Semaphore(b.maxConcurrentReads);
    stats = b.rollups == null ? null : new StatsService(b.rollups);
  }

  public static Builder newBuilder(TraceReader reader) {
    return new Builder(reader);
  }

  /**
   * Adds every route to {@code sb}. Call once per server; the caller owns the port, TLS, and
   * decorators.
   *
   * @return {@code sb}, for chaining
   */
  public ServerBuilder registerOn(ServerBuilder sb) {
    ZipkinApi zipkin = new ZipkinApi(this);
    zipkin.registerOn(sb, "/api/v2");
    zipkin.registerOn(sb, "/zipkin/api/v2");
    new NativeApi(this).registerOn(sb, "/api/native");
    if (stats != null) new StatsApi(this).registerOn(sb, "/api/native");
    if (ui) new ZipkinUi(this).registerOn(sb);
    return sb;
  }

  TraceReader reader() {
    return reader;
  }

  /** Stats and links from retention's rollups, or null when {@link Builder#rollups} was not set. */
  StatsService stats() {
    return stats;
  }

  Duration defaultLookback() {
    return defaultLookback;
  }

  Duration uiDefaultLookback() {
    return uiDefaultLookback;
  }

  String uiEnvironment() {
    return uiEnvironment;
  }

  int dependencyTraceLimit() {
    return dependencyTraceLimit;
  }

  Clock clock() {
    return clock;
  }

  /** Shared by every route: bounds requests queued or running on the executor. */
  Semaphore readPermits() {
    return readPermits;
  }

  int maxServicesPerSearch() {
    return maxServicesPerSearch;
  }

  /** Null means the server's blocking task executor. */
  Executor executor() {
    return executor;
  }

  /** Settings; {@link #build()} validates them and names the bad one. */
  public static final class Builder {
    private final TraceReader reader;
    private Duration defaultLookback = Duration.ofDays(1);
    private Duration uiDefaultLookback = Duration.ofMinutes(15);
    private String uiEnvironment = "";
    private int dependencyTraceLimit = 1000;
    private Clock clock = Clock.systemUTC();
    private Executor executor;
    private boolean ui = true;
    private int maxConcurrentReads = 64;
    private int maxServicesPerSearch = 100;
    private RollupStore rollups;

    private Builder(TraceReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader == null");
    }

    /** Zipkin's {@code lookback} when a search gives none. Default 1 day, as Zipkin's server. */
    public Builder defaultLookback(Duration lookback) {
      this.defaultLookback = Objects.requireNonNull(lookback, "defaultLookback == null");
      return this;
    }

    /** The lookback Zipkin's UI preselects ({@code config.json}). Default 15 minutes. */
    public Builder uiDefaultLookback(Duration lookback) {
      this.uiDefaultLookback = Objects.requireNonNull(lookback, "uiDefaultLookback == null");
      return this;
    }

    /** The environment label Zipkin's UI shows. Default empty. */
    public Builder uiEnvironment(String environment) {
      this.uiEnvironment = environment == null ? "" : environment;
      return this;
    }

    /**
     * At most this many traces are read to compute {@code /dependencies} from raw spans. Default
     * 1000. The response headers {@link #LINKED_TRACES_HEADER} and {@link #LINKS_COMPLETE_HEADER}
     * tell when the bound was hit.
     */
    public Builder dependencyTraceLimit(int limit) {
      this.dependencyTraceLimit = limit;
      return this;
    }

    /** The clock for Zipkin's {@code endTs} default (now). Default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Where blocking storage reads run. Default: the server's blocking task executor. Pass a
     * bounded one to cap concurrent reads.
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /**
     * At most this many query requests are queued or running at once; more answer 503 with
     * {@code Retry-After: 1}. Default 64.
     */
    public Builder maxConcurrentReads(int max) {
      this.maxConcurrentReads = max;
      return this;
    }

    /**
     * A Zipkin search by span name, remote service, tags or duration without {@code serviceName}
     * runs one storage search per service; above this many services it answers 400 asking for
     * {@code serviceName}. Default 100.
     */
    public Builder maxServicesPerSearch(int max) {
      this.maxServicesPerSearch = max;
      return this;
    }

    /** Serve Zipkin's UI under {@code /zipkin/}. Default true. */
    public Builder ui(boolean ui) {
      this.ui = ui;
      return this;
    }

    /**
     * Serves {@code /api/v2/dependencies} from retention's dependency links instead of linking raw
     * traces, and adds the native stats endpoints ({@code /api/native/stats/services/{service}},
     * {@code /api/native/stats/dependencies}; {@code /api/native/dependencies} keeps linking raw
     * traces). Ranges are widened to whole hours. A store without rollups
     * falls back to raw linking for Zipkin and answers 501 on the native stats endpoints.
     */
    public Builder rollups(RollupStore rollups) {
      this.rollups = rollups;
      return this;
    }

    public QueryService build() {
      if (defaultLookback.isNegative() || defaultLookback.isZero()) {
        throw new IllegalArgumentException("defaultLookback must be positive: " + defaultLookback);
      }
      if (uiDefaultLookback.isNegative() || uiDefaultLookback.isZero()) {
        throw new IllegalArgumentException("uiDefaultLookback must be positive: " + uiDefaultLookback);
      }
      if (dependencyTraceLimit < 1) {
        throw new IllegalArgumentException("dependencyTraceLimit must be >= 1: " + dependencyTraceLimit);
      }
      if (maxServicesPerSearch < 1) {
        throw new IllegalArgumentException("maxServicesPerSearch must be >= 1: " + maxServicesPerSearch);
      }
      if (maxConcurrentReads < 1) {
        throw new IllegalArgumentException("maxConcurrentReads must be >= 1: " + maxConcurrentReads);
      }
      return new QueryService(this);
    }
  }
}
