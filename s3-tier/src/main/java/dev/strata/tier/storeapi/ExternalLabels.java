package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The labels a store adds to every series it serves (Prometheus's {@code external_labels}), and
 * the rules every Thanos store applies to them.
 */
record ExternalLabels(Labels labels) {

  ExternalLabels {
    Objects.requireNonNull(labels, "labels");
  }

  /**
   * The matchers to run on the local data: those on external-label names are checked here against
   * the external value and dropped. Empty when one of them rejects its external value, i.e. the
   * store holds nothing that matches (Thanos's {@code matchesExternalLabels}).
   */
  Optional<List<LabelMatcher>> localMatchers(List<LabelMatcher> matchers) {
    List<LabelMatcher> local = new ArrayList<>(matchers.size());
    for (LabelMatcher m : matchers) {
      String external = labels.get(m.name());
      if (external.isEmpty()) {
        local.add(m);
      } else if (!m.matches(external)) {
        return Optional.empty();
      }
    }
    return Optional.of(local);
  }

  /**
   * The series' labels as served: the external labels set over the series' own (the external
   * value wins on a clash), then {@code without} removed.
   */
  Labels applyTo(Labels series, Collection<String> without) {
    if (labels.isEmpty() && without.isEmpty()) {
      return series;
    }
    Labels.Builder b = series.toBuilder();
    for (int i = 0; i < labels.size(); i++) {
      b.set(labels.name(i), labels.value(i));
    }
    for (String name : without) {
      b.remove(name);
    }
    return b.build();
  }
}
