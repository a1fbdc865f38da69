package tracestore.storage.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  @Test
  void traceId_parses32LowerCase() {
    TraceId id = TraceId.parse("0123456789abcdeffedcba9876543210");
    assertThat(id.high()).isEqualTo(0x0123456789abcdefL);
    assertThat(id.low()).isEqualTo(0xfedcba9876543210L);
  }

  @Test
  void traceId_parsesUpperCaseToSameValue() {
    assertThat(TraceId.parse("0123456789ABCDEFFEDCBA9876543210"))
        .isEqualTo(TraceId.parse("0123456789abcdeffedcba9876543210"));
  }

  @Test
  void traceId_16charsIsLeftPadded() {
    TraceId id = TraceId.parse("fedcba9876543210");
    assertThat(id.high()).isZero();
    assertThat(id.low()).isEqualTo(0xfedcba9876543210L);
    assertThat(id).isEqualTo(TraceId.parse("0000000000000000fedcba9876543210"));
    assertThat(id.toHex()).isEqualTo("0000000000000000fedcba9876543210");
  }

  @Test
  void traceId_toHexIs32LowerCaseChars() {
    assertThat(new TraceId(0xABCDEFL, 1).toHex()).isEqualTo("0000000000abcdef0000000000000001");
    assertThat(new TraceId(-1, -1).toHex()).isEqualTo("ffffffffffffffffffffffffffffffff");
    assertThat(new TraceId(-1, -1).toString()).isEqualTo("ffffffffffffffffffffffffffffffff");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a",
        "0123456789abcde", // 15
        "0123456789abcdef0", // 17
        "0123456789abcdef0123456789abcde", // 31
        "0123456789abcdef0123456789abcdef0", // 33
      })
  void traceId_wrongLengthNamesInput(String hex) {
    assertThatThrownBy(() -> TraceId.parse(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 or 32")
        .hasMessageContaining("got " + hex.length())
        .hasMessageContaining("\"" + hex + "\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0123456789abcdeg",
        "0123456789abcdef012345678-abcdef",
        " 123456789abcdef",
        "0x23456789abcdef",
        "0123456789abcdef0123456789abcde\u0000",
        // Character.digit accepts these; a strict hex parser must not.
        "\uff10123456789abcdef", // fullwidth zero
        "0123456789abcde\u0663", // Arabic-Indic three
        "\uff21123456789abcdef", // fullwidth A
      })
  void traceId_nonHexNamesInput(String hex) {
    assertThatThrownBy(() -> TraceId.parse(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-hex")
        .hasMessageContaining("\"" + hex + "\"");
  }

  @Test
  void traceId_nonHexReportsPosition() {
    assertThatThrownBy(() -> TraceId.parse("0123456789abcdef0123456789abczef"))
        .hasMessageContaining("position 29");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0000000000000000", "00000000000000000000000000000000"})
  void traceId_zeroRejectedNamingInput(String hex) {
    assertThatThrownBy(() -> TraceId.parse(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero")
        .hasMessageContaining(hex);
  }

  @Test
  void traceId_highOnlyIsNotZero() {
    assertThat(TraceId.parse("00000000000000010000000000000000").isZero()).isFalse();
  }

  @Test
  void traceId_nullRejected() {
    assertThatThrownBy(() -> TraceId.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void traceId_bytesRoundTrip() {
    TraceId id = TraceId.parse("8000000000000001ff00000000000080");
    byte[] bytes = id.toBytes();
    assertThat(bytes).hasSize(16);
    assertThat(bytes[0]).isEqualTo((byte) 0x80);
    assertThat(bytes[7]).isEqualTo((byte) 0x01);
    assertThat(bytes[8]).isEqualTo((byte) 0xff);
    assertThat(bytes[15]).isEqualTo((byte) 0x80);
    assertThat(TraceId.fromBytes(bytes)).isEqualTo(id);
  }

  @Test
  void traceId_bytesRoundTripRandom() {
    java.util.Random r = new java.util.Random(42);
    for (int i = 0; i < 1000; i++) {
      TraceId id = new TraceId(r.nextLong(), r.nextLong());
      assertThat(TraceId.fromBytes(id.toBytes())).isEqualTo(id);
      assertThat(TraceId.parse(id.toHex())).isEqualTo(id);
    }
  }

  @Test
  void traceId_eightBytesAre64Bit() {
    byte[] b = {0, 0, 0, 0, 0, 0, 1, 2};
    assertThat(TraceId.fromBytes(b)).isEqualTo(new TraceId(0, 0x0102));
  }

  @Test
  void traceId_badByteLengthsRejected() {
    assertThatThrownBy(() -> TraceId.fromBytes(new byte[15])).hasMessageContaining("got 15");
    assertThatThrownBy(() -> TraceId.fromBytes(null)).hasMessageContaining("null");
  }

  @Test
  void traceId_unsignedOrdering() {
    TraceId small = new TraceId(0, 1);
    TraceId bigLow = new TraceId(0, -1); // 0xffff... is the largest unsigned low
    TraceId bigHigh = new TraceId(-1, 0);
    assertThat(small).isLessThan(bigLow);
    assertThat(bigLow).isLessThan(bigHigh);
    assertThat(bigHigh.compareTo(new TraceId(-1, 0))).isZero();
  }

  @Test
  void spanId_parsesBothCases() {
    assertThat(SpanId.parse("FEDCBA9876543210")).isEqualTo(SpanId.parse("fedcba9876543210"));
    assertThat(SpanId.parse("fedcba9876543210").value()).isEqualTo(0xfedcba9876543210L);
  }

  @Test
  void spanId_toHex() {
    assertThat(SpanId.toHex(1)).isEqualTo("0000000000000001");
    assertThat(new SpanId(-1).toHex()).isEqualTo("ffffffffffffffff");
    assertThat(new SpanId(0xabcL).toString()).isEqualTo("0000000000000abc");
    assertThat(SpanId.parse(SpanId.toHex(0x8000000000000000L)).value())
        .isEqualTo(0x8000000000000000L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "0123456789abcde", "0123456789abcdef0", "0123456789abcdef0123456789abcdef"})
  void spanId_wrongLengthNamesInput(String hex) {
    assertThatThrownBy(() -> SpanId.parse(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 hex")
        .hasMessageContaining("got " + hex.length())
        .hasMessageContaining("\"" + hex + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0123456789abcdeG", "-123456789abcdef", "\uff10123456789abcdef"})
  void spanId_nonHexNamesInput(String hex) {
    assertThatThrownBy(() -> SpanId.parse(hex))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("span id has a non-hex character")
        .hasMessageContaining("\"" + hex + "\"");
  }

  @Test
  void spanId_zeroAndNullRejected() {
    assertThatThrownBy(() -> SpanId.parse("0000000000000000"))
        .hasMessageContaining("zeros")
        .hasMessageContaining("0000000000000000");
    assertThatThrownBy(() -> SpanId.parse(null)).hasMessageContaining("null");
  }
}
