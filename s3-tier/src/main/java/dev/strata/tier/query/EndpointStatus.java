package dev.strata.tier.query;

import dev.strata.tsdb.labels.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a querier knows of one StoreAPI endpoint from its last {@code Info} calls, as Thanos's
 * querier shows it on its Stores page and in {@code /api/v1/stores}.
 *
 * @param address the endpoint, {@code host:port}
 * @param componentType what it presents itself as ({@code "sidecar"}, {@code "store"},
 *     {@code "query"}, {@code "rule"}, {@code "receive"}, {@code "debug"}, or
 *     {@code "unknown-store-api"}); empty while it has never answered
 * @param lastCheck when it last answered {@code Info}; empty while it never has
 * @param lastError why the latest {@code Info} call failed; empty when it succeeded
 * @param labelSets the external label sets it announces
 * @param minTime the earliest timestamp it announces (inclusive, milliseconds)
 * @param maxTime the latest timestamp it announces (inclusive)
 * @param storeApi whether it offers the StoreAPI, i.e. whether series are asked of it
 * @param supportsWithoutReplicaLabels whether it drops replica labels itself, keeping its answer
 *     sorted without them
 */
public record EndpointStatus(
    String address,
    String componentType,
    Optional<Instant> lastCheck,
    Optional<String> lastError,
    List<Labels> labelSets,
    long minTime,
    long maxTime,
    boolean storeApi,
    boolean supportsWithoutReplicaLabels) {

  public EndpointStatus {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(componentType, "componentType");
    Objects.requireNonNull(lastCheck, "lastCheck");
    Objects.requireNonNull(lastError, "lastError");
    labelSets = List.copyOf(labelSets);
  }

  /** Whether its latest {@code Info} call succeeded. */
  public boolean healthy() {
    return lastError.isEmpty();
  }
}
