package tracestore.testnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CassandraExtension.class)
class CassandraExtensionTest {
  static TestKeyspace outer;

  @BeforeAll
  static void remember(TestKeyspace keyspace) {
    outer = keyspace;
  }

  @Test
  void givesAContactPointThatAnswersCql(TestKeyspace keyspace) {
    assertThat(CqlPing.answers(keyspace.contactPoint().host(), keyspace.contactPoint().port())).isTrue();
    assertThat(keyspace.contactPoint().localDatacenter()).isEqualTo(ContactPoint.DEFAULT_DATACENTER);
  }

  @Test
  void keyspaceNameIsValidCqlAndNamesTheClass(TestKeyspace keyspace) {
    assertThat(keyspace.keyspace()).matches("t_cassandraextensiontest_[0-9a-f]{1,6}").hasSizeLessThanOrEqualTo(48);
    assertThat(keyspace).isSameAs(outer);
  }

  @Test
  void aSecondStartReusesTheRunningForkedNode(TestKeyspace keyspace) {
    if (!keyspace.origin().equals("forked")) return; // only the forked node is ours to check
    NodeLauncher launcher = NodeLauncher.shared();
    assertThat(launcher.isAnswering()).isTrue();
    long started = System.nanoTime();
    ContactPoint again = launcher.startOrReuse(Duration.ofSeconds(30), NodeLauncher.defaultOwnerPid());
    assertThat(again).isEqualTo(keyspace.contactPoint());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void keyspaceNamesAreShortAndSanitised() {
    class AVeryLongTestClassNameThatGoesOnAndOnAndOnForeverAndEver$WithDollar {}
    String name =
        CassandraExtension.keyspaceName(AVeryLongTestClassNameThatGoesOnAndOnAndOnForeverAndEver$WithDollar.class);
    assertThat(name).matches("t_[a-z0-9]{32}_[0-9a-f]{1,6}").hasSizeLessThanOrEqualTo(48);
  }

  @Test
  void parsesHostPort() {
    assertThat(ContactPoint.parse("10.0.0.7:19042")).isEqualTo(new ContactPoint("10.0.0.7", 19042, "datacenter1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContactPoint.parse("nohost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port");
  }

  @Nested
  class NestedClasses {
    @Test
    void shareTheOuterKeyspace(TestKeyspace keyspace) {
      assertThat(keyspace).isSameAs(outer);
    }
  }
}
