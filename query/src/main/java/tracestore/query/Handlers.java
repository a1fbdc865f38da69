package tracestore.query;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.encoding.EncodingService;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.storage.OverCapacityException;
import tracestore.storage.StorageException;

/**
 * Adapts a blocking handler to an Armeria {@link HttpService}: it runs on a blocking executor
 * (storage reads block, the event loop must not), and maps failures to statuses in one place.
 */
final class Handlers {
  private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

  /** A blocking request handler; it may throw the exceptions {@link #errorResponse} maps. */
  @FunctionalInterface
  interface Handler {
    HttpResponse handle(ServiceRequestContext ctx, Params params);
  }

  private Handlers() {}

  /**
   * Runs {@code handler} on {@code executor}, or on Armeria's blocking task executor when null.
   * At most {@code permits}' worth of requests are queued or running at once; beyond that the
   * answer is 503 with {@code Retry-After}, so the executor's queue stays bounded. Responses are
   * compressed when the client accepts it.
   */
  static HttpService blocking(Handler handler, Executor executor, Semaphore permits) {
    HttpService service = (ctx, req) -> {
      if (!permits.tryAcquire()) return busy();
      try {
        return HttpResponse.of(
            () -> {
              try {
                return handler.handle(ctx, new Params(ctx.queryParams()));
              } catch (RuntimeException e) {
                return errorResponse(ctx, e);
              } finally {
                permits.release();
              }
            },
            executor != null ? executor : ctx.blockingTaskExecutor());
      } catch (RejectedExecutionException e) {
        permits.release();
        return busy();
      }
    };
    // gzip/deflate/brotli when the client accepts it: a 1,000-span trace is ~270 KB of JSON.
    return service.decorate(EncodingService.newDecorator());
  }

  private static HttpResponse busy() {
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
            .contentType(MediaType.PLAIN_TEXT_UTF_8)
            .add(HttpHeaderNames.RETRY_AFTER, "1")
            .build(),
        HttpData.ofUtf8("too many concurrent queries, retry later"));
  }

  /**
   * Binds {@code service} to GET and HEAD of {@code path} only, so other methods on the same path
   * (ingest's {@code POST /api/v2/spans}) stay free for other services.
   */
  static void get(ServerBuilder sb, String path, HttpService service) {
    sb.route().path(path).methods(HttpMethod.GET, HttpMethod.HEAD).build(service);
  }

  static HttpResponse errorResponse(ServiceRequestContext ctx, RuntimeException e) {
    if (e instanceof NotFoundException) return text(HttpStatus.NOT_FOUND, e.getMessage());
    if (e instanceof IllegalArgumentException) return text(HttpStatus.BAD_REQUEST, e.getMessage());
    if (e instanceof OverCapacityException) {
      return HttpResponse.of(
          ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
              .contentType(MediaType.PLAIN_TEXT_UTF_8)
              .add(HttpHeaderNames.RETRY_AFTER, "1")
              .build(),
          HttpData.ofUtf8("storage is over capacity, retry later: " + e.getMessage()));
    }
    if (e instanceof StorageException) {
      LOG.warn("storage failed on {}", ctx.path(), e);
      return text(HttpStatus.SERVICE_UNAVAILABLE, "storage failed: " + e.getMessage());
    }
    LOG.error("query failed on {}", ctx.path(), e);
    return text(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
  }

  static HttpResponse text(HttpStatus status, String message) {
    return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message == null ? "" : message);
  }

  static HttpResponse json(byte[] body) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body);
  }
}
