package tracestore.storage.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.TraceId;

/**
 * PostgreSQL's tag index layout: the tag entries of a batch grouped into one row per (trace,
 * service, start), each tag a 64-bit hash of {@code service=key=value} in a {@code bigint[]} under a
 * GIN index. A row's start is its entries' start, so a search computes exactly the per-entry
 * earliest start that one row per tag would give.
 *
 * <p>A hash, not the text: the text made the heap rows (which repeat every element) and the GIN keys
 * large, and tag entries are most of the index volume (BENCHMARKS.md). Two different tags with the
 * same hash would make a search return a trace that has only one of them; with XXH64 that is as
 * unlikely as two chunks of one trace sharing a chunk id, which the design already accepts.
 */
final class TagRows {
  private TagRows() {}

  /** One row: the entries of one trace and service that share a start. */
  record Row(long startEpochNanos, TraceId traceId, List<Long> hashes) {}

  private static final XXHash64 XXH64 = XXHashFactory.fastestInstance().hash64();
  static final long SEED = 0x7467L;

  static List<Row> group(List<TagIndexEntry> entries) {
    Map<List<Object>, Row> rows = new LinkedHashMap<>();
    for (TagIndexEntry e : entries) {
      rows.computeIfAbsent(List.of(e.traceId(), e.service(), e.startEpochNanos()),
              k -> new Row(e.startEpochNanos(), e.traceId(), new ArrayList<>()))
          .hashes().add(hash(e.service(), e.key(), e.value()));
    }
    return new ArrayList<>(rows.values());
  }

  static final long OPERATION_SEED = 0x6f70L;

  /** The stored hash of one operation of one service (operation_index.op_hash). */
  static long operationHash(String service, String operation) {
    StringBuilder b = new StringBuilder(service.length() + operation.length() + 1);
    byte[] utf8 = escapeName(b, service).append('=').append(operation).toString()
        .getBytes(StandardCharsets.UTF_8);
    return XXH64.hash(utf8, 0, utf8.length, OPERATION_SEED);
  }

  /** The stored hash of one tag of one service. */
  static long hash(String service, String key, String value) {
    byte[] utf8 = element(service, key, value).getBytes(StandardCharsets.UTF_8);
    return XXH64.hash(utf8, 0, utf8.length, SEED);
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
