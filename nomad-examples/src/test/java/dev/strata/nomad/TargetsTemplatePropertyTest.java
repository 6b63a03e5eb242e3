package dev.strata.nomad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.nomad.ConsulTemplate.Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The querier's targets template over any set of Consul services: the file it renders is valid
 * file_sd YAML listing exactly the gRPC-tagged instances of the StoreAPI services, service by
 * service in the template's order, each in Consul's order.
 */
class TargetsTemplatePropertyTest {

  @Property(tries = 300)
  void listsExactlyTheGrpcInstancesOfTheStoreApiServices(@ForAll("services") List<Service> services)
      throws IOException {
    String yaml = TemplatesTest.renderTargets(services);
    List<String> expected = new ArrayList<>();
    for (String name : TemplatesTest.STORE_API_SERVICES) {
      for (Service s : services) {
        if (s.name().equals(name) && s.tags().contains("grpc")) {
          expected.add(s.address() + ":" + s.port());
        }
      }
    }
    assertEquals(expected, TemplatesTest.targetsOf(yaml), yaml);
  }

  @Provide
  Arbitrary<List<Service>> services() {
    Arbitrary<String> names = Arbitraries.of("strata-sidecar", "strata-store", "strata-embedded",
        "strata-query", "strata-compactor", "prometheus", "strata-sidecar-canary", "redis");
    // Tags that contain "grpc" as text but are not the tag grpc must not select an instance.
    Arbitrary<List<String>> tags = Arbitraries.of("grpc", "http", "grpc-web", "GRPC", "urlprefix-/grpc", "v1")
        .list().uniqueElements().ofMaxSize(3);
    Arbitrary<String> addresses = Arbitraries.integers().between(0, 255).list().ofSize(4)
        .map(o -> "10." + o.get(1) + "." + o.get(2) + "." + o.get(3));
    Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
    return Combinators.combine(names, addresses, ports, tags)
        .as((n, a, p, t) -> new Service(n, a, p, t, Map.of()))
        .list().ofMaxSize(12);
  }
}
