package dev.strata.tier.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StoreSelection} against a simple model over a small world of names, values and
 * timestamps: the time rule by enumerating the timestamps, the label rule by checking, label set
 * by label set, only the matchers whose label the set has. And the reason for the rule: a store
 * it skips holds no series the matchers accept.
 */
class StoreSelectionPropertiesTest {
  private static final List<String> NAMES = List.of("cluster", "replica", "region");
  private static final List<String> VALUES = List.of("a", "b", "c");

  @Property(tries = 1000)
  void timeRangesOverlapWhenTheyShareATimestamp(@ForAll("range") long[] store,
      @ForAll("range") long[] request) {
    boolean shared = false;
    for (long t = -1; t <= 21; t++) {
      shared |= store[0] <= t && t <= store[1] && request[0] <= t && t <= request[1];
    }
    assertEquals(shared, StoreSelection.overlaps(store[0], store[1], request[0], request[1]));
  }

  @Property(tries = 1000)
  void labelSetsMatchAsTheModelSays(@ForAll("labelSets") List<Labels> sets,
      @ForAll("matchers") List<LabelMatcher> matchers) {
    boolean model = sets.isEmpty();
    for (Labels set : sets) {
      List<LabelMatcher> onItsLabels = new ArrayList<>();
      for (LabelMatcher m : matchers) {
        if (!set.get(m.name()).isEmpty()) {
          onItsLabels.add(m);
        }
      }
      model |= onItsLabels.stream().allMatch(m -> m.matches(set));
    }
    assertEquals(model, StoreSelection.labelSetsMatch(sets, matchers));
    assertEquals(model && StoreSelection.overlaps(0, 10, 5, 20),
        StoreSelection.matches(0, 10, sets, 5, 20, matchers));
  }

  @Property(tries = 1000)
  void aSkippedStoreHoldsNoMatchingSeries(@ForAll("labelSets") List<Labels> sets,
      @ForAll("matchers") List<LabelMatcher> matchers,
      @ForAll("labelSet") Labels seriesLabels) {
    if (sets.isEmpty()) {
      return;
    }
    for (Labels set : sets) {
      // A series of the producer of `set`, as the store serves it: its external labels win.
      Labels.Builder served = seriesLabels.toBuilder();
      for (int i = 0; i < set.size(); i++) {
        served.set(set.name(i), set.value(i));
      }
      Labels series = served.build();
      if (matchers.stream().allMatch(m -> m.matches(series))) {
        assertTrue(StoreSelection.labelSetsMatch(sets, matchers),
            () -> series + " matches " + matchers + ", yet its store is skipped");
      }
    }
  }

  @Provide
  Arbitrary<long[]> range() {
    Arbitrary<Long> t = Arbitraries.longs().between(0, 20);
    return Combinators.combine(t, t)
        .as((x, y) -> new long[] {Math.min(x, y), Math.max(x, y)});
  }

  @Provide
  Arbitrary<Labels> labelSet() {
    return Arbitraries.maps(Arbitraries.of(NAMES), Arbitraries.of(VALUES)).ofMaxSize(3)
        .map(StoreSelectionPropertiesTest::labels);
  }

  @Provide
  Arbitrary<List<Labels>> labelSets() {
    return labelSet().list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<LabelMatcher>> matchers() {
    Arbitrary<String> values = Arbitraries.of("a", "b", "c", "", "a|b", ".*", "b.*", "x");
    return Combinators.combine(Arbitraries.of(MatchType.values()), Arbitraries.of(NAMES), values)
        .as((type, name, value) -> LabelMatcher.of(type, name, value))
        .list().ofMaxSize(3);
  }

  private static Labels labels(Map<String, String> m) {
    return Labels.fromMap(new HashMap<>(m));
  }
}
