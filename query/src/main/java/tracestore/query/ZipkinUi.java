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
import com.linecorp.armeria.server.file.FileService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves Zipkin's UI from the {@code io.zipkin:zipkin-lens} jar, whose assets sit under {@code
 * zipkin-lens/} with an {@code index.html} whose {@code <base href="/zipkin/">} makes it call
 * {@code /zipkin/config.json} and {@code /zipkin/api/v2/*}. Paths under {@code /zipkin/} that are
 * not files (the UI's own routes, such as {@code /zipkin/traces/ID}) get {@code index.html}.
 */
final class ZipkinUi {
  static final String ROOT = "zipkin-lens";

  private final byte[] indexHtml;
  private final byte[] configJson;

  ZipkinUi(QueryService config) {
    indexHtml = read(ROOT + "/index.html");
    configJson =
        ZipkinJsonWriter.write(
            g -> {
              g.writeStartObject();
              g.writeStringField("environment", config.uiEnvironment());
              g.writeNumberField("queryLimit", 10);
              g.writeNumberField("defaultLookback", config.uiDefaultLookback().toMillis());
              g.writeBooleanField("searchEnabled", true);
              g.writeObjectFieldStart("dependency");
              g.writeBooleanField("enabled", true);
              g.writeNumberField("lowErrorRate", 0.5);
              g.writeNumberField("highErrorRate", 0.75);
              g.writeEndObject();
              g.writeEndObject();
            });
  }

  void registerOn(ServerBuilder sb) {
    Handlers.get(sb, "/zipkin/config.json", (ctx, req) -> Handlers.json(configJson));
    Handlers.get(sb, "/zipkin", (ctx, req) -> HttpResponse.ofRedirect("/zipkin/"));
    HttpService index =
        (ctx, req) -> {
          if (ctx.path().startsWith("/zipkin/api/")) {
            return Handlers.text(HttpStatus.NOT_FOUND, "no such API endpoint: " + ctx.path());
          }
          return HttpResponse.of(
              ResponseHeaders.builder(HttpStatus.OK)
                  .contentType(MediaType.HTML_UTF_8)
                  .add(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                  .build(),
              HttpData.wrap(indexHtml));
        };
    FileService files =
        FileService.builder(ZipkinUi.class.getClassLoader(), ROOT)
            .cacheControl("max-age=3600")
            .build();
    sb.route()
        .pathPrefix("/zipkin/")
        .methods(HttpMethod.GET, HttpMethod.HEAD)
        .build(files.orElse(index));
  }

  private static byte[] read(String resource) {
    try (InputStream in = ZipkinUi.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the classpath: add io.zipkin:zipkin-lens, or disable the UI");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
