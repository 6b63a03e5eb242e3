package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.Labels;
import java.util.Set;

/**
 * When series read in their stored order may be sent before the rest is known. A part's series
 * are served with its external labels set and the replica labels removed, which can reorder them:
 * {@code {a="1"}} sorts after {@code {}} but before it once both have {@code b="2"}. Reordering
 * needs a series that is a prefix of the next, or a label that the part sets or removes at or
 * before the place where two series first differ. So when a series first differs from every
 * series read since the last safe point at a label both have, whose name (like every name before
 * it) is neither set nor removed, each of those sorts before it and before every later series,
 * as stored and as served: a new <em>safe point</em>. Series between safe points are sorted by
 * their served labels, which keeps the answer sorted while holding only those in memory (usually
 * one).
 *
 * <p>Removing a label the series themselves carry can also make a later series sort before an
 * earlier one, wherever the label is; a part whose series may carry a removed label has no safe
 * point ({@link #never}), and is sorted whole.
 */
final class ServedOrder {
  private final Set<String> changed; // names the part sets or removes
  private final boolean never;

  private ServedOrder(Set<String> changed, boolean never) {
    this.changed = changed;
    this.never = never;
  }

  /** No safe point: the part is sorted whole. */
  static ServedOrder never() {
    return new ServedOrder(Set.of(), true);
  }

  ServedOrder(Labels external, java.util.Collection<String> without) {
    this.never = false;
    Set<String> names = new java.util.HashSet<>(without);
    for (int i = 0; i < external.size(); i++) {
      names.add(external.name(i));
    }
    this.changed = names;
  }

  /** Whether serving changes nothing, so that every point is safe. */
  boolean identity() {
    return !never && changed.isEmpty();
  }

  /**
   * Whether {@code a} sorts, as served, before {@code b} and every series stored after it
   * ({@code a < b} as stored).
   */
  boolean safeBetween(Labels a, Labels b) {
    if (never) {
      return false;
    }
    if (changed.isEmpty()) {
      return true;
    }
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      String name = a.name(i);
      if (changed.contains(name)) {
        return false;
      }
      if (!name.equals(b.name(i)) || !a.value(i).equals(b.value(i))) {
        return !changed.contains(b.name(i));
      }
    }
    return false; // one is a prefix of the other
  }
}
