package dev.strata.examples.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.testing.ChildJvm;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * What the tests of {@code strata query}'s API and of its web UI share: the querier as a child
 * process, waits on its endpoints, and a store that fails on demand.
 */
final class QueryTesting {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryTesting() {}

  /**
   * Starts {@code strata query} on free loopback ports with {@code args} besides, its log and
   * temporary files in {@code dir}; it has started once it has printed its addresses.
   */
  static ServerProcess start(Path dir, String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("query", "--http-address=127.0.0.1:0",
        "--grpc-address=127.0.0.1:0"));
    all.addAll(List.of(args));
    ServerProcess query = ServerProcess.start(name, ChildJvm.command(dir.resolve(name + "-tmp"),
        StrataCommand.class, all.toArray(String[]::new)), dir.resolve(name + ".log"));
    query.awaitPort("strata query: ");
    return query;
  }

  /** {@code http://127.0.0.1:port} of a started querier (without its route prefix). */
  static String url(ServerProcess query) throws Exception {
    return "http://127.0.0.1:" + query.awaitPort("strata query: ");
  }

  /**
   * Waits until {@code /api/v1/stores} of the querier at {@code url} (route prefix included)
   * lists {@code address} in a state {@code test} accepts, and returns that entry.
   */
  static JsonNode awaitStore(String url, String address, Predicate<JsonNode> test)
      throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/stores")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (JsonNode byType : JSON.readTree(last).path("data")) {
        for (JsonNode store : byType) {
          if (store.path("name").asText().equals(address) && test.test(store)) {
            return store;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(address + " not listed as expected: " + last);
  }

  /** Waits until every address is listed healthy. */
  static void awaitHealthy(String url, String... addresses) throws Exception {
    for (String address : addresses) {
      awaitStore(url, address, s -> s.path("lastError").isNull());
    }
  }

  /** While {@code failing} is set, every StoreAPI call but Info fails, as a store whose data is away. */
  static ServerInterceptor failingWhen(AtomicBoolean failing) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (failing.get() && method.startsWith("thanos.Store/") && !method.endsWith("/Info")) {
          call.close(Status.UNAVAILABLE.withDescription("data away for the test"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }
}
