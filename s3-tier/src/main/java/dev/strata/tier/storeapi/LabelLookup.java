package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelNamesResponse;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Answers {@code LabelNames} and {@code LabelValues} from a {@link StoreSource}, with the external
 * labels counted as labels of every series, as Thanos's TSDB store does.
 */
final class LabelLookup {
  private final StoreSource source;
  private final ExternalLabels externalLabels;

  LabelLookup(StoreSource source) {
    this.source = source;
    this.externalLabels = new ExternalLabels(source.externalLabels());
  }

  LabelNamesResponse labelNames(LabelNamesRequest request) {
    Optional<List<LabelMatcher>> local =
        externalLabels.localMatchers(ProtoMatchers.fromProto(request.getMatchersList()));
    if (local.isEmpty()) {
      return LabelNamesResponse.getDefaultInstance();
    }
    try (Querier q = source.querier(request.getStart(), request.getEnd())) {
      List<String> names = q.labelNames(local.get().toArray(LabelMatcher[]::new));
      if (names.isEmpty()) {
        // No series, no external labels either.
        return LabelNamesResponse.getDefaultInstance();
      }
      TreeSet<String> all = new TreeSet<>(names);
      Labels ext = externalLabels.labels();
      for (int i = 0; i < ext.size(); i++) {
        all.add(ext.name(i));
      }
      return LabelNamesResponse.newBuilder().addAllNames(all).build();
    }
  }

  /**
   * @throws IllegalArgumentException for an empty label name
   */
  LabelValuesResponse labelValues(LabelValuesRequest request) {
    if (request.getLabel().isEmpty()) {
      throw new IllegalArgumentException("label name parameter cannot be empty");
    }
    Optional<List<LabelMatcher>> local =
        externalLabels.localMatchers(ProtoMatchers.fromProto(request.getMatchersList()));
    if (local.isEmpty()) {
      return LabelValuesResponse.getDefaultInstance();
    }
    LabelMatcher[] matchers = local.get().toArray(LabelMatcher[]::new);
    String external = externalLabels.labels().get(request.getLabel());
    if (!external.isEmpty() && matchers.length == 0) {
      // Every series has it, and nothing asks which series: no need to read.
      return LabelValuesResponse.newBuilder().addValues(external).build();
    }
    try (Querier q = source.querier(request.getStart(), request.getEnd())) {
      if (!external.isEmpty()) {
        return q.select(matchers).next()
            ? LabelValuesResponse.newBuilder().addValues(external).build()
            : LabelValuesResponse.getDefaultInstance();
      }
      List<String> values = q.labelValues(request.getLabel(), matchers);
      return LabelValuesResponse.newBuilder().addAllValues(values).build();
    }
  }
}
