package tracestore.storage.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * PostgreSQL's tag index layout: the tag entries of a batch grouped into one row per (trace,
 * service, start), each tag an element {@code service=key=value} of a text array under a GIN index.
 * A row's start is its entries' start, so a search computes exactly the per-entry earliest start
 * that one row per tag would give.
 */
final class TagRows {
  private TagRows() {}

  /** One row: the entries of one trace and service that share a start. */
  record Row(long startEpochNanos, TraceId traceId, List<String> elements) {}

  static List<Row> group(List<TagIndexEntry> entries) {
    Map<List<Object>, Row> rows = new LinkedHashMap<>();
    for (TagIndexEntry e : entries) {
      rows.computeIfAbsent(List.of(e.traceId(), e.service(), e.startEpochNanos()),
              k -> new Row(e.startEpochNanos(), e.traceId(), new ArrayList<>()))
          .elements().add(element(e.service(), e.key(), e.value()));
    }
    return new ArrayList<>(rows.values());
  }

  /**
   * {@code service=key=value}, with backslash and '=' escaped by a backslash in the service and the
   * key, so different triples never give the same element. The value needs no escaping: it is
   * everything after the second unescaped '='.
   */
  static String element(String service, String key, String value) {
    StringBuilder b = new StringBuilder(service.length() + key.length() + value.length() + 2);
    escapeName(b, service).append('=');
    escapeName(b, key).append('=');
    return b.append(value).toString();
  }

  private static StringBuilder escapeName(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '=') b.append('\\');
      b.append(c);
    }
    return b;
  }
}
