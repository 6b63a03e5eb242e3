package dev.strata.tier.query;

import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.ComponentType;
import dev.strata.tier.storeapi.NamedQuerier;
import dev.strata.tier.storeapi.StoreQuery;
import dev.strata.tier.storeapi.StoreSource;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Querier;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The endpoints of an {@link EndpointSet} served on the StoreAPI as one store, as {@code thanos
 * query} serves its own stores to a querier above it (component type {@code query}). Series come
 * from a {@link ProxyQuerier} with their stores' external labels already set, so the source adds
 * none of its own; its range is the union of its stores'. A querier above deduplicates, not this
 * one: its request's {@code without_replica_labels} is applied by the server.
 *
 * <p>Not carried through yet: the request's partial-response strategy (the source asks its stores
 * with {@code partialResponse} as given) and its warnings (an endpoint left out is not reported to
 * the querier above).
 */
public final class EndpointStoreSource implements StoreSource {
  private final EndpointSet endpoints;
  private final boolean partialResponse;

  public EndpointStoreSource(EndpointSet endpoints, boolean partialResponse) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.partialResponse = partialResponse;
  }

  @Override
  public ComponentType componentType() {
    return ComponentType.QUERY;
  }

  @Override
  public Labels externalLabels() {
    return Labels.EMPTY;
  }

  @Override
  public long minTime() {
    long min = Long.MAX_VALUE;
    for (EndpointStatus s : endpoints.stores()) {
      min = Math.min(min, s.minTime());
    }
    return min;
  }

  @Override
  public long maxTime() {
    List<EndpointStatus> stores = endpoints.stores();
    if (stores.isEmpty()) {
      return Long.MAX_VALUE; // with minTime MAX_VALUE: holds nothing
    }
    long max = Long.MIN_VALUE;
    for (EndpointStatus s : stores) {
      max = Math.max(max, s.maxTime());
    }
    return max;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return ProxyQuerier.open(endpoints, mint, maxt, request(0, StoreQuery.DEFAULT_AGGREGATES));
  }

  /** One querier over every endpoint, asking for the resolution and aggregates requested. */
  @Override
  public List<NamedQuerier> queriers(StoreQuery query) {
    ProxyRequest r = request(query.maxResolutionWindow(), query.aggregates());
    return List.of(new NamedQuerier("query",
        () -> ProxyQuerier.open(endpoints, query.minTime(), query.maxTime(), r)));
  }

  private ProxyRequest request(long maxResolutionWindow,
      Set<AggrType> aggregates) {
    return ProxyRequest.DEFAULTS.withDedup(false).withPartialResponse(partialResponse)
        .withMaxResolutionWindow(maxResolutionWindow).withAggregates(aggregates);
  }
}
