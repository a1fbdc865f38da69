package tracestore.ingest.pipeline;

import java.util.List;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanLink;
import tracestore.storage.model.SpanLog;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TagValue;

/**
 * A cheap, deterministic estimate of the heap a decoded span holds, in bytes: what the queue and
 * batch byte limits count. Strings count two bytes per character; objects a fixed overhead.
 */
public final class SpanSize {
  private static final int SPAN_OVERHEAD = 160;
  private static final int TAG_OVERHEAD = 48;
  private static final int ENTRY_OVERHEAD = 48;

  private SpanSize() {}

  public static long estimate(Span s) {
    long n = SPAN_OVERHEAD;
    n += chars(s.name()) + chars(s.service()) + chars(s.remoteService()) + chars(s.statusMessage());
    n += chars(s.scopeName()) + chars(s.scopeVersion());
    n += tags(s.tags()) + tags(s.resource());
    for (SpanLog l : s.logs()) n += ENTRY_OVERHEAD + chars(l.name()) + tags(l.fields());
    for (SpanLink l : s.links()) n += ENTRY_OVERHEAD + tags(l.tags());
    return n;
  }

  /** The sum of {@link #estimate} over the spans. */
  public static long estimate(List<Span> spans) {
    long n = 0;
    for (int i = 0, size = spans.size(); i < size; i++) n += estimate(spans.get(i));
    return n;
  }

  private static long tags(List<Tag> tags) {
    long n = 0;
    for (int i = 0, size = tags.size(); i < size; i++) {
      Tag t = tags.get(i);
      n += TAG_OVERHEAD + chars(t.key()) + value(t.value());
    }
    return n;
  }

  private static long value(TagValue v) {
    if (v instanceof TagValue.Str s) return chars(s.value());
    if (v instanceof TagValue.Arr a) {
      long n = 16;
      for (TagValue e : a.values()) n += 16 + value(e);
      return n;
    }
    return 16;
  }

  private static long chars(String s) {
    return 2L * s.length();
  }
}
