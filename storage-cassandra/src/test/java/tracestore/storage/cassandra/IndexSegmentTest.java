package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.TraceId;

class IndexSegmentTest {
  static final int BUCKET = 493_000;
  static final long HOUR = Buckets.start(BUCKET);

  record Hit(TraceId id, long start, long duration, boolean error) {}

  static List<Hit> scan(IndexSegment.Encoded s, byte kind, String a, String b) {
    List<Hit> out = new ArrayList<>();
    IndexSegment.scan(s.entries().duplicate(), BUCKET, kind, a, b, (id, start, d, e) -> out.add(new Hit(id, start, d, e)));
    return out;
  }

  @Test
  void eachTermGivesBackExactlyItsEntries() {
    TraceId t1 = new TraceId(1, 2);
    TraceId t2 = new TraceId(-3, 4);
    IndexSegment.Builder b = new IndexSegment.Builder(BUCKET);
    b.add(IndexSegment.SERVICE, "", "", t1, HOUR + 5, 700, true);
    b.add(IndexSegment.SERVICE, "", "", t2, HOUR + 3_599_999_999_999L, 0, false);
    b.add(IndexSegment.OPERATION, "GET /", "", t1, HOUR + 6, 500, false);
    b.add(IndexSegment.TAG, "http.method", "GET", t1, HOUR + 7, 0, false);
    b.add(IndexSegment.TAG, "http.method", "GET", t2, HOUR + 8, 0, false);
    b.add(IndexSegment.TAG, "http.method", "PUT", t2, HOUR + 9, 0, false);
    b.add(IndexSegment.TAG, "http.metho", "dGET", t2, HOUR + 10, 0, false); // same concatenation, other term
    b.add(IndexSegment.TAG, "user", "é", t1, HOUR + 11, 0, false);
    List<IndexSegment.Encoded> built = b.build();
    assertThat(built).hasSize(1);
    IndexSegment.Encoded s = built.get(0);
    assertThat(s.minStart()).isEqualTo(HOUR + 5);
    assertThat(s.maxStart()).isEqualTo(HOUR + 3_599_999_999_999L);

    assertThat(scan(s, IndexSegment.SERVICE, "", ""))
        .containsExactly(new Hit(t1, HOUR + 5, 700, true), new Hit(t2, HOUR + 3_599_999_999_999L, 0, false));
    assertThat(scan(s, IndexSegment.OPERATION, "GET /", "")).containsExactly(new Hit(t1, HOUR + 6, 500, false));
    assertThat(scan(s, IndexSegment.TAG, "http.method", "GET"))
        .containsExactly(new Hit(t1, HOUR + 7, 0, false), new Hit(t2, HOUR + 8, 0, false));
    assertThat(scan(s, IndexSegment.TAG, "http.metho", "dGET")).containsExactly(new Hit(t2, HOUR + 10, 0, false));
    assertThat(scan(s, IndexSegment.TAG, "user", "é")).containsExactly(new Hit(t1, HOUR + 11, 0, false));
    assertThat(scan(s, IndexSegment.TAG, "http.method", "POST")).isEmpty();
    assertThat(scan(s, IndexSegment.OPERATION, "http.method", "")).isEmpty();

    ByteBuffer filter = s.terms();
    assertThat(IndexSegment.mayContain(filter, IndexSegment.termHash(IndexSegment.TAG, "http.method", "PUT"))).isTrue();
    assertThat(IndexSegment.mayContain(filter, IndexSegment.termHash(IndexSegment.OPERATION, "GET /", ""))).isTrue();
    assertThat(IndexSegment.mayContain(filter, IndexSegment.termHash(IndexSegment.TAG, "http.method", "POST"))).isFalse();
    assertThat(IndexSegment.mayContain(filter, IndexSegment.termHash(IndexSegment.TAG, "GET /", ""))).isFalse();
    assertThat(filter.remaining()).as("5 distinct operation and tag terms").isEqualTo(5 * 8);
  }

  @Test
  void sameEntriesGiveTheSameRowAndOthersAnother() {
    IndexSegment.Encoded a = one(7);
    assertThat(one(7).id()).isEqualTo(a.id());
    assertThat(one(7).entries()).isEqualTo(a.entries());
    assertThat(one(8).id()).isNotEqualTo(a.id());
  }

  private static IndexSegment.Encoded one(long start) {
    IndexSegment.Builder b = new IndexSegment.Builder(BUCKET);
    b.add(IndexSegment.SERVICE, "", "", new TraceId(1, 1), HOUR + start, 1, false);
    b.add(IndexSegment.TAG, "k", "v", new TraceId(1, 1), HOUR + start, 0, false);
    return b.build().get(0);
  }

  @Test
  void splitsPastMaxTracesKeepingEachTraceInOneSegment() {
    IndexSegment.Builder b = new IndexSegment.Builder(BUCKET);
    int n = IndexSegment.MAX_TRACES + 10;
    for (int i = 0; i < n; i++) b.add(IndexSegment.SERVICE, "", "", new TraceId(0, i), HOUR + i, i, false);
    for (int i = 0; i < n; i++) b.add(IndexSegment.TAG, "k", "v", new TraceId(0, i), HOUR + i, 0, false);
    List<IndexSegment.Encoded> built = b.build();
    assertThat(built).hasSize(2);
    for (IndexSegment.Encoded s : built) {
      List<TraceId> services = scan(s, IndexSegment.SERVICE, "", "").stream().map(Hit::id).toList();
      List<TraceId> tags = scan(s, IndexSegment.TAG, "k", "v").stream().map(Hit::id).toList();
      assertThat(tags).isEqualTo(services);
    }
    assertThat(scan(built.get(0), IndexSegment.TAG, "k", "v")).hasSize(IndexSegment.MAX_TRACES);
    assertThat(scan(built.get(1), IndexSegment.TAG, "k", "v")).hasSize(10);
  }

  @Test
  void equalTracesAndTermsAreOneWhateverTheInstanceOrOrder() {
    TraceId t1 = new TraceId(1, 2);
    TraceId t2 = new TraceId(3, 4);
    IndexSegment.Builder b = new IndexSegment.Builder(BUCKET);
    // interleaved traces, equal ids and strings as distinct instances
    b.add(IndexSegment.TAG, "http.method", "GET", t1, HOUR + 1, 0, false);
    b.add(IndexSegment.TAG, "http.method", "GET", t2, HOUR + 2, 0, false);
    b.add(IndexSegment.TAG, new String("http.method"), new String("GET"), new TraceId(1, 2), HOUR + 3, 0, false);
    b.add(IndexSegment.OPERATION, "GET /", "", t2, HOUR + 4, 9, false);
    b.add(IndexSegment.OPERATION, new String("GET /"), "", new TraceId(1, 2), HOUR + 5, 8, false);
    b.add(IndexSegment.TAG, "http.method", "PUT", t1, HOUR + 6, 0, false);
    IndexSegment.Encoded s = b.build().get(0);

    assertThat(s.entries().duplicate().get(1)).as("two distinct traces stored").isEqualTo((byte) 2);
    assertThat(scan(s, IndexSegment.TAG, "http.method", "GET"))
        .containsExactly(new Hit(t1, HOUR + 1, 0, false), new Hit(t2, HOUR + 2, 0, false), new Hit(t1, HOUR + 3, 0, false));
    assertThat(scan(s, IndexSegment.OPERATION, "GET /", ""))
        .containsExactly(new Hit(t2, HOUR + 4, 9, false), new Hit(t1, HOUR + 5, 8, false));
    assertThat(scan(s, IndexSegment.TAG, "http.method", "PUT")).containsExactly(new Hit(t1, HOUR + 6, 0, false));
    assertThat(s.terms().remaining()).as("3 distinct operation and tag terms").isEqualTo(3 * 8);
  }
}
