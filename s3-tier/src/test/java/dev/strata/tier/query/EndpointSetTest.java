package dev.strata.tier.query;

import static dev.strata.tier.testing.TestTsdb.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.tsdb.labels.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Endpoints checked as Thanos's querier checks them, against real Strata StoreAPI servers on
 * loopback ports: what they announce, file SD changes, an endpoint going away and coming back,
 * and the {@code /api/v1/stores} answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointSetTest {
  private static final Duration SOON = Duration.ofSeconds(10);
  private static final Labels EU = Labels.of("cluster", "eu", "replica", "a");
  private static final Labels US = Labels.of("cluster", "us");

  private TestStore eu;
  private TestStore us;
  private TestStore old;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    eu = TestStore.start(dir.resolve("eu"), EU, 10, 0, 3 * HOUR, 1, true);
    us = TestStore.start(dir.resolve("us"), US, 10, HOUR, 3 * HOUR, 2, true);
    // Without the Info service, as a component older than it: known through Store/Info.
    old = TestStore.start(dir.resolve("old"), Labels.of("cluster", "old"), 5, 0, HOUR, 3, false);
  }

  @AfterAll
  void stop() throws Exception {
    for (TestStore s : new TestStore[] {eu, us, old}) {
      if (s != null) {
        s.close();
      }
    }
  }

  @Test
  void infoAnswersFillTheStatuses() {
    try (EndpointSet set = EndpointSet.builder().endpoint(eu.address()).endpoint(us.address())
        .endpoint(old.address()).start()) {
      Instant before = Instant.now();
      set.update();
      Map<String, EndpointStatus> byAddress = set.statuses().stream()
          .collect(Collectors.toMap(EndpointStatus::address, s -> s));
      assertEquals(3, byAddress.size(), byAddress::toString);

      EndpointStatus e = byAddress.get(eu.address());
      assertEquals("sidecar", e.componentType());
      assertTrue(e.healthy() && e.storeApi() && e.supportsWithoutReplicaLabels(), e::toString);
      assertEquals(Optional.empty(), e.lastError());
      assertFalse(e.lastCheck().orElseThrow().isBefore(before.minusSeconds(1)), e::toString);
      assertEquals(List.of(EU), e.labelSets());
      assertEquals(0, e.minTime());
      assertEquals(Long.MAX_VALUE, e.maxTime());
      assertEquals(HOUR, byAddress.get(us.address()).minTime());

      EndpointStatus o = byAddress.get(old.address());
      assertEquals("sidecar", o.componentType(), "from the StoreType of Store/Info");
      assertTrue(o.healthy() && o.storeApi(), o::toString);
      assertFalse(o.supportsWithoutReplicaLabels(), "Store/Info cannot say so");
      assertEquals(List.of(Labels.of("cluster", "old")), o.labelSets());

      assertEquals(addresses(set), set.stores().stream().map(EndpointStatus::address).toList(),
          "all healthy, all with a StoreAPI");
    }
  }

  @Test
  void storesJsonHasThanosShape() throws Exception {
    try (EndpointSet set = EndpointSet.builder().endpoint(us.address()).endpoint(eu.address())
        .start()) {
      set.update();
      List<EndpointStatus> statuses = set.statuses();
      JsonNode root = new ObjectMapper().readTree(StoresJson.response(statuses));
      assertEquals("success", root.get("status").asText());
      JsonNode data = root.get("data");
      assertEquals(List.of("sidecar"), fieldNames(data));
      JsonNode sidecars = data.get("sidecar");
      assertEquals(2, sidecars.size());
      List<String> names = List.of(sidecars.get(0).get("name").asText(),
          sidecars.get(1).get("name").asText());
      assertEquals(names.stream().sorted().toList(), names, "by name");
      JsonNode e = sidecars.get(names.indexOf(eu.address()));
      assertEquals(List.of("name", "lastCheck", "lastError", "labelSets", "minTime", "maxTime"),
          fieldNames(e));
      assertTrue(e.get("lastError").isNull());
      assertEquals("{\"cluster\":\"eu\",\"replica\":\"a\"}", e.get("labelSets").get(0).toString());
      assertEquals(0, e.get("minTime").asLong());
      assertEquals(Long.MAX_VALUE, e.get("maxTime").asLong());
      Instant checked = Instant.parse(e.get("lastCheck").asText());
      assertEquals(statuses.stream().filter(s -> s.address().equals(eu.address()))
          .findFirst().orElseThrow().lastCheck().orElseThrow(), checked);
    }
    assertEquals("2026-01-02T03:04:05.12Z",
        StoresJson.time(Instant.parse("2026-01-02T03:04:05.120Z")));
    assertEquals("2026-01-02T03:04:05Z", StoresJson.time(Instant.parse("2026-01-02T03:04:05Z")));
  }

  @Test
  void fileSdEndpointsComeAndGoWithinSeconds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("targets.yml");
    Files.writeString(file, "- targets: ['" + eu.address() + "']\n");
    FileSd sd = FileSd.builder().file(file).start();
    // A round every minute: only the file change can make the set act in time.
    try (EndpointSet set = EndpointSet.builder().fileSd(sd).interval(Duration.ofMinutes(1))
        .start()) {
      Eventually.within(SOON, () -> addresses(set).equals(List.of(eu.address())),
          () -> "" + set.statuses());

      Path tmp = dir.resolve(".targets.yml.new");
      Files.writeString(tmp, "- targets: ['" + us.address() + "']\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Eventually.within(SOON, () -> addresses(set).equals(List.of(us.address())),
          () -> "" + set.statuses());

      Files.delete(file);
      Eventually.within(SOON, () -> set.statuses().isEmpty(), () -> "" + set.statuses());
    }
  }

  @Test
  void anEndpointThatGoesDownIsUnhealthyUntilItComesBack(@TempDir Path dir) throws Exception {
    try (TestStore flaky = TestStore.start(dir, Labels.of("cluster", "flaky"), 5, 0, HOUR, 4, true);
        EndpointSet set = EndpointSet.builder().endpoint(flaky.address()).endpoint(eu.address())
            .interval(Duration.ofMillis(300)).infoTimeout(Duration.ofSeconds(1)).start()) {
      set.update();
      assertEquals(2, set.stores().size());

      flaky.stop();
      Eventually.within(SOON, () -> !status(set, flaky.address()).healthy(),
          () -> "" + set.statuses());
      List<EndpointStatus> statuses = set.statuses();
      EndpointStatus down = statuses.stream().filter(s -> s.address().equals(flaky.address()))
          .findFirst().orElseThrow();
      String error = down.lastError().orElseThrow();
      assertTrue(error.contains(flaky.address()), error);
      assertEquals(List.of(Labels.of("cluster", "flaky")), down.labelSets(), "as last announced");
      assertEquals(List.of(eu.address()),
          set.stores().stream().map(EndpointStatus::address).toList(), "not queried");
      assertTrue(StoresJson.response(statuses).contains(
          "\"lastError\":" + new ObjectMapper().writeValueAsString(error)));

      flaky.restart();
      Eventually.within(SOON, () -> status(set, flaky.address()).healthy(),
          () -> "" + set.statuses());
      assertEquals(2, set.stores().size());
      assertTrue(status(set, flaky.address()).lastCheck().orElseThrow()
          .isAfter(down.lastCheck().orElseThrow()));
    }
  }

  @Test
  void anEndpointUnhealthyForTheTimeoutIsDropped(@TempDir Path dir) throws Exception {
    try (TestStore gone = TestStore.start(dir, Labels.of("cluster", "gone"), 5, 0, HOUR, 5, true);
        EndpointSet set = EndpointSet.builder().endpoint(gone.address())
            .strictEndpoint("127.0.0.1:1").interval(Duration.ofMillis(300))
            .infoTimeout(Duration.ofMillis(500)).unhealthyTimeout(Duration.ofSeconds(2)).start()) {
      set.update();
      assertTrue(status(set, gone.address()).healthy());
      gone.stop();
      Eventually.within(SOON, () -> !addresses(set).contains(gone.address()),
          () -> "" + set.statuses());
      // A strict endpoint is kept and queried though it never answered; /stores leaves it out.
      EndpointStatus strict = status(set, "127.0.0.1:1");
      assertFalse(strict.healthy());
      assertEquals(List.of(strict.address()),
          set.stores().stream().map(EndpointStatus::address).toList());
      assertEquals("", strict.componentType());
      assertEquals("{\"status\":\"success\",\"data\":{}}", StoresJson.response(set.statuses()));
    }
  }

  @Test
  void aNewEndpointIsListedOnlyOnceItAnswers() {
    try (EndpointSet set = EndpointSet.builder().endpoint("127.0.0.1:1").endpoint(eu.address())
        .infoTimeout(Duration.ofMillis(500)).start()) {
      set.update();
      assertEquals(List.of(eu.address()), addresses(set));
    }
  }

  private static List<String> addresses(EndpointSet set) {
    return set.statuses().stream().map(EndpointStatus::address).toList();
  }

  private static EndpointStatus status(EndpointSet set, String address) {
    return set.statuses().stream().filter(s -> s.address().equals(address)).findFirst()
        .orElseThrow(() -> new AssertionError(address + " not in " + set.statuses()));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
