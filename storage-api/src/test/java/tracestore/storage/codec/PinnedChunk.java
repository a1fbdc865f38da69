package tracestore.storage.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * One line of a pinned-chunk fixture ({@code /codec/v*-chunks.txt}): "seed spanCount base64", the
 * bytes an earlier encoder wrote for {@link RandomSpans}' trace of that seed and size. Lines starting
 * with '#' are comments.
 */
record PinnedChunk(TraceId traceId, List<Span> spans, byte[] payload) {
  /** The fixture's non-comment lines. */
  static List<String> lines(String resource) {
    try (InputStream in = PinnedChunk.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("no fixture " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Regenerates the spans of one fixture line and decodes its pinned bytes. */
  static PinnedChunk parse(String line) {
    String[] f = line.split(" ");
    RandomSpans random = new RandomSpans(Long.parseLong(f[0]));
    TraceId traceId = random.traceId();
    List<Span> spans = random.trace(traceId, Integer.parseInt(f[1]));
    return new PinnedChunk(traceId, spans, Base64.getDecoder().decode(f[2]));
  }
}
