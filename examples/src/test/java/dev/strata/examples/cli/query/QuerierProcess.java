package dev.strata.examples.cli.query;

import static dev.strata.examples.cli.query.ApiAnswers.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.server.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

/**
 * A {@code strata query} child process as an HTTP client sees it: requests go to its address
 * followed by its route prefix. The {@link QueryFixture} that started it stops it.
 */
final class QuerierProcess {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ServerProcess process;
  private final String root;
  private final String url;
  private final int grpcPort;

  QuerierProcess(ServerProcess process, String root, String routePrefix, int grpcPort) {
    this.process = process;
    this.root = root;
    this.url = root + routePrefix;
    this.grpcPort = grpcPort;
  }

  /** The base URL of the API, route prefix included. */
  String url() {
    return url;
  }

  /** The base URL without the route prefix. */
  String root() {
    return root;
  }

  int grpcPort() {
    return grpcPort;
  }

  /** GET of the address, route prefix included, followed by {@code pathAndQuery}. */
  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url + pathAndQuery)).build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** GET {@code path} with parameters given as name, value, ...; the answer must be 200. */
  JsonNode api(String path, String... params) throws Exception {
    HttpResponse<String> r = get(path + query(params));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Waits until {@code /api/v1/stores} lists every address, healthy. */
  void awaitStores(String... addresses) throws Exception {
    for (String address : addresses) {
      awaitStore(address, s -> s.path("lastError").isNull());
    }
  }

  /** Waits until {@code /api/v1/stores} lists {@code address} in a state {@code test} accepts. */
  JsonNode awaitStore(String address, Predicate<JsonNode> test) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = get("/api/v1/stores").body();
      for (JsonNode byType : JSON.readTree(last).path("data")) {
        for (JsonNode store : byType) {
          if (store.path("name").asText().equals(address) && test.test(store)) {
            return store;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(address + " not listed as expected: " + last + "\n"
        + process.log());
  }
}
