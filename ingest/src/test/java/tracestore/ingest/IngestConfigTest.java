package tracestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IngestConfigTest {
  @Test
  void defaultsAreTheDocumentedPorts() {
    IngestConfig c = IngestConfig.defaults();
    assertThat(c.otlpGrpcPort()).isEqualTo(4317);
    assertThat(c.otlpHttpPort()).isEqualTo(4318);
    assertThat(c.zipkinPort()).isEqualTo(9411);
    assertThat(c.bindAddress()).isEmpty();
    assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
  }

  @Test
  void validationNamesTheSetting() {
    assertThatThrownBy(() -> IngestConfig.newBuilder().zipkinPort(70000).build())
        .hasMessage("zipkinPort must be -1 (off), 0 (ephemeral) or 1..65535, got 70000");
    assertThatThrownBy(() -> IngestConfig.newBuilder().maxBodyBytes(0).build())
        .hasMessage("maxBodyBytes must be in 1..2147483647, got 0");
    assertThatThrownBy(() -> IngestConfig.newBuilder().maxBodyBytes(100).maxInflatedBytes(50).build())
        .hasMessage("maxInflatedBytes must be in maxBodyBytes (100)..2147483647, got 50");
    assertThatThrownBy(() -> new SpanLimits(10, 0, 1, 1)).hasMessage("maxTagsPerSpan must be > 0, got 0");
  }
}
