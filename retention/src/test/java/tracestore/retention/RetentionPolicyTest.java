package tracestore.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  @Test
  void defaultsAreSevenNinetyAndThirtyDaysWithTenMinutesGrace() {
    RetentionPolicy p = RetentionPolicy.defaults();
    assertThat(p.defaultDurations()).isEqualTo(new RetentionPolicy.Durations(
        Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(30)));
    assertThat(p.grace()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.forService("any")).isEqualTo(p.defaultDurations());
  }

  @Test
  void overridesApplyPerServiceAndTheLongestDrivesDeletion() {
    RetentionPolicy.Durations payments = new RetentionPolicy.Durations(
        Duration.ofDays(14), Duration.ofDays(365), Duration.ofDays(60));
    RetentionPolicy p = RetentionPolicy.newBuilder().override("payments", payments)
        .override("debug", new RetentionPolicy.Durations(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(2)))
        .build();
    assertThat(p.forService("payments")).isEqualTo(payments);
    assertThat(p.forService("web")).isEqualTo(p.defaultDurations());
    assertThat(p.longestRaw()).isEqualTo(Duration.ofDays(14));
    assertThat(p.longestRollups()).isEqualTo(Duration.ofDays(365));
    assertThat(p.longestExemplars()).isEqualTo(Duration.ofDays(60));
  }

  @Test
  void invalidSettingsAreRefusedByName() {
    assertThatThrownBy(() -> RetentionPolicy.newBuilder().raw(Duration.ZERO).build())
        .hasMessageContaining("raw retention must be positive");
    assertThatThrownBy(() -> RetentionPolicy.newBuilder().grace(Duration.ofMinutes(-1)))
        .hasMessageContaining("grace must be >= 0");
    assertThatThrownBy(() -> RetentionPolicy.newBuilder().raw(Duration.ofDays(40)).build())
        .hasMessageContaining("exemplars retention");
    assertThatThrownBy(() -> RetentionPolicy.newBuilder().override("", RetentionPolicy.defaults().defaultDurations()))
        .hasMessageContaining("override service is empty");
  }

  @Test
  void topTracesDoesNotDependOnOfferOrder() {
    long[][] offers = {{1, 50}, {2, 70}, {3, 70}, {1, 90}, {4, 10}, {2, 20}, {5, 60}};
    TopTraces forward = new TopTraces(3);
    TopTraces backward = new TopTraces(3);
    for (long[] o : offers) forward.offer(new tracestore.storage.model.TraceId(0, o[0]), o[1]);
    for (int i = offers.length - 1; i >= 0; i--) {
      backward.offer(new tracestore.storage.model.TraceId(0, offers[i][0]), offers[i][1]);
    }
    assertThat(forward.sorted()).isEqualTo(backward.sorted());
    assertThat(forward.sorted()).extracting(e -> e.traceId().low()).containsExactly(1L, 2L, 3L);
  }
}
