package tracestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.TagValue;

class IndexPolicyTest {
  @Test
  void defaultsIndexValuesOfEveryTypeForTheAllowListedKeysOnly() {
    IndexPolicy p = IndexPolicy.defaults();
    assertThat(p.isIndexableKey("http.method")).isTrue();
    assertThat(p.isIndexableKey("user.id")).isTrue();
    assertThat(p.isIndexableKey("http.url")).isFalse();
    assertThat(p.isIndexableKey("span.id")).isFalse();
    for (TagValue.Type t : TagValue.Type.values()) assertThat(p.isIndexableType(t)).isTrue();
    assertThat(p.covers("http.method")).isTrue();
    assertThat(p.covers("http.url")).isFalse();
  }

  @Test
  void everyKeyIndexesAnyKeyButIdLikeAndUnstorableOnes() {
    IndexPolicy p = IndexPolicy.everyKey();
    assertThat(p.allowedKeys()).isEmpty();
    assertThat(p.isIndexableKey("http.url")).isTrue();
    assertThat(p.isIndexableKey("my.custom.key")).isTrue();
    assertThat(p.isIndexableKey("span.id")).isFalse();
    assertThat(p.isIndexableKey("k".repeat(IndexPolicy.DEFAULT_MAX_VALUE_LENGTH + 1))).isFalse();
    assertThat(p.isIndexableKey("a\0b")).isFalse();
    assertThat(p.covers("span.id")).isFalse();
  }

  @Test
  void allowListWinsOnlyWhereTheDenyListAgrees() {
    IndexPolicy p = IndexPolicy.newBuilder().allowedKeys(List.of("a", "span.id")).build();
    assertThat(p.isIndexableKey("a")).isTrue();
    assertThat(p.isIndexableKey("b")).isFalse();
    assertThat(p.isIndexableKey("span.id")).isFalse();
  }

  @Test
  void toBuilderRoundTrips() {
    IndexPolicy p = IndexPolicy.newBuilder().allowedKeys(List.of("a")).denyKey("x").maxKeys(9).build();
    assertThat(p.toBuilder().build()).isEqualTo(p);
  }

  @Test
  void buildNamesTheBadSetting() {
    assertThatThrownBy(() -> IndexPolicy.newBuilder().maxValueLength(1).build()).hasMessageContaining("maxValueLength");
    assertThatThrownBy(() -> IndexPolicy.newBuilder().maxValuesPerKey(0).build()).hasMessageContaining("maxValuesPerKey");
    assertThatThrownBy(() -> IndexPolicy.newBuilder().maxKeys(0).build()).hasMessageContaining("maxKeys");
    assertThatThrownBy(() -> IndexPolicy.newBuilder().allowedKeys(List.of(""))).hasMessageContaining("allowedKeys");
  }
}
