package tracestore.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.Chunk;
import tracestore.storage.model.TraceId;

class ChunkAnatomyTest {
  @Test
  void sectionsCoverTheWholeBodyAndTheirSharesThePayload() {
    RandomSpans random = new RandomSpans(77);
    TraceId traceId = random.traceId();
    Chunk chunk = new ChunkEncoder().encode(traceId, random.trace(traceId, 30));
    ChunkHeader header = ChunkDecoder.readHeader(chunk.payload());
    List<ChunkAnatomy.Section> sections = ChunkAnatomy.sections(chunk.payload());

    assertThat(sections).hasSize(15);
    assertThat(sections.get(0).name()).isEqualTo("header");
    assertThat(sections.get(2).name()).isEqualTo("string table: well-known and dictionary refs");
    assertThat(sections.get(3).name()).isEqualTo("string table: the chunk's own strings");
    int raw = sections.stream().mapToInt(ChunkAnatomy.Section::rawBytes).sum();
    assertThat(raw).isEqualTo(ChunkFormat.HEADER_LENGTH + header.uncompressedLength());
    int stored = sections.stream().mapToInt(ChunkAnatomy.Section::compressedBytes).sum();
    assertThat(stored).isEqualTo(chunk.payload().length);
    // Span ids are 8 random bytes each: no compressor shrinks them.
    assertThat(sections.get(5).rawBytes()).isEqualTo(30 * 8);
  }

  @Test
  void onlyReadsTheCurrentFormat() throws java.io.IOException {
    String line;
    try (var in = ChunkAnatomyTest.class.getResourceAsStream("/codec/v1-chunks.txt")) {
      line = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    }
    byte[] v1 = Base64.getDecoder().decode(line.split(" ")[2]);
    assertThatThrownBy(() -> ChunkAnatomy.sections(v1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 1");
  }
}
