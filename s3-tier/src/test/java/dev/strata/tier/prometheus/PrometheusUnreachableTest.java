package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nothing listens at the Prometheus URL: every call says so, naming the URL and the call. */
class PrometheusUnreachableTest {
  private String base;
  private PrometheusClient client;

  @BeforeEach
  void nothingListening() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    client = new PrometheusClient(URI.create(base), Duration.ofSeconds(5));
  }

  @Test
  void callsFailNamingPrometheusAndTheCall() {
    PrometheusUnreachableException e =
        assertThrows(PrometheusUnreachableException.class, () -> client.externalLabels());
    assertEquals(
        "prometheus at " + base + " is not reachable: GET /api/v1/status/config: "
            + PrometheusClient.reason(e.getCause()),
        e.getMessage());
    assertEquals("GET /api/v1/status/config", e.call());
    PrometheusUnreachableException read =
        assertThrows(
            PrometheusUnreachableException.class,
            () -> client.read(0, 1, List.of(LabelMatcher.equal("__name__", "up"))));
    String expected = "prometheus at " + base + " is not reachable: POST /api/v1/read: ";
    assertTrue(read.getMessage().startsWith(expected), read.getMessage());
    assertFalse(client.ready());
  }

  @Test
  void theQuerierFailsAsUnavailable() {
    PrometheusStoreSource source =
        new PrometheusStoreSource(client, () -> Labels.EMPTY, () -> Long.MIN_VALUE);
    try (Querier q = source.querier(0, 1)) {
      // IllegalStateException is what the StoreAPI server answers with UNAVAILABLE.
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> q.select(LabelMatcher.equal("__name__", "up")));
      assertTrue(e.getMessage().startsWith("prometheus at " + base + " is not reachable"));
      assertThrows(IllegalStateException.class, () -> q.labelNames());
    }
  }
}
