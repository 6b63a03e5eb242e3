package dev.strata.tier.query;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import java.util.List;

/**
 * Whether a store can hold series a request asks for, from what it announces, as Thanos's proxy
 * decides before sending it the request: its time range must overlap the request's, and one of
 * its external label sets must be compatible with the matchers. A label set is compatible unless
 * it has a label a matcher names with a value that matcher rejects; a store announcing no label
 * set is always compatible.
 */
public final class StoreSelection {

  private StoreSelection() {}

  /** Whether {@code store} may hold series matching {@code matchers} in {@code [mint, maxt]}. */
  public static boolean matches(
      EndpointStatus store, long mint, long maxt, List<LabelMatcher> matchers) {
    return matches(store.minTime(), store.maxTime(), store.labelSets(), mint, maxt, matchers);
  }

  /**
   * Whether a store of range {@code [storeMin, storeMax]} announcing {@code labelSets} may hold
   * series matching {@code matchers} in {@code [mint, maxt]} (all bounds inclusive).
   */
  public static boolean matches(long storeMin, long storeMax, List<Labels> labelSets,
      long mint, long maxt, List<LabelMatcher> matchers) {
    return overlaps(storeMin, storeMax, mint, maxt) && labelSetsMatch(labelSets, matchers);
  }

  /** Whether {@code [storeMin, storeMax]} and {@code [mint, maxt]} share a timestamp. */
  public static boolean overlaps(long storeMin, long storeMax, long mint, long maxt) {
    return mint <= storeMax && maxt >= storeMin;
  }

  /** Whether one of {@code labelSets} is compatible with {@code matchers}, or there are none. */
  public static boolean labelSetsMatch(List<Labels> labelSets, List<LabelMatcher> matchers) {
    if (labelSets.isEmpty()) {
      return true;
    }
    for (Labels set : labelSets) {
      if (compatible(set, matchers)) {
        return true;
      }
    }
    return false;
  }

  private static boolean compatible(Labels set, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      if (set.has(m.name()) && !m.matches(set.get(m.name()))) {
        return false;
      }
    }
    return true;
  }
}
