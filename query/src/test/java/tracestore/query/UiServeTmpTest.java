package tracestore.query;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracestore.storage.model.Span;

class UiServeTmpTest {
  @Test
  void serve() throws Exception {
    List<Span> spans = new ArrayList<>();
    long shift = System.currentTimeMillis() * 1_000_000L - Fixtures.NOW.toEpochMilli() * 1_000_000L;
    for (Span s : Fixtures.spans()) {
      Span.Builder b = s.toBuilder().startEpochNanos(s.startEpochNanos() + shift);
      b.logs(s.logs().stream().map(l -> new tracestore.storage.model.SpanLog(l.epochNanos() + shift, l.name(), l.fields())).toList());
      spans.add(b.build());
    }
    ServerBuilder sb = Server.builder().http(19411);
    QueryService.newBuilder(TestStores.readerWith(spans)).build().registerOn(sb);
    Server server = sb.build();
    server.start().join();
    Thread.sleep(150_000);
    server.stop().join();
  }
}
