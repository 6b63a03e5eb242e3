package dev.strata.examples.cli.query;

import static dev.strata.examples.cli.query.ApiAnswers.query;
import static dev.strata.examples.cli.query.QuerierProcess.JSON;
import static dev.strata.examples.cli.query.QueryFixture.SAMPLES;
import static dev.strata.examples.cli.query.QueryFixture.STEP;
import static dev.strata.examples.cli.query.QueryFixture.T0;
import static dev.strata.examples.cli.query.QueryFixture.address;
import static dev.strata.examples.cli.query.QueryFixture.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tier.storeapi.StoreApiServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata query} behind a path-routing proxy: with {@code --web.route-prefix} everything it
 * serves is below the prefix and nothing outside it; {@code --web.external-prefix} alone implies
 * the same route prefix, as in Thanos.
 */
class QueryRoutePrefixTest {
  @TempDir static Path tmp;
  private static QueryFixture fixture;
  private static QuerierProcess routed;
  private static QuerierProcess external;

  @BeforeAll
  static void start() throws Exception {
    fixture = new QueryFixture(tmp);
    StoreApiServer store = fixture.store("a", "c1", "a", "requests_total", 0, false, null);
    fixture.writeTargets(store);
    routed = fixture.startQuerier("/strata", "--web.route-prefix=/strata");
    external = fixture.startQuerier("/ext", "--web.external-prefix=/ext");
    routed.awaitStores(address(store));
    external.awaitStores(address(store));
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static int status(QuerierProcess querier, String path) throws Exception {
    return querier.send(HttpRequest.newBuilder(URI.create(querier.root() + path)).build())
        .statusCode();
  }

  private static void assertAnswersBelow(QuerierProcess querier, String prefix) throws Exception {
    String instant = query("query", "requests_total", "time", seconds(T0 + SAMPLES * STEP));
    HttpResponse<String> r = querier.send(HttpRequest.newBuilder(
        URI.create(querier.root() + prefix + "/api/v1/query" + instant)).build());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("79",
        JSON.readTree(r.body()).path("data").path("result").get(0).path("value").get(1).asText());
    HttpResponse<String> posted = querier.send(HttpRequest.newBuilder(
            URI.create(querier.root() + prefix + "/api/v1/labels"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("match%5B%5D=requests_total")).build());
    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals(200, status(querier, prefix + "/api/v1/status/buildinfo"));
    assertEquals(200, status(querier, prefix + "/-/ready"));
    assertEquals(200, status(querier, prefix + "/-/healthy"));
    assertEquals(200, status(querier, prefix + "/metrics"));
    assertEquals(200, status(querier, prefix + "/api/v1/stores"));

    assertEquals(404, status(querier, "/api/v1/query" + instant));
    assertEquals(404, status(querier, "/api/v1/status/buildinfo"));
    assertEquals(404, status(querier, "/other" + prefix + "/api/v1/query" + instant));
    assertEquals(404, status(querier, prefix + "x/api/v1/query" + instant));
  }

  @Test
  void theRoutePrefixHoldsEveryRoute() throws Exception {
    assertAnswersBelow(routed, "/strata");
  }

  @Test
  void anExternalPrefixAloneIsTheRoutePrefix() throws Exception {
    assertAnswersBelow(external, "/ext");
  }
}
