package tracestore.storage.model;

import java.util.List;
import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.junit.jupiter.api.Test;

/** equals/hashCode over every field, checked by EqualsVerifier. */
class EqualsContractTest {

  @Test
  void span() {
    EqualsVerifier.forClass(Span.class)
        // The builder guarantees non-null fields; equals relies on it.
        .suppress(Warning.NULL_FIELDS)
        .withPrefabValues(TagValue.class, TagValue.of("a"), TagValue.of(2L))
        .withPrefabValues(
            Tag.class, Tag.of("a", "1"), Tag.of("b", "2"))
        .withPrefabValues(
            SpanLog.class, SpanLog.of(1, "a"), new SpanLog(2, "b", List.of(Tag.of("k", "v"))))
        .withPrefabValues(
            SpanLink.class,
            new SpanLink(new TraceId(0, 1), 1, List.of()),
            new SpanLink(new TraceId(0, 2), 2, List.of()))
        .verify();
  }

  @Test
  void ids() {
    EqualsVerifier.forClass(TraceId.class).verify();
    EqualsVerifier.forClass(SpanId.class).verify();
  }

  @Test
  void values() {
    EqualsVerifier.forClass(Tag.class)
        .suppress(Warning.NULL_FIELDS)
        .withPrefabValues(TagValue.class, TagValue.of("a"), TagValue.of(2L))
        .verify();
    EqualsVerifier.forClass(SpanLog.class)
        .suppress(Warning.NULL_FIELDS)
        .withPrefabValues(Tag.class, Tag.of("a", "1"), Tag.of("b", "2"))
        .verify();
    EqualsVerifier.forClass(SpanLink.class)
        .suppress(Warning.NULL_FIELDS)
        .withPrefabValues(Tag.class, Tag.of("a", "1"), Tag.of("b", "2"))
        .verify();
    EqualsVerifier.forClass(TagValue.Str.class).suppress(Warning.NULL_FIELDS).verify();
    EqualsVerifier.forClass(TagValue.Int.class).verify();
    EqualsVerifier.forClass(TagValue.Dbl.class).verify();
    EqualsVerifier.forClass(TagValue.Bool.class).verify();
    EqualsVerifier.forClass(TagValue.Arr.class)
        .suppress(Warning.NULL_FIELDS)
        .withPrefabValues(TagValue.class, TagValue.of("a"), TagValue.of(2L))
        .verify();
  }
}
