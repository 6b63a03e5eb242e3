package dev.strata.tier.query;

import dev.strata.downsample.AggrType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link ProxyQuerier} asks of every store besides the matchers and the range: the
 * options of one query in Thanos's querier ({@code dedup}, {@code partial_response},
 * {@code max_source_resolution}, {@code replicaLabels[]}).
 *
 * @param replicaLabels the labels telling replicas apart ({@code --query.replica-label})
 * @param dedup whether replicas are merged: with replica labels, stores are asked to drop them
 *     ({@code without_replica_labels}), so that series of replicas come back as one
 * @param partialResponse whether a store that fails is left out with a warning ({@code WARN})
 *     rather than failing the query ({@code ABORT})
 * @param maxResolutionWindow the coarsest downsampling resolution accepted, in milliseconds; 0
 *     asks for raw data only
 * @param aggregates the aggregates asked of downsampled data
 * @param skipChunks whether stores are asked for the series' labels only ({@code skip_chunks}),
 *     as for {@code /api/v1/series}
 */
public record ProxyRequest(List<String> replicaLabels, boolean dedup, boolean partialResponse,
    long maxResolutionWindow, Set<AggrType> aggregates, boolean skipChunks) {

  /**
   * What Thanos's querier asks for when nothing says otherwise: dedup and partial response on,
   * raw data, and the count and sum of downsampled windows (averages).
   */
  public static final ProxyRequest DEFAULTS = new ProxyRequest(
      List.of(), true, true, 0, EnumSet.of(AggrType.COUNT, AggrType.SUM), false);

  public ProxyRequest {
    replicaLabels = List.copyOf(replicaLabels);
    for (String l : replicaLabels) {
      if (l.isEmpty()) {
        throw new IllegalArgumentException("replica label name is empty");
      }
    }
    if (maxResolutionWindow < 0) {
      throw new IllegalArgumentException(
          "max resolution window must not be negative: " + maxResolutionWindow);
    }
    Objects.requireNonNull(aggregates, "aggregates");
    aggregates = aggregates.isEmpty()
        ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(aggregates));
  }

  /** The labels stores are asked to drop: the replica labels with dedup on, none otherwise. */
  public List<String> withoutReplicaLabels() {
    return dedup ? replicaLabels : List.of();
  }

  public ProxyRequest withReplicaLabels(String... labels) {
    return new ProxyRequest(List.of(labels), dedup, partialResponse, maxResolutionWindow,
        aggregates, skipChunks);
  }

  public ProxyRequest withDedup(boolean value) {
    return new ProxyRequest(replicaLabels, value, partialResponse, maxResolutionWindow,
        aggregates, skipChunks);
  }

  public ProxyRequest withPartialResponse(boolean value) {
    return new ProxyRequest(replicaLabels, dedup, value, maxResolutionWindow, aggregates,
        skipChunks);
  }

  public ProxyRequest withMaxResolutionWindow(long millis) {
    return new ProxyRequest(replicaLabels, dedup, partialResponse, millis, aggregates,
        skipChunks);
  }

  public ProxyRequest withAggregates(Set<AggrType> value) {
    return new ProxyRequest(replicaLabels, dedup, partialResponse, maxResolutionWindow, value,
        skipChunks);
  }

  public ProxyRequest withSkipChunks(boolean value) {
    return new ProxyRequest(replicaLabels, dedup, partialResponse, maxResolutionWindow,
        aggregates, value);
  }
}
