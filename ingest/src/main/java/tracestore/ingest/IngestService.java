package tracestore.ingest;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tracestore.ingest.pipeline.IngestMetrics;
import tracestore.ingest.pipeline.IngestPipeline;
import tracestore.storage.SpanWriter;
import tracestore.storage.WriteBatches;

/**
 * The ingest role: the OTLP/gRPC, OTLP/HTTP and Zipkin v2 receivers in front of one write pipeline.
 *
 * <pre>{@code
 * IngestService ingest = IngestService.builder(storage.writer())
 *     .config(IngestConfig.defaults())
 *     .meterRegistry(registry)
 *     .build();                        // starts the pipeline threads
 * ServerBuilder sb = Server.builder();
 * ingest.registerOn(sb);               // opens 4317, 4318, 9411 and binds the routes
 * Server server = sb.build();
 * server.start().join();
 * ...
 * ingest.closeAsync().toCompletableFuture().get();  // new requests get 503; accepted ones are
 *                                                  // written and answered
 * server.stop().join();
 * ingest.close();                                  // stops the pipeline threads
 * }</pre>
 *
 * <p>Routes: {@code POST /v1/traces} (OTLP/HTTP), {@code POST /api/v2/spans} (Zipkin), and the gRPC
 * service {@code opentelemetry.proto.collector.trace.v1.TraceService}. Statuses and messages are
 * documented in {@code docs/ingest.md}. Thread-safe.
 */
public final class IngestService implements AutoCloseable {
  private final IngestConfig config;
  private final IngestMetrics metrics;
  private final IngestPipeline pipeline;
  private final ThreadPoolExecutor decoders;
  /** One per process, shared by every receiver, so a trace's spans count whichever way they come. */
  private final TraceBudget budget;

  private IngestService(Builder b) {
    this.config = b.config;
    this.metrics = new IngestMetrics(b.registry);
    WriteBatches batches = b.writeBatches;
    this.pipeline = IngestPipeline.start(b.writer, batches::toBatch, config.pipeline(), metrics);
    AtomicInteger n = new AtomicInteger();
    this.budget = new TraceBudget(config.spanLimits().maxSpansPerTrace(), TraceBudget.DEFAULT_MAX_TRACES);
    this.decoders =
        new ThreadPoolExecutor(
            config.decodeThreads(),
            config.decodeThreads(),
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING_DECODES),
            r -> {
              Thread t = new Thread(r, "tracestore-ingest-decode-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** HTTP bodies received and waiting for a decoder thread; beyond it, 503. */
  static final int MAX_PENDING_DECODES = 256;

  /** The decoder pool, for tests in this package that need to fill it. */
  ThreadPoolExecutor decoders() {
    return decoders;
  }

  /** @param writer where spans are stored (the backend's {@code Storage.writer()}) */
  public static Builder builder(SpanWriter writer) {
    return new Builder(writer);
  }

  public IngestConfig config() {
    return config;
  }

  /**
   * Opens the configured ports on the configured bind address ({@link IngestConfig}) and binds the
   * routes; see the class doc.
   */
  public ServerBuilder registerOn(ServerBuilder sb) {
    Set<Integer> ports = new LinkedHashSet<>();
    for (int p : new int[] {config.otlpGrpcPort(), config.otlpHttpPort(), config.zipkinPort()}) {
      if (p >= 0) ports.add(p);
    }
    for (int p : ports) {
      if (config.bindAddress().isEmpty()) sb.http(p);
      else sb.http(new java.net.InetSocketAddress(config.bindAddress(), p));
    }
    return registerRoutes(sb);
  }

  /**
   * Binds the routes only, for a caller that opens its own ports; every port of {@code sb} then
   * serves them.
   */
  public ServerBuilder registerRoutes(ServerBuilder sb) {
    long maxBody = config.maxBodyBytes();
    // Armeria's own request timeout (10 s by default) must not answer before the pipeline does.
    java.time.Duration timeout = config.pipeline().requestDeadline().plusSeconds(5);
    OtlpHttpReceiver otlp = new OtlpHttpReceiver(pipeline, metrics, config, decoders, budget);
    ZipkinHttpReceiver zipkin = new ZipkinHttpReceiver(pipeline, metrics, config, decoders, budget);
    sb.route()
        .post(OtlpHttpReceiver.PATH)
        .maxRequestLength(maxBody)
        .requestTimeout(timeout)
        .errorHandler(this::bodyTooLarge)
        .build(otlp);
    sb.route()
        .post(ZipkinHttpReceiver.PATH)
        .maxRequestLength(maxBody)
        .requestTimeout(timeout)
        .errorHandler(this::bodyTooLarge)
        .build(zipkin);
    GrpcService grpc =
        GrpcService.builder()
            .addService(new OtlpGrpcReceiver(pipeline, metrics, config, budget))
            .maxRequestMessageLength((int) config.maxInflatedBytes())
            .build();
    // A client's grpc-timeout still wins: Armeria applies it after this decorator runs.
    sb.service(
        grpc,
        delegate ->
            delegate.decorate(
                (d, ctx, req) -> {
                  ctx.setRequestTimeout(timeout);
                  return d.serve(ctx, req);
                }));
    return sb;
  }

  /**
   * Armeria refuses a body over {@code maxRequestLength} itself (early, from Content-Length, or
   * while streaming); this gives that 413 our message. Other errors keep Armeria's handling.
   */
  private HttpResponse bodyTooLarge(ServiceRequestContext ctx, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ContentTooLargeException) return HttpReceiver.text(tooLarge(t));
    }
    return null;
  }

  private Failure tooLarge(Throwable cause) {
    return Failure.of(
        new BadRequestException(
            BadRequestException.Reason.TOO_LARGE,
            "request body exceeds " + config.maxBodyBytes() + " bytes (maxBodyBytes)",
            cause));
  }

  /** Estimated bytes accepted and not yet written (what {@code maxQueueBytes} bounds). */
  public long pendingBytes() {
    return pipeline.pendingBytes();
  }

  /**
   * Stops accepting (new requests get 503 + Retry-After / UNAVAILABLE, so clients retry
   * elsewhere), writes everything accepted, and completes when every accepted request has its
   * answer. Call it before stopping the HTTP server, so those answers still reach the clients.
   */
  public CompletionStage<Void> closeAsync() {
    return pipeline.closeAsync();
  }

  /** {@link #closeAsync()}, waiting at most the request deadline, then stops the pipeline threads. */
  @Override
  public void close() {
    pipeline.close();
    decoders.shutdown();
  }

  /** Builder; {@link #build()} starts the pipeline. */
  public static final class Builder {
    private final SpanWriter writer;
    private WriteBatches writeBatches;
    private IngestConfig config = IngestConfig.defaults();
    private MeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private Builder(SpanWriter writer) {
      this.writer = Objects.requireNonNull(writer, "writer == null");
    }

    /**
     * Groups, encodes and indexes each batch; default {@code WriteBatches.create()} (the default
     * {@code IndexPolicy}, no string dictionary). Pass the process-wide instance when there is one:
     * it holds the tag index's cardinality guard and the dictionary trainer (the server passes
     * {@code WriteBatches.create(indexPolicy, dictionaryPolicy)}; the storage must then store the
     * batches' dictionaries, see {@code docs/spi.md}).
     */
    public Builder writeBatches(WriteBatches writeBatches) {
      this.writeBatches = Objects.requireNonNull(writeBatches, "writeBatches == null");
      return this;
    }

    public Builder config(IngestConfig config) {
      this.config = Objects.requireNonNull(config, "config == null");
      return this;
    }

    /** Where the {@code tracestore.ingest.*} meters go; default a private simple registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry == null");
      return this;
    }

    public IngestService build() {
      if (writeBatches == null) writeBatches = WriteBatches.create();
      return new IngestService(this);
    }
  }
}
