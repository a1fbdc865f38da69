package tracestore.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CqlScriptTest {
  @Test
  void splitsOnSemicolonsOutsideStringsAndComments() {
    CqlScript script =
        CqlScript.of(
            "V002__more_things.cql",
            "-- don't split here; nor here\n"
                + "CREATE TABLE a (k int PRIMARY KEY) WITH comment = 'it''s a; table';\r\n"
                + "/* block; comment */ CREATE TABLE b (k int PRIMARY KEY, -- note; with 'quote\n v int);\n"
                + "  \n");
    assertThat(script.version()).isEqualTo(2);
    assertThat(script.description()).isEqualTo("more things");
    assertThat(script.statements())
        .containsExactly(
            "CREATE TABLE a (k int PRIMARY KEY) WITH comment = 'it''s a; table'",
            "CREATE TABLE b (k int PRIMARY KEY, \n v int)");
  }

  @Test
  void checksumIgnoresLineEndingsButNotContent() {
    CqlScript unix = CqlScript.of("V001__x.cql", "CREATE TABLE a (k int PRIMARY KEY);\n");
    CqlScript windows = CqlScript.of("V001__x.cql", "CREATE TABLE a (k int PRIMARY KEY);\r\n");
    CqlScript edited = CqlScript.of("V001__x.cql", "CREATE TABLE a (k bigint PRIMARY KEY);\n");
    assertThat(unix.checksum()).isEqualTo(windows.checksum()).matches("[0-9a-f]{8}");
    assertThat(edited.checksum()).isNotEqualTo(unix.checksum());
  }

  @Test
  void rejectsBadFileNames() {
    assertThatThrownBy(() -> CqlScript.of("001_initial.cql", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("V<number>__<words>.cql");
  }

  @Test
  void bundledScriptsAreOrderedAndEveryStatementIsIdempotent() {
    var scripts = CqlMigrator.bundledScripts();
    assertThat(scripts).isNotEmpty();
    // strictly ascending from 1 (branch cass ships V005 while V004 lands from another branch)
    assertThat(scripts.get(0).version()).isEqualTo(1);
    for (int i = 1; i < scripts.size(); i++) assertThat(scripts.get(i).version()).isGreaterThan(scripts.get(i - 1).version());
    for (CqlScript s : scripts) {
      for (String statement : s.statements()) {
        assertThat(statement).as("statement of V%d", s.version()).containsIgnoringCase("IF NOT EXISTS");
      }
    }
  }
}
