package dev.strata.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusEndpointTest {
  @TempDir Path tmp;

  @Test
  @Interop
  void promtoolQueriesAnEmbeddedDatabase() throws Exception {
    long now = System.currentTimeMillis() / 1000 * 1000;
    try (Tsdb db = Tsdb.open(tmp.resolve("db"), TsdbOptions.defaults())) {
      Appender app = db.appender();
      app.append(Labels.of("__name__", "requests_total", "path", "/api"), now - 60_000, 40);
      app.append(Labels.of("__name__", "requests_total", "path", "/api"), now, 100);
      app.commit();
      HttpServer server = PrometheusEndpoint.serve(db, new InetSocketAddress("127.0.0.1", 0));
      try {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Promtool.Result r = Promtool.run(tmp, "query", "instant", "--time=" + now / 1000, url,
            "increase(requests_total[2m])").assertSuccess();
        // 60 over the 60 s sampled, extrapolated 40 s back to where the counter would be zero.
        assertEquals("{path=\"/api\"} => 100 @[" + now / 1000 + "]", r.stdout().strip());
      } finally {
        server.stop(0);
      }
    }
  }
}
