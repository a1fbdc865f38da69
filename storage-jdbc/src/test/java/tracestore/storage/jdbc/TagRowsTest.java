package tracestore.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;

/** The ASCII fast path of the stored hashes gives exactly the hash of the escaped element's UTF-8. */
class TagRowsTest {
  private static long xxh64(String s, long seed) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return XXHashFactory.safeInstance().hash64().hash(b, 0, b.length, seed);
  }

  @Test
  void tagHash_isTheHashOfTheEscapedElement() {
    String[][] cases = {
        {"svc", "http.method", "GET"},
        {"a=b", "k\\ey", "v=al\\ue"},
        {"", "", ""},
        {"caf\u00e9", "key", "value"},
        {"svc", "cl\u00e9", "value"},
        {"svc", "key", "\u00e9t\u00e9 \uD83D\uDE00"},
        {"svc", "key", "lone \uD800 surrogate"},
    };
    for (String[] c : cases) {
      assertThat(TagRows.hash(c[0], c[1], c[2]))
          .as("%s / %s / %s", (Object[]) c)
          .isEqualTo(xxh64(TagRows.element(c[0], c[1], c[2]), TagRows.SEED));
    }
    assertThat(TagRows.element("a=b", "k\\ey", "v=al")).isEqualTo("a\\=b=k\\\\ey=v=al");
  }

  @Test
  void operationHash_isTheHashOfEscapedServiceAndOperation() {
    assertThat(TagRows.operationHash("svc", "GET /a=b"))
        .isEqualTo(xxh64("svc=GET /a=b", TagRows.OPERATION_SEED));
    assertThat(TagRows.operationHash("s=v\\c", "op"))
        .isEqualTo(xxh64("s\\=v\\\\c=op", TagRows.OPERATION_SEED));
    assertThat(TagRows.operationHash("caf\u00e9", "\u00e9t\u00e9"))
        .isEqualTo(xxh64("caf\u00e9=\u00e9t\u00e9", TagRows.OPERATION_SEED));
    assertThat(TagRows.operationHash("svc", "op")).isNotEqualTo(TagRows.hash("svc", "op", ""));
  }
}
