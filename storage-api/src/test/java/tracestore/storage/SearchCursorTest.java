package tracestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tracestore.storage.model.TraceId;

class SearchCursorTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void roundTripsAndIsUrlSafe(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 1000; i++) {
      long high = r.nextInt(3) == 0 ? 0 : r.nextLong();
      SearchCursor c = new SearchCursor(r.nextLong(0, Long.MAX_VALUE), new TraceId(high, r.nextLong() | 1));
      String text = c.encode();
      assertThat(text).matches("[A-Za-z0-9_-]{39}");
      assertThat(SearchCursor.decode(text)).isEqualTo(c);
    }
  }

  @Test
  void rejectsGarbageNamingTheProblem() {
    String good = new SearchCursor(123, new TraceId(1, 2)).encode();
    assertRejected(null, "empty");
    assertRejected("", "empty");
    assertRejected("abc", "39 characters");
    assertRejected(good + "x", "39 characters");
    assertRejected("*".repeat(39), "base64");
    assertRejected((good.charAt(5) == 'a' ? "b" : "a") + good.substring(1).replaceFirst(".", "a"), "check failed");
    assertRejected(craft(2, 5, 1, 1), "version 2");
    assertRejected(craft(1, -5, 1, 1), "negative");
    assertRejected(craft(1, 5, 0, 0), "trace id is zero");
  }

  @Test
  void randomStringsOfTheRightLengthAreRejected() {
    SplittableRandom r = new SplittableRandom(7);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 1000; i++) {
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < 39; j++) b.append(alphabet.charAt(r.nextInt(64)));
      assertThatThrownBy(() -> SearchCursor.decode(b.toString())).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void precedesFollowsHitOrder() {
    TraceId low = new TraceId(0, 1);
    TraceId high = new TraceId(-1L, 1); // larger unsigned
    SearchCursor c = new SearchCursor(100, high);
    assertThat(c.precedes(99, high)).isTrue();
    assertThat(c.precedes(100, low)).isTrue();
    assertThat(c.precedes(100, high)).isFalse();
    assertThat(c.precedes(101, low)).isFalse();

    List<TraceHit> hits = new ArrayList<>(List.of(new TraceHit(low, 100), new TraceHit(high, 99), new TraceHit(high, 100)));
    hits.sort(SearchCursor.HIT_ORDER);
    assertThat(hits).containsExactly(new TraceHit(high, 100), new TraceHit(low, 100), new TraceHit(high, 99));
  }

  private static String craft(int version, long start, long high, long low) {
    ByteBuffer b = ByteBuffer.allocate(29);
    b.put((byte) version).putLong(start).putLong(high).putLong(low);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 25);
    b.putInt((int) crc.getValue());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private static void assertRejected(String cursor, String message) {
    assertThatThrownBy(() -> SearchCursor.decode(cursor))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
