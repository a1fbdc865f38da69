package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.SECOND;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracestore.storage.IndexPolicy;
import tracestore.storage.SearchCursor;
import tracestore.storage.SearchRequest;
import tracestore.storage.TraceHit;
import tracestore.storage.WriteBatches;
import tracestore.storage.contract.TestObjects;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/**
 * Tag keys and values are bound parameters, never SQL text: spans tagged with injection strings,
 * LIKE wildcards, quotes, backslashes and unicode are found exactly, and nothing else is. Malformed
 * search input is an {@link IllegalArgumentException}, never an SQL error.
 */
class JdbcInputSafetyTest {
  static final List<String> NASTY = List.of(
      "' OR 1=1 --", "'; DROP TABLE chunks; --", "\"; DROP TABLE tag_index; --", "%", "_", "a%",
      "%a", "a_c", "abc", "\\", "\\\\", "\\'", "back\\slash", "$1", "?", ":name", "{}",
      "tab\there", "line\nbreak", "ünïcödé ☕ 服务 🚀", "\u0000nul", "\uffff", "", " ", "NULL",
      "null", "' UNION SELECT trace_id, 0 FROM chunks --");

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Cases {
    JdbcStorage storage;
    final Map<String, TraceId> traceByValue = new LinkedHashMap<>();
    final Map<String, TraceId> traceByKey = new LinkedHashMap<>();
    final String service = "inject-svc" + TestObjects.testSuffix();
    final long start = TestObjects.newBaseTime();

    abstract JdbcStorage open();

    @BeforeAll
    void load() throws Exception {
      storage = open();
      List<Span> spans = new ArrayList<>();
      int i = 0;
      for (String v : NASTY) {
        TraceId id = TestObjects.newTraceId();
        traceByValue.put(v, id);
        spans.add(span(id, start + (i++) * SECOND).addTag("k", v).build());
        TraceId byKey = TestObjects.newTraceId();
        if (!v.isEmpty() && v.indexOf('\0') < 0) { // the index policy never indexes NUL keys
          traceByKey.put(v, byKey);
          spans.add(span(byKey, start + (i++) * SECOND).addTag(v, "v").build());
        }
      }
      storage.writer().write(WriteBatches.create(IndexPolicy.everyKey()).toBatch(spans)).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void close() {
      storage.close();
    }

    Span.Builder span(TraceId id, long t) {
      return Span.newBuilder().traceId(id).spanId(TestObjects.newSpanId()).name("op")
          .service(service).startEpochNanos(t).durationNanos(MILLI);
    }

    /** Searches as query code does: the value as the index policy stores it (NUL -> U+FFFD). */
    List<TraceId> search(String key, String value) {
      SearchRequest r = SearchRequest.newBuilder().timeRange(start, start + 3_600 * SECOND)
          .service(service).tag(key, IndexPolicy.defaults().indexedValue(value)).limit(1000).build();
      return storage.reader().search(r).hits().stream().map(TraceHit::traceId).toList();
    }

    @Test
    void injectionValuesFindExactlyTheirTrace() {
      for (Map.Entry<String, TraceId> e : traceByValue.entrySet()) {
        assertThat(search("k", e.getKey())).as("value %s", e.getKey()).containsExactly(e.getValue());
      }
    }

    @Test
    void injectionKeysFindExactlyTheirTrace() {
      for (Map.Entry<String, TraceId> e : traceByKey.entrySet()) {
        assertThat(search(e.getKey(), "v")).as("key %s", e.getKey()).containsExactly(e.getValue());
      }
    }

    @Test
    void valuesThatMatchNothingFindNothing() {
      for (String v : List.of("' OR '1'='1", "%%", "a%c", "ab", "\\%", "1=1")) {
        assertThat(search("k", v)).as("value %s", v).isEmpty();
      }
    }

    @Test
    void tablesSurvivedAndNamesRoundTrip() {
      assertThat(storage.reader().tagValues("k")).containsExactlyInAnyOrderElementsOf(
          NASTY.stream().map(IndexPolicy.defaults()::indexedValue).toList());
      assertThat(storage.reader().getTrace(traceByValue.get("'; DROP TABLE chunks; --"))).hasSize(1);
    }

    @Test
    void malformedInputIsAnIllegalArgumentException() {
      var reader = storage.reader();
      assertThatThrownBy(() -> reader.getTrace(null)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> reader.getTrace(new TraceId(0, 0)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TraceId.parse("' OR 1=1 --")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> SearchRequest.newBuilder().timeRange(0, 10).limit(-1).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
      assertThatThrownBy(() -> SearchRequest.newBuilder().timeRange(10, 0).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reversed");
      for (String cursor : List.of("' OR 1=1 --", "garbage", "x".repeat(39),
          new SearchCursor(5, new TraceId(1, 2)).encode().substring(1) + "A")) {
        SearchRequest r = SearchRequest.newBuilder().timeRange(start, start + SECOND)
            .cursor(cursor).build();
        assertThatThrownBy(() -> reader.search(r)).as(cursor)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
      }
      assertThatThrownBy(() -> storage.writer().write(null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Postgres extends Cases {
    @Override
    JdbcStorage open() {
      return JdbcTestStorages.freshPostgres(JdbcInputSafetyTest.class);
    }
  }

  @Nested
  class Sqlite extends Cases {
    @Override
    JdbcStorage open() {
      return JdbcTestStorages.freshSqlite(JdbcInputSafetyTest.class);
    }
  }
}
