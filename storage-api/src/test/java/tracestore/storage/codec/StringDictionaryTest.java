package tracestore.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stored dictionary format: round trip, limits, and the corrupt-input corpus. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StringDictionaryTest {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  static final List<String> STRINGS = List.of(
      "http-nio-8080-exec-1", "http-nio-8080-exec-10", "http-nio-8080-exec-2",
      "SELECT p.id FROM products p WHERE p.id = $1", "product-catalog-5f7d9c-x2k4p",
      "a", "\u00e9t\u00e9", "\uD83D\uDE00 emoji", "0b4e8d1c-5a8f-4a63-9a61-6c1b2f3e4d5a");

  static StringDictionary dictionary() {
    return StringDictionary.of(STRINGS);
  }

  @Test
  void roundTripsEveryStringInOrder() {
    StringDictionary d = dictionary();
    StringDictionary back = StringDictionary.decode(d.id(), d.stored().payload());
    assertThat(back.size()).isEqualTo(STRINGS.size());
    for (int i = 0; i < STRINGS.size(); i++) {
      assertThat(back.get(i)).isEqualTo(STRINGS.get(i));
      assertThat(back.indexOf(STRINGS.get(i))).isEqualTo(i);
    }
    assertThat(back.indexOf("absent")).isEqualTo(-1);
    assertThat(back.id()).isEqualTo(d.id()).isNotZero();
    assertThat(d.stored().id()).isEqualTo(d.id());
    // Content-addressed: the same list gives the same id, another list another.
    assertThat(StringDictionary.of(STRINGS).id()).isEqualTo(d.id());
    assertThat(StringDictionary.of(STRINGS.subList(1, 4)).id()).isNotEqualTo(d.id());
  }

  @Test
  void frontCodingKeepsSharedPrefixesSmall() {
    List<String> threads = new ArrayList<>();
    for (int i = 1; i <= 200; i++) threads.add("http-nio-8080-exec-" + i);
    threads.sort(null);
    int raw = threads.stream().mapToInt(String::length).sum();
    assertThat(StringDictionary.of(threads).payloadBytes()).isLessThan(raw / 3);
  }

  @Test
  void rejectsWhatItCannotStore() {
    assertThatThrownBy(() -> StringDictionary.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StringDictionary.of(List.of("a", "b", "a")))
        .hasMessageContaining("repeats");
    assertThatThrownBy(() -> StringDictionary.of(List.of("x".repeat(4097))))
        .hasMessageContaining("4097 bytes");
    assertThatThrownBy(() -> StringDictionary.of(List.of("a\uD800b")))
        .hasMessageContaining("well-formed");
  }

  // ---- the corrupt-input corpus: each case fails with CorruptChunkException, quickly

  static CorruptChunkException assertCorrupt(long id, byte[] payload) {
    try {
      StringDictionary d = StringDictionary.decode(id, payload);
      throw new AssertionError("decoded " + d + " from corrupt input");
    } catch (CorruptChunkException e) {
      assertThat(e.getMessage()).startsWith("corrupt dictionary " + Long.toHexString(id));
      assertThat(e.isRetryable()).isFalse();
      return e;
    }
  }

  /** Decoded under its own id, so the parser (not the id check) must catch it. */
  static CorruptChunkException assertCorrupt(byte[] payload) {
    return assertCorrupt(StringDictionary.idOf(payload), payload);
  }

  @Test
  void truncationAtEveryOffsetAndEveryBitFlip() {
    byte[] p = dictionary().stored().payload();
    long id = dictionary().id();
    for (int n = 0; n < p.length; n++) assertCorrupt(id, java.util.Arrays.copyOf(p, n));
    for (int i = 0; i < p.length * 8; i++) {
      byte[] flipped = p.clone();
      flipped[i / 8] ^= (byte) (1 << (i % 8));
      assertThat(assertCorrupt(id, flipped)).hasMessageContaining("hash to");
      // Even under the id of its new bytes, the checksum (or a header check) catches the flip.
      assertCorrupt(flipped);
    }
  }

  @Test
  void theWrongRowIsNotTakenForTheDictionary() {
    byte[] other = StringDictionary.of(List.of("x", "y")).stored().payload();
    assertThat(assertCorrupt(dictionary().id(), other)).hasMessageContaining("wrong row");
  }

  /** A header edit, resealed with a valid checksum so that only the claim itself is wrong. */
  static byte[] withHeader(Consumer<byte[]> edit) {
    byte[] p = dictionary().stored().payload().clone();
    edit.accept(p);
    return reseal(p);
  }

  static byte[] reseal(byte[] p) {
    var h = ChunkFormat.hash32();
    int seed = h.hash(p, 0, StringDictionary.OFF_CHECKSUM, 0x7C0D1C70);
    INT.set(p, StringDictionary.OFF_CHECKSUM,
        h.hash(p, StringDictionary.HEADER_LENGTH, p.length - StringDictionary.HEADER_LENGTH, seed));
    return p;
  }

  @Test
  void hostileHeaderClaims() {
    assertThat(assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_COUNT, Integer.MAX_VALUE))))
        .hasMessageContaining("string count");
    assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_COUNT, 0)));
    assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_COUNT, -1)));
    assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_COUNT, STRINGS.size() + 1)));
    assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_COUNT, STRINGS.size() - 1)));
    assertThat(assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_UNCOMPRESSED, Integer.MAX_VALUE))))
        .hasMessageContaining("uncompressed length");
    assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_UNCOMPRESSED,
        (int) INT.get(p, StringDictionary.OFF_UNCOMPRESSED) + 1)));
    assertCorrupt(withHeader(p -> INT.set(p, StringDictionary.OFF_COMPRESSED, -1)));
    assertThat(assertCorrupt(withHeader(p -> p[StringDictionary.OFF_VERSION] = 2)))
        .hasMessageContaining("unsupported dictionary version 2");
    assertCorrupt(withHeader(p -> p[StringDictionary.OFF_FLAGS] = 1));
    assertThat(assertCorrupt(withHeader(p -> p[0] = 'X'))).hasMessageContaining("magic");
  }

  /** Frames a hostile block with a valid header and checksum. */
  static byte[] framed(BodyWriter block, int count) {
    byte[] body = java.util.Arrays.copyOf(block.array(), block.length());
    byte[] c = ChunkFormat.compressor().compress(body);
    byte[] p = new byte[StringDictionary.HEADER_LENGTH + c.length];
    System.arraycopy(c, 0, p, StringDictionary.HEADER_LENGTH, c.length);
    INT.set(p, 0, StringDictionary.MAGIC);
    p[StringDictionary.OFF_VERSION] = StringDictionary.VERSION;
    INT.set(p, StringDictionary.OFF_COUNT, count);
    INT.set(p, StringDictionary.OFF_UNCOMPRESSED, body.length);
    INT.set(p, StringDictionary.OFF_COMPRESSED, c.length);
    return reseal(p);
  }

  @Test
  void hostileBlocksFailInTheParser() {
    BodyWriter w = new BodyWriter(64, 1 << 20);
    w.writeVarInt(0);
    w.writeVarInt(3);
    w.writeBytes("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    w.writeVarInt(4); // shares 4 bytes of a 3-byte string
    w.writeVarInt(0);
    assertThat(assertCorrupt(framed(w, 2))).hasMessageContaining("shared prefix of 4");

    w = new BodyWriter(64, 1 << 20);
    w.writeVarInt(0);
    w.writeVarInt(1_000); // longer than the block
    w.writeVarInt(0);
    assertThat(assertCorrupt(framed(w, 1))).hasMessageContaining("longer than");

    w = new BodyWriter(64, 1 << 20);
    w.writeVarInt(0);
    w.writeVarInt(1);
    w.writeByte('a');
    w.writeByte(0);
    assertThat(assertCorrupt(framed(w, 1))).hasMessageContaining("trailing");

    w = new BodyWriter(64, 1 << 20);
    w.writeVarInt(0);
    w.writeVarInt(0xFFFFFFF); // a varint beyond any string
    assertCorrupt(framed(w, 1));
  }

  @Test
  void frontCodingCannotExpandASmallBlockIntoHugeStrings() {
    // A 4,096-byte string, then strings that each share all of it and add one byte: about three
    // bytes each in the block, 4 KiB each once expanded. The cap stops it at 4 MiB.
    BodyWriter w = new BodyWriter(1 << 16, 1 << 22);
    w.writeVarInt(0);
    w.writeVarInt(4_095);
    for (int i = 0; i < 4_095; i++) w.writeByte('a');
    for (int i = 0; i < 2_000; i++) {
      w.writeVarInt(4_095);
      w.writeVarInt(1);
      w.writeByte('b');
    }
    assertThat(assertCorrupt(framed(w, 2_001))).hasMessageContaining("expand to more than");
  }

  @Test
  void randomGarbageUnderItsOwnId() {
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      byte[] p = new byte[random.nextInt(200)];
      random.nextBytes(p);
      if (p.length >= 4) INT.set(p, 0, StringDictionary.MAGIC);
      if (p.length >= 5) p[4] = StringDictionary.VERSION;
      assertCorrupt(p);
    }
  }
}
