package dev.strata.tier.query;

import static dev.strata.tier.testing.TestTsdb.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A querier over real Strata StoreAPI servers on loopback ports: three replicas of one producer
 * (two of them identical) and another producer later in time, against the same Tsdbs read
 * directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyQuerierTest {
  private static final int SERIES = 20;
  private static final long END = 6 * HOUR;
  private static final LabelMatcher ALL = LabelMatcher.regex("__name__", "metric_.*");
  private static final ProxyRequest DEDUP = ProxyRequest.DEFAULTS.withReplicaLabels("replica");

  private TestStore a;
  private TestStore b;
  private TestStore c;
  private TestStore us;
  private List<TestStore> all;
  private EndpointSet endpoints;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    a = TestStore.start(dir.resolve("a"), eu("a"), SERIES, 0, 3 * HOUR, 1, true);
    b = TestStore.start(dir.resolve("b"), eu("b"), SERIES, 0, 3 * HOUR, 1, true);
    c = TestStore.start(dir.resolve("c"), eu("c"), SERIES, 0, 3 * HOUR, 3, true);
    us = TestStore.start(dir.resolve("us"), Labels.of("cluster", "us"), SERIES, 4 * HOUR, END, 2,
        true);
    all = List.of(a, b, c, us);
    EndpointSet.Builder set = EndpointSet.builder();
    all.forEach(s -> set.endpoint(s.address()));
    endpoints = set.start();
    endpoints.update();
    assertEquals(4, endpoints.stores().size(), () -> "" + endpoints.statuses());
  }

  @AfterAll
  void stop() throws Exception {
    if (endpoints != null) {
      endpoints.close();
    }
    for (TestStore s : all) {
      s.close();
    }
  }

  @Test
  void fanOutMergeEqualsTheTsdbsReadDirectlyWithExternalLabels() {
    List<LabelMatcher[]> cases = List.of(
        new LabelMatcher[] {ALL},
        new LabelMatcher[] {
            LabelMatcher.equal("job", "api"), LabelMatcher.notEqual("cluster", "x")},
        new LabelMatcher[] {LabelMatcher.regex("instance", "host-[12]"),
            LabelMatcher.notRegex("replica", "b")},
        new LabelMatcher[] {LabelMatcher.equal("__name__", "no_such_metric")});
    long[][] ranges = {{0, END}, {HOUR + 30_000, 4 * HOUR + 17_000}, {5 * HOUR, 5 * HOUR}};
    for (long[] r : ranges) {
      for (LabelMatcher[] m : cases) {
        Map<Labels, TreeMap<Long, Double>> expected = new TreeMap<>();
        all.forEach(s -> expected.putAll(s.direct(r[0], r[1], m)));
        try (ProxyQuerier q = ProxyQuerier.open(endpoints, r[0], r[1], ProxyRequest.DEFAULTS)) {
          assertEquals(expected, TestTsdb.read(q, m), () -> r[0] + ".." + r[1] + " " + List.of(m));
          assertEquals(List.of(), q.warnings());
        }
      }
    }
  }

  @Test
  void onlyStoresWhoseRangeAndLabelSetsCanMatchAreAsked() {
    assertEquals(List.of(a, b, c), asked(0, HOUR, ALL), "us holds data from 4h on");
    assertEquals(List.of(us), asked(0, END, LabelMatcher.equal("cluster", "us"), ALL));
    assertEquals(List.of(b, c, us), asked(0, END, LabelMatcher.notEqual("replica", "a"), ALL),
        "a store without the label is compatible");
    assertEquals(List.of(c), asked(0, 3 * HOUR, LabelMatcher.regex("replica", "c|d"), ALL));
  }

  @Test
  void withDedupReplicasComeBackAsOneSeriesWithIdenticalChunksOnce() {
    LabelMatcher euOnly = LabelMatcher.equal("cluster", "eu");
    Map<Labels, Integer> chunksOfA = chunkCounts(ProxyRequest.DEFAULTS, euOnly, repl("a"), ALL);
    Map<Labels, Integer> chunksOfC = chunkCounts(ProxyRequest.DEFAULTS, euOnly, repl("c"), ALL);
    assertEquals(SERIES, chunksOfA.size());

    Map<Labels, Integer> merged = chunkCounts(DEDUP, euOnly, ALL);
    TreeMap<Labels, Integer> expected = new TreeMap<>();
    chunksOfA.forEach((l, n) -> expected.put(l.toBuilder().remove("replica").build(),
        n + chunksOfC.get(l.toBuilder().set("replica", "c").build())));
    assertEquals(expected, merged,
        "one series per label set: a's chunks (b's are the same) and c's");
    assertEquals(List.of("replica"), a.seriesRequests.get(a.seriesRequests.size() - 1)
        .getWithoutReplicaLabelsList());

    // The identical replicas a and b: as a alone, without the replica label.
    LabelMatcher ab = LabelMatcher.regex("replica", "a|b");
    Map<Labels, TreeMap<Long, Double>> ofA = new TreeMap<>();
    a.direct(0, END, ALL).forEach((l, s) -> ofA.put(l.toBuilder().remove("replica").build(), s));
    try (ProxyQuerier q = ProxyQuerier.open(endpoints, 0, END, DEDUP)) {
      assertEquals(ofA, TestTsdb.read(q, ab, ALL));
    }
    TreeMap<Labels, Integer> chunksOfAWithout = new TreeMap<>();
    chunksOfA.forEach((l, n) -> chunksOfAWithout.put(l.toBuilder().remove("replica").build(), n));
    assertEquals(chunksOfAWithout, chunkCounts(DEDUP, ab, ALL));

    // Dedup off: every replica's series, replica label kept, side by side in label order.
    List<Labels> labels = new ArrayList<>(
        chunkCounts(DEDUP.withDedup(false), euOnly, ALL).keySet());
    assertEquals(3 * SERIES, labels.size());
    for (int i = 0; i < labels.size(); i += 3) {
      Labels without = labels.get(i).toBuilder().remove("replica").build();
      for (int k = 0; k < 3; k++) {
        assertEquals(without, labels.get(i + k).toBuilder().remove("replica").build());
        assertEquals(List.of("a", "b", "c").get(k), labels.get(i + k).get("replica"));
      }
    }
  }

  @Test
  void theSeriesRequestCarriesTheOptions() {
    ProxyRequest options = DEDUP.withPartialResponse(false).withMaxResolutionWindow(300_000)
        .withAggregates(EnumSet.of(AggrType.MAX, AggrType.MIN));
    SeriesRequest r = lastRequest(options, 1000, 2000);
    assertEquals(List.of("replica"), r.getWithoutReplicaLabelsList());
    assertEquals(300_000, r.getMaxResolutionWindow());
    assertEquals(List.of(Aggr.MIN, Aggr.MAX), r.getAggregatesList());
    assertEquals(PartialResponseStrategy.ABORT, r.getPartialResponseStrategy());
    assertTrue(r.getPartialResponseDisabled());
    assertEquals(1000, r.getMinTime());
    assertEquals(2000, r.getMaxTime());
    assertEquals(1, r.getMatchersCount());

    SeriesRequest plain = lastRequest(DEDUP.withDedup(false), 0, HOUR);
    assertEquals(List.of(), plain.getWithoutReplicaLabelsList(), "dedup off: labels kept");
    assertEquals(List.of(Aggr.COUNT, Aggr.SUM), plain.getAggregatesList());
    assertEquals(PartialResponseStrategy.WARN, plain.getPartialResponseStrategy());
    assertFalse(plain.getPartialResponseDisabled());
  }

  @Test
  void labelNamesAndValuesAreMergedAndSorted() {
    TreeSet<String> names = new TreeSet<>(List.of("cluster", "replica"));
    for (TestStore s : all) {
      try (Querier q = s.db.querier(0, END)) {
        names.addAll(q.labelNames());
      }
    }
    try (ProxyQuerier q = ProxyQuerier.open(endpoints, 0, END, ProxyRequest.DEFAULTS)) {
      assertEquals(new ArrayList<>(names), q.labelNames());
      assertEquals(List.of("eu", "us"), q.labelValues("cluster"));
      assertEquals(List.of("a", "b", "c"), q.labelValues("replica"));
      assertEquals(List.of("us"), q.labelValues("cluster", LabelMatcher.regex("cluster", "u.")));
      assertEquals(List.of(), q.warnings());
    }
    try (ProxyQuerier q = ProxyQuerier.open(endpoints, 0, HOUR, ProxyRequest.DEFAULTS)) {
      assertEquals(List.of("eu"), q.labelValues("cluster"), "us holds nothing before 4h");
    }
  }

  @Test
  void aStoppedStoreIsAWarningUnderPartialResponseAndAnErrorWithout(@TempDir Path dir)
      throws Exception {
    try (TestStore down = TestStore.start(dir, Labels.of("cluster", "down"), 5, 0, HOUR, 9, true);
        EndpointSet set = EndpointSet.builder().endpoint(a.address()).endpoint(down.address())
            .interval(java.time.Duration.ofMinutes(10)).start()) {
      set.update();
      assertEquals(2, set.stores().size());
      down.stop(); // still healthy for the set until its next round

      try (ProxyQuerier q = ProxyQuerier.open(set, 0, END, ProxyRequest.DEFAULTS)) {
        assertEquals(a.direct(0, END, ALL), TestTsdb.read(q, ALL));
        assertEquals(1, q.warnings().size(), q.warnings()::toString);
        String warning = q.warnings().get(0);
        assertTrue(warning.contains(down.address()) && warning.contains("UNAVAILABLE"), warning);
        assertTrue(q.labelNames().contains("cluster"));
        assertEquals(2, q.warnings().size(), q.warnings()::toString);
        assertTrue(q.warnings().get(1).contains(down.address()), q.warnings()::toString);
      }

      ProxyRequest abort = ProxyRequest.DEFAULTS.withPartialResponse(false);
      try (ProxyQuerier q = ProxyQuerier.open(set, 0, END, abort)) {
        EndpointException e = assertThrows(EndpointException.class, () -> drain(q.select(ALL)));
        assertEquals(down.address(), e.address());
        assertTrue(e.getMessage().contains(down.address()), e.getMessage());
        e = assertThrows(EndpointException.class, () -> q.labelValues("job"));
        assertEquals(down.address(), e.address());
        assertTrue(e.getMessage().startsWith("fetch label values from store " + down.address()),
            e.getMessage());
      }
    }
  }

  @Test
  void anEndpointThatLeavesReplicaLabelsToTheQuerierIsMergedAlike(@TempDir Path dir)
      throws Exception {
    // Known through Store/Info only, so not known to drop replica labels itself.
    try (TestStore old = TestStore.start(dir, eu("d"), SERIES, 0, 3 * HOUR, 1, false);
        EndpointSet set = EndpointSet.builder().endpoint(a.address()).endpoint(old.address())
            .start()) {
      set.update();
      assertEquals(2, set.stores().size());
      Map<Labels, TreeMap<Long, Double>> ofA = new TreeMap<>();
      a.direct(0, END, ALL).forEach((l, s) -> ofA.put(l.toBuilder().remove("replica").build(), s));
      try (ProxyQuerier q = ProxyQuerier.open(set, 0, END, DEDUP)) {
        assertEquals(ofA, TestTsdb.read(q, ALL));
        assertEquals(List.of(), q.warnings());
      }
    }
  }

  private static Labels eu(String replica) {
    return Labels.of("cluster", "eu", "replica", replica);
  }

  private static LabelMatcher repl(String replica) {
    return LabelMatcher.equal("replica", replica);
  }

  /** The stores a select over {@code [mint, maxt]} sends a request to. */
  private List<TestStore> asked(long mint, long maxt, LabelMatcher... matchers) {
    int[] before = all.stream().mapToInt(s -> s.seriesRequests.size()).toArray();
    try (ProxyQuerier q = ProxyQuerier.open(endpoints, mint, maxt, ProxyRequest.DEFAULTS)) {
      drain(q.select(matchers));
    }
    List<TestStore> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).seriesRequests.size() > before[i]) {
        out.add(all.get(i));
      }
    }
    return out;
  }

  private SeriesRequest lastRequest(ProxyRequest options, long mint, long maxt) {
    try (ProxyQuerier q = ProxyQuerier.open(endpoints, mint, maxt, options)) {
      drain(q.select(LabelMatcher.equal("__name__", "metric_1")));
    }
    return a.seriesRequests.get(a.seriesRequests.size() - 1);
  }

  private Map<Labels, Integer> chunkCounts(ProxyRequest options, LabelMatcher... matchers) {
    Map<Labels, Integer> out = new TreeMap<>();
    try (ProxyQuerier q = ProxyQuerier.open(endpoints, 0, END, options)) {
      SeriesSet set = q.select(matchers);
      Labels previous = null;
      while (set.next()) {
        Labels l = set.at().labels();
        assertTrue(previous == null || previous.compareTo(l) < 0, () -> "sorted, once: " + l);
        previous = l;
        int n = 0;
        ChunkIterator it = set.at().chunks();
        while (it.next()) {
          n++;
        }
        out.put(l, n);
      }
      assertEquals(List.of(), q.warnings());
    }
    return out;
  }

  private static int drain(SeriesSet set) {
    int n = 0;
    while (set.next()) {
      n++;
    }
    return n;
  }
}
