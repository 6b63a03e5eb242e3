package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.util.function.Predicate;

/**
 * Label sets derived inside a query. Unlike {@link Labels.Builder}, which checks what is written to
 * storage, these take any value: PromQL lets {@code label_replace} or {@code count_values} put any
 * string in any label, the metric name included. Names are checked by the callers against
 * Prometheus's label-name syntax.
 */
final class LabelSets {
  private LabelSets() {}

  /** The labels of {@code l} whose names {@code keep} accepts, in order. */
  static Labels filter(Labels l, Predicate<String> keep) {
    int n = l.size();
    String[] pairs = new String[n * 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      String name = l.name(i);
      if (keep.test(name)) {
        pairs[k++] = name;
        pairs[k++] = l.value(i);
      }
    }
    if (k == pairs.length) {
      return l;
    }
    return Labels.fromSortedTrusted(java.util.Arrays.copyOf(pairs, k));
  }

  /** {@code l} with label {@code name} set to {@code value}, or removed if the value is empty. */
  static Labels with(Labels l, String name, String value) {
    if (value.isEmpty()) {
      return l.has(name) ? l.toBuilder().remove(name).build() : l;
    }
    int n = l.size();
    int at = 0;
    while (at < n && Utf8Order.compare(l.name(at), name) < 0) {
      at++;
    }
    boolean replace = at < n && l.name(at).equals(name);
    String[] pairs = new String[(replace ? n : n + 1) * 2];
    int k = 0;
    for (int i = 0; i < at; i++) {
      pairs[k++] = l.name(i);
      pairs[k++] = l.value(i);
    }
    pairs[k++] = name;
    pairs[k++] = value;
    for (int i = replace ? at + 1 : at; i < n; i++) {
      pairs[k++] = l.name(i);
      pairs[k++] = l.value(i);
    }
    return Labels.fromSortedTrusted(pairs);
  }
}
