package tracestore.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Varints through both reader paths: with ten bytes left (fast) and at the very end (checked). */
class VarintTest {
  private static final long[] LONGS = {
    0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35, 1L << 62, Long.MAX_VALUE, -1,
    Long.MIN_VALUE, -128
  };
  private static final int[] INTS = {0, 1, 127, 128, 16_383, 16_384, 1 << 21, 1 << 28, Integer.MAX_VALUE};

  @Test
  void longsRoundTripWithAndWithoutPadding() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2_000; i++) {
      long v = i < LONGS.length ? LONGS[i] : random.nextLong() >>> random.nextInt(64);
      for (int pad : new int[] {0, 12}) {
        BodyWriter w = new BodyWriter(16, 1 << 20);
        w.writeVarLong(v);
        w.writeZigZag(v);
        for (int p = 0; p < pad; p++) w.writeByte(0);
        BodyReader r = new BodyReader(w.array(), w.length());
        assertThat(r.readVarLong("v")).isEqualTo(v);
        assertThat(r.readZigZag("z")).isEqualTo(v);
        assertThat(r.remaining()).isEqualTo(pad);
      }
    }
  }

  @Test
  void intsRoundTripWithAndWithoutPadding() {
    for (int v : INTS) {
      for (int pad : new int[] {0, 12}) {
        BodyWriter w = new BodyWriter(16, 1 << 20);
        w.writeVarInt(v);
        for (int p = 0; p < pad; p++) w.writeByte(0);
        BodyReader r = new BodyReader(w.array(), w.length());
        assertThat(r.readVarInt("v")).isEqualTo(v);
        assertThat(r.remaining()).isEqualTo(pad);
      }
    }
  }

  @Test
  void overlongAndTruncatedVarintsFailAtTheirStart() {
    byte[] elevenBytes = new byte[20];
    for (int i = 0; i < 11; i++) elevenBytes[i] = (byte) 0x80;
    BodyReader r = new BodyReader(elevenBytes, elevenBytes.length);
    assertThatThrownBy(() -> r.readVarLong("x")).hasMessageContaining("longer than 10 bytes");
    assertThat(r.position()).isZero();

    byte[] tooBig = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x02, 0, 0};
    assertThatThrownBy(() -> new BodyReader(tooBig, tooBig.length).readVarLong("x"))
        .hasMessageContaining("exceeds 64 bits");
    byte[] intTooBig = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x08};
    assertThatThrownBy(() -> new BodyReader(intTooBig, intTooBig.length).readVarInt("x"))
        .hasMessageContaining("exceeds 31 bits");
    byte[] truncated = {(byte) 0x80, (byte) 0x80};
    assertThatThrownBy(() -> new BodyReader(truncated, truncated.length).readVarLong("x"))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("truncated varint");
  }
}
