package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelNamesResponse;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.storage.Querier;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Answers {@code LabelNames} and {@code LabelValues} from the parts of a {@link StoreSource}, each
 * part's external labels counted as labels of every series of that part, as Thanos's stores do.
 * The parts and their labels are read for every call.
 */
final class LabelLookup {
  private final StoreSource source;

  LabelLookup(StoreSource source) {
    this.source = source;
  }

  LabelNamesResponse labelNames(LabelNamesRequest request) {
    List<LabelMatcher> matchers = ProtoMatchers.fromProto(request.getMatchersList());
    TreeSet<String> all = new TreeSet<>(Utf8Order.COMPARATOR);
    for (StoreSource part : source.parts()) {
      ExternalLabels external = new ExternalLabels(part.externalLabels());
      Optional<List<LabelMatcher>> local = external.localMatchers(matchers);
      if (local.isEmpty()) {
        continue;
      }
      try (Querier q = part.querier(request.getStart(), request.getEnd())) {
        List<String> names = q.labelNames(local.get().toArray(LabelMatcher[]::new));
        if (names.isEmpty()) {
          continue; // no series, no external labels either
        }
        all.addAll(names);
        Labels ext = external.labels();
        for (int i = 0; i < ext.size(); i++) {
          all.add(ext.name(i));
        }
      }
    }
    return LabelNamesResponse.newBuilder().addAllNames(all).build();
  }

  /**
   * @throws IllegalArgumentException for an empty label name
   */
  LabelValuesResponse labelValues(LabelValuesRequest request) {
    if (request.getLabel().isEmpty()) {
      throw new IllegalArgumentException("label name parameter cannot be empty");
    }
    List<LabelMatcher> matchers = ProtoMatchers.fromProto(request.getMatchersList());
    TreeSet<String> all = new TreeSet<>(Utf8Order.COMPARATOR);
    for (StoreSource part : source.parts()) {
      ExternalLabels external = new ExternalLabels(part.externalLabels());
      Optional<List<LabelMatcher>> local = external.localMatchers(matchers);
      if (local.isEmpty()) {
        continue;
      }
      LabelMatcher[] m = local.get().toArray(LabelMatcher[]::new);
      String value = external.labels().get(request.getLabel());
      if (!value.isEmpty() && m.length == 0) {
        // Every series has it, and nothing asks which series: no need to read.
        if (part.minTime() <= request.getEnd() && part.maxTime() >= request.getStart()) {
          all.add(value);
        }
        continue;
      }
      try (Querier q = part.querier(request.getStart(), request.getEnd())) {
        if (value.isEmpty()) {
          all.addAll(q.labelValues(request.getLabel(), m));
        } else if (q.select(m).next()) {
          all.add(value);
        }
      }
    }
    return LabelValuesResponse.newBuilder().addAllValues(all).build();
  }
}
