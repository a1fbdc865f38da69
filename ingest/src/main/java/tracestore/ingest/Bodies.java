package tracestore.ingest;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies: {@code Content-Encoding} identity or gzip, inflated with a hard cap so a
 * decompression bomb stops at {@code maxInflatedBytes} instead of filling the heap.
 */
final class Bodies {
  private Bodies() {}

  /** Rejects (415) an encoding we cannot read, before the body is read. */
  static void checkEncoding(RequestHeaders headers) {
    String enc = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    if (enc == null) return;
    String e = enc.trim().toLowerCase(Locale.ROOT);
    if (e.isEmpty() || e.equals("identity") || e.equals("gzip") || e.equals("x-gzip")) return;
    throw new BadRequestException(
        BadRequestException.Reason.UNSUPPORTED_MEDIA_TYPE,
        "unsupported Content-Encoding \"" + enc + "\"; use gzip or none");
  }

  /** The body as the decoders need it: inflated when gzip-encoded. */
  static byte[] decoded(RequestHeaders headers, byte[] body, long maxInflatedBytes) {
    String enc = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    if (enc == null) return body;
    String e = enc.trim().toLowerCase(Locale.ROOT);
    if (!e.equals("gzip") && !e.equals("x-gzip")) return body;
    return gunzip(body, maxInflatedBytes);
  }

  static byte[] gunzip(byte[] gz, long max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, Math.min(gz.length * 4, 1 << 20)));
    byte[] buf = new byte[16 * 1024];
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), buf.length)) {
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > max) {
          throw new BadRequestException(
              BadRequestException.Reason.TOO_LARGE,
              "gzip body inflates to more than " + max + " bytes (maxInflatedBytes)");
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new BadRequestException(
          BadRequestException.Reason.MALFORMED, "body is not valid gzip: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
