package tracestore.storage.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static tracestore.storage.contract.TestObjects.MICRO;
import static tracestore.storage.contract.TestObjects.MILLI;
import static tracestore.storage.contract.TestObjects.newBaseTime;
import static tracestore.storage.contract.TestObjects.newSpanId;
import static tracestore.storage.contract.TestObjects.newTraceId;
import static tracestore.storage.contract.TestObjects.span;
import static tracestore.storage.contract.TestObjects.testSuffix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracestore.storage.Operation;
import tracestore.storage.TagIndexEntry;
import tracestore.storage.model.Span;
import tracestore.storage.model.SpanKind;
import tracestore.storage.model.Tag;
import tracestore.storage.model.TraceId;

/**
 * The names behind autocomplete: services, operations with their kind, remote services, tag keys
 * and values. Lists are sorted by {@link String#compareTo} (operations by name, then kind in enum
 * order) and hold each name once, however many batches mentioned it.
 */
public abstract class NamesContract extends StorageContract {
  private final String suffix = testSuffix();
  private final String web = "web" + suffix;
  private final String api = "api" + suffix;
  private final String unicode = "café-☕-服务" + suffix;
  private final String keyA = "a.key" + suffix;
  private final String keyB = "b.key" + suffix;
  private final String keyUnicode = "ключ" + suffix;

  @BeforeAll
  final void loadNames() {
    long t = newBaseTime();
    // Two batches repeat most names, so each must still be listed once.
    for (int batch = 0; batch < 2; batch++) {
      TraceId id = newTraceId();
      List<Span> spans = new ArrayList<>();
      long root = newSpanId();
      long at = t + batch * MILLI;
      spans.add(span(id, root, 0, web, "GET /", at, 9 * MILLI).addTag(Tag.of(keyA, "one")).build());
      spans.add(span(id, newSpanId(), root, web, "GET /", at + MICRO, MILLI).kind(SpanKind.CLIENT)
          .remoteService(api).addTag(Tag.of(keyA, "two")).build());
      spans.add(span(id, newSpanId(), root, web, "render", at + 2 * MICRO, MILLI).kind(SpanKind.INTERNAL)
          .addTag(Tag.of(keyB, 42L)).addTag(Tag.of(keyA, "")).build());
      spans.add(span(id, newSpanId(), root, web, "", at + 3 * MICRO, MILLI).kind(SpanKind.CLIENT)
          .remoteService("cache" + suffix).build());
      spans.add(span(id, newSpanId(), root, api, "GET /items", at + 4 * MICRO, MILLI)
          .addTag(Tag.of(keyB, batch == 0 ? 7L : 42L)).build());
      spans.add(span(id, newSpanId(), root, unicode, "получить 🚀", at + 5 * MICRO, MILLI)
          .addTag(Tag.of(keyUnicode, "值🚀")).addTag(Tag.of(keyUnicode, "Ωmega")).build());
      write(spans);
    }
  }

  @Test
  void services() {
    List<String> services = reader().services();
    assertThat(services).contains(web, api, unicode).doesNotHaveDuplicates();
    assertThat(services).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(services).doesNotContain("cache" + suffix); // only called, never reported spans
  }

  /** Sorted by name, then kind; spans without a name are not listed. */
  @Test
  void operationsWithTheirKind() {
    assertThat(reader().operations(web))
        .containsExactly(
            new Operation(web, "GET /", SpanKind.SERVER),
            new Operation(web, "GET /", SpanKind.CLIENT),
            new Operation(web, "render", SpanKind.INTERNAL));
    assertThat(reader().operations(api)).containsExactly(new Operation(api, "GET /items", SpanKind.SERVER));
    assertThat(reader().operations(unicode))
        .containsExactly(new Operation(unicode, "получить 🚀", SpanKind.SERVER));
  }

  @Test
  void remoteServices() {
    assertThat(reader().remoteServices(web)).containsExactly(api, "cache" + suffix);
    assertThat(reader().remoteServices(api)).isEmpty();
  }

  /** Every indexed key, the remote-service key included; {@code TagIndexEntry.REMOTE_SERVICE_KEY}. */
  @Test
  void tagKeys() {
    List<String> keys = reader().tagKeys();
    assertThat(keys).contains(keyA, keyB, keyUnicode, TagIndexEntry.REMOTE_SERVICE_KEY).doesNotHaveDuplicates();
    assertThat(keys).isSortedAccordingTo(Comparator.naturalOrder());
  }

  /** Values as text (longs too), the empty value included, each once, sorted. */
  @Test
  void tagValues() {
    assertThat(reader().tagValues(keyA)).containsExactly("", "one", "two");
    assertThat(reader().tagValues(keyB)).containsExactly("42", "7");
    assertThat(reader().tagValues(keyUnicode)).containsExactly("Ωmega", "值🚀");
  }

  @Test
  void unknownNamesAreEmptyLists() {
    assertThat(reader().operations("nobody" + suffix)).isEmpty();
    assertThat(reader().remoteServices("nobody" + suffix)).isEmpty();
    assertThat(reader().tagValues("no.key" + suffix)).isEmpty();
  }
}
