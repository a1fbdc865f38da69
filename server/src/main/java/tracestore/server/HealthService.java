package tracestore.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracestore.storage.Storage;

/**
 * {@code GET /health}: 200 with {@code "status":"UP"} when {@link Storage#check()} passes, else 503
 * with {@code "status":"DOWN"} and the reason; also 503 while shutting down. The check runs on the
 * blocking executor, never on the event loop, and at most once a second ({@link CachedCheck}): a
 * flood of probes does not become a flood of database round trips.
 */
final class HealthService {
  private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);
  private static final JsonFactory JSON = new JsonFactory();

  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final CachedCheck storageCheck;
  private final StorageKind kind;
  private final Set<Role> roles;
  private final AtomicBoolean stopping;

  HealthService(Storage storage, StorageKind kind, Set<Role> roles, AtomicBoolean stopping) {
    this.storageCheck = new CachedCheck(() -> checkLogged(storage), MAX_AGE_NANOS, System::nanoTime);
    this.kind = kind;
    this.roles = roles;
    this.stopping = stopping;
  }

  HttpService service() {
    return (ctx, req) -> HttpResponse.of(this::check, ctx.blockingTaskExecutor());
  }

  private HttpResponse check() {
    String error = null;
    if (stopping.get()) {
      error = "shutting down";
    } else {
      error = storageCheck.run();
    }
    HttpStatus status = error == null ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
    return HttpResponse.of(status, MediaType.JSON_UTF_8, body(error));
  }

  private static void checkLogged(Storage storage) {
    try {
      storage.check();
    } catch (RuntimeException e) {
      LOG.warn("health check failed: {}", e.toString());
      throw e;
    }
  }

  private String body(String error) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", error == null ? "UP" : "DOWN");
      g.writeObjectFieldStart("storage");
      g.writeStringField("kind", kind.settingValue());
      g.writeStringField("status", error == null ? "UP" : "DOWN");
      if (error != null) g.writeStringField("error", error);
      g.writeEndObject();
      g.writeArrayFieldStart("roles");
      for (Role r : Role.values()) {
        if (roles.contains(r)) g.writeString(r.name().toLowerCase(java.util.Locale.ROOT));
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
