package dev.strata.tier.query;

import dev.strata.tier.storeapi.proto.InfoRequest;
import dev.strata.tier.storeapi.proto.Label;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tier.storeapi.proto.StoreType;
import dev.strata.tier.storeapi.proto.ZLabelSet;
import dev.strata.tier.storeapi.proto.info.InfoGrpc;
import dev.strata.tier.storeapi.proto.info.InfoResponse;
import dev.strata.tier.storeapi.proto.info.StoreInfo;
import dev.strata.tsdb.labels.InvalidLabelsException;
import dev.strata.tsdb.labels.Labels;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One endpoint of an {@link EndpointSet}: its connection, and what its {@code Info} calls said.
 * Thread-safe.
 */
final class Endpoint {

  /** The label set Thanos's store gateway adds for old queriers; never a producer's labels. */
  static final String COMPATIBILITY_LABEL = "@thanos_compatibility_store_type";

  /** The component types Thanos knows; any other is {@link #UNKNOWN_TYPE}. */
  private static final Set<String> KNOWN_TYPES =
      Set.of("query", "rule", "sidecar", "store", "receive", "debug");

  static final String UNKNOWN_TYPE = "unknown-store-api";

  /** What one successful {@code Info} call said. */
  record Metadata(String componentType, List<Labels> labelSets, boolean storeApi, long minTime,
      long maxTime, boolean withoutReplicaLabels) {

    /**
     * What a strict endpoint that never answered stands for, as in Thanos: a StoreAPI of every
     * time and no labels, so that it is asked.
     */
    static final Metadata UNKNOWN_STRICT =
        new Metadata("", List.of(), true, Long.MIN_VALUE, Long.MAX_VALUE, false);
  }

  private final String address;
  private final boolean strict;
  private final ManagedChannel channel;
  private final long createdNanos;

  // Guarded by `this`.
  private Metadata metadata;
  private Instant lastCheck;
  private long lastCheckNanos;
  private String lastError;

  private Endpoint(String address, boolean strict, ManagedChannel channel) {
    this.address = address;
    this.strict = strict;
    this.channel = channel;
    this.createdNanos = System.nanoTime();
  }

  /**
   * An endpoint not yet checked, with a plaintext connection made as Thanos's querier makes its
   * own: no limit on message size, keepalive pings every 10 s answered within 5 s.
   *
   * @throws IllegalArgumentException if {@code address} is not a valid target
   */
  static Endpoint connect(String address, boolean strict) {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(address)
            .usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .keepAliveTime(10, TimeUnit.SECONDS)
            .keepAliveTimeout(5, TimeUnit.SECONDS)
            .build();
    return new Endpoint(address, strict, channel);
  }

  String address() {
    return address;
  }

  boolean strict() {
    return strict;
  }

  ManagedChannel channel() {
    return channel;
  }

  /**
   * Asks the endpoint what it is: {@code thanos.info.Info/Info} first, {@code thanos.Store/Info}
   * if it does not offer the Info service (an older component), both within {@code timeout} and
   * waiting for the connection to be up meanwhile. Records the answer, or the failure.
   */
  void check(Duration timeout) {
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      // A check is a reason to try now, whatever the reconnect backoff has reached.
      channel.resetConnectBackoff();
    }
    Deadline deadline = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
    Metadata answer;
    try {
      answer = info(deadline);
    } catch (StatusRuntimeException e) {
      failed(describe(e.getStatus()));
      return;
    } catch (InvalidLabelsException e) {
      failed("Info announces an invalid label set: " + e.getMessage());
      return;
    }
    synchronized (this) {
      metadata = answer;
      lastCheck = Instant.now();
      lastCheckNanos = System.nanoTime();
      lastError = null;
    }
  }

  private synchronized void failed(String error) {
    lastError = error;
    if (metadata == null && strict) {
      metadata = Metadata.UNKNOWN_STRICT;
    }
  }

  private Metadata info(Deadline deadline) {
    try {
      InfoResponse r = InfoGrpc.newBlockingStub(channel).withWaitForReady()
          .withDeadline(deadline).info(dev.strata.tier.storeapi.proto.info.InfoRequest
              .getDefaultInstance());
      StoreInfo store = r.getStore();
      String type = KNOWN_TYPES.contains(r.getComponentType())
          ? r.getComponentType() : UNKNOWN_TYPE;
      return new Metadata(type, labelSets(r.getLabelSetsList()), r.hasStore(),
          store.getMinTime(), store.getMaxTime(), store.getSupportsWithoutReplicaLabels());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
    }
    dev.strata.tier.storeapi.proto.InfoResponse r = StoreGrpc.newBlockingStub(channel)
        .withWaitForReady().withDeadline(deadline).info(InfoRequest.getDefaultInstance());
    StoreType type = r.getStoreType();
    // As Thanos's querier fills in the APIs of a component known only by its store type.
    boolean storeApi = type == StoreType.SIDECAR || type == StoreType.QUERY
        || type == StoreType.RECEIVE || type == StoreType.STORE || type == StoreType.RULE;
    return new Metadata(typeName(type), labelSets(r.getLabelSetsList()), storeApi,
        r.getMinTime(), r.getMaxTime(), false);
  }

  private static String typeName(StoreType type) {
    switch (type) {
      case QUERY:
        return "query";
      case RULE:
        return "rule";
      case SIDECAR:
        return "sidecar";
      case STORE:
        return "store";
      case RECEIVE:
        return "receive";
      case DEBUG:
        return "debug";
      default:
        return UNKNOWN_TYPE;
    }
  }

  /** The announced label sets, without empty ones and the store gateway's compatibility set. */
  private static List<Labels> labelSets(List<ZLabelSet> sets) {
    List<Labels> out = new ArrayList<>(sets.size());
    for (ZLabelSet set : sets) {
      if (set.getLabelsCount() == 0) {
        continue;
      }
      boolean compatibility = false;
      Labels.Builder b = Labels.builder();
      for (Label l : set.getLabelsList()) {
        if (l.getName().equals(COMPATIBILITY_LABEL)) {
          compatibility = true;
          break;
        }
        b.set(l.getName(), l.getValue());
      }
      if (!compatibility) {
        out.add(b.build());
      }
    }
    return out;
  }

  private String describe(Status status) {
    String what = status.getDescription() != null ? ": " + status.getDescription() : "";
    if (status.getCause() != null && status.getDescription() == null) {
      what = ": " + status.getCause();
    }
    return "Info on " + address + " failed: " + status.getCode() + what;
  }

  /** Whether queries may go to it: its last check succeeded, or it is a strict endpoint. */
  synchronized boolean queryable() {
    return strict || (metadata != null && lastError == null);
  }

  /** Whether it has a StoreAPI to query, as far as is known. */
  synchronized boolean hasStoreApi() {
    return metadata != null && metadata.storeApi();
  }

  /**
   * Whether it has been failing for {@code timeout}: created that long ago, and not answered
   * since. A strict endpoint never times out.
   */
  synchronized boolean timedOut(Duration timeout, long nowNanos) {
    if (strict || nowNanos - createdNanos < timeout.toNanos()) {
      return false;
    }
    long since = lastCheck == null ? createdNanos : lastCheckNanos;
    return nowNanos - since >= timeout.toNanos();
  }

  synchronized EndpointStatus status() {
    Metadata m = metadata != null ? metadata : Metadata.UNKNOWN_STRICT;
    // A strict endpoint that never answered has no type yet; Thanos lists no such endpoint.
    return new EndpointStatus(address, lastCheck == null ? "" : m.componentType(),
        Optional.ofNullable(lastCheck), Optional.ofNullable(lastError), m.labelSets(),
        m.minTime(), m.maxTime(), m.storeApi(), m.withoutReplicaLabels());
  }

  /** Closes the connection once the calls in flight are done. */
  void close() {
    channel.shutdown();
  }
}
