package tracestore.server;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.ingest.IngestService;
import tracestore.storage.Storage;

/**
 * A running server, made by {@link Wiring#start}. {@link #close()} is the graceful shutdown, run
 * from the JVM's shutdown hook on SIGTERM:
 *
 * <ol>
 *   <li>stop accepting: ingest refuses new spans (503 with {@code Retry-After}), the HTTP server
 *       stops, and in-flight requests are answered, each only once its spans are durable, for at
 *       most {@link ServerConfig#shutdownTimeout()};
 *   <li>drain the ingest queue: whatever was accepted is written;
 *   <li>close storage, which lets its in-flight writes finish;
 *   <li>done.
 * </ol>
 *
 * Each step is logged. Thread-safe; {@code close()} is idempotent and later callers wait for the
 * first one.
 */
public final class TracestoreServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TracestoreServer.class);

  private final ServerConfig config;
  private final Storage storage;
  private final IngestService ingest; // null without the ingest role
  private final Metrics metrics;
  private final Server server;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  TracestoreServer(ServerConfig config, Storage storage, IngestService ingest, Metrics metrics, ServerBuilder sb) {
    this.config = config;
    this.storage = storage;
    this.ingest = ingest;
    this.metrics = metrics;
    sb.service("/health", new HealthService(storage, config.storage(), config.roles(), stopping).service());
    sb.service("/metrics", metrics.service());
    // While stopping, every new request is refused at once (503, Retry-After) and its connection is
    // closed after the answer (HTTP/1 "Connection: close", HTTP/2 GOAWAY). Armeria keeps its ports
    // open during the graceful period, which only ends once no response has been pending for the
    // quiet period; refusing cheaply lets in-flight requests finish and that moment come.
    sb.decorator((delegate, ctx, req) -> {
      if (!stopping.get()) return delegate.serve(ctx, req);
      ctx.initiateConnectionShutdown();
      return HttpResponse.of(
          ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
              .contentType(MediaType.PLAIN_TEXT_UTF_8)
              .add(HttpHeaderNames.RETRY_AFTER, "1")
              .build(),
          HttpData.ofUtf8("tracestore is shutting down; retry against another instance or later"));
    });
    this.server = sb.build();
  }

  void start() {
    server.start().join();
    for (ServerPort p : server.activePorts().values()) {
      LOG.info("listening on {} ({})", p.localAddress(), describe(p.localAddress().getPort()));
    }
    LOG.info("tracestore is up: roles {}, storage {}", config.roles(), config.storage().settingValue());
  }

  private String describe(int port) {
    List<String> what = new ArrayList<>();
    if (config.runs(Role.INGEST)) {
      if (port == config.otlpGrpcPort()) what.add("OTLP/gRPC");
      if (port == config.otlpHttpPort()) what.add("OTLP/HTTP");
      if (port == config.zipkinPort()) what.add("Zipkin receiver");
    }
    if (port == config.zipkinPort()) {
      if (config.runs(Role.QUERY)) what.add("query API, UI at /zipkin/");
      what.add("/health, /metrics");
    }
    return what.isEmpty() ? "every route" : String.join(", ", what);
  }

  public ServerConfig config() {
    return config;
  }

  /** The bound addresses, once started. */
  public List<InetSocketAddress> localAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (ServerPort p : server.activePorts().values()) out.add(p.localAddress());
    return out;
  }

  /** Completes when {@link #close()} has finished. */
  public CompletableFuture<Void> closeFuture() {
    return closed.copy();
  }

  /** The graceful shutdown; see the class doc. */
  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      closed.join();
      return;
    }
    try {
      CompletionStage<Void> drained = null;
      if (ingest != null) {
        // Refuse new spans at once (503 + Retry-After); clients on kept-alive connections would
        // otherwise keep the server's quiet period from ever starting. Accepted spans still drain.
        drained = ingest.closeAsync();
      }
      LOG.info("shutdown 1/4: refusing new requests; answering in-flight ones (up to {} ms)",
          config.shutdownTimeout().toMillis());
      server.stop().join();
      if (ingest != null) {
        LOG.info("shutdown 2/4: draining the ingest queue ({} bytes pending)", ingest.pendingBytes());
        try {
          drained.toCompletableFuture().get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          LOG.warn("shutdown 2/4: ingest drain did not complete cleanly: {}", e.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ingest.close();
        LOG.info("shutdown 2/4: ingest queue drained ({} bytes pending)", ingest.pendingBytes());
      } else {
        LOG.info("shutdown 2/4: no ingest role, nothing to drain");
      }
      LOG.info("shutdown 3/4: flushing and closing storage");
      storage.close();
      metrics.close();
      LOG.info("shutdown 4/4: stopped");
    } catch (RuntimeException e) {
      LOG.error("shutdown failed", e);
      throw e;
    } finally {
      closed.complete(null);
    }
  }
}
