package dev.strata.tier.storeapi;

import dev.strata.downsample.Aggregation;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelNamesResponse;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesResponse;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.StoreGrpc;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One StoreAPI endpoint (a Thanos sidecar, store gateway, querier, or a Strata
 * {@link StoreServer}) read as a Strata {@link Querier} over {@code [mint, maxt]}. Series arrive
 * as they are streamed and their chunks are decoded only when read. Warnings the endpoint sends
 * are collected in {@link #warnings()}. Closing the client cancels the calls it started and, when
 * it owns its channel, closes the channel. Not thread-safe.
 */
public final class StoreClient implements Querier {

  /** Keepalive as Thanos's clients have it: a dead endpoint is noticed within seconds. */
  private static final long KEEPALIVE_SECONDS = 10;

  private static final long KEEPALIVE_TIMEOUT_SECONDS = 5;

  /** The channel to shut down on close; null when someone else owns it. */
  private final ManagedChannel owned;
  private final String endpoint;
  private final Channel channel;
  private final StoreGrpc.StoreBlockingStub stub;
  /** Every call starts in this context, so that closing the client cancels the calls in flight. */
  private final Context.CancellableContext calls = Context.current().withCancellation();
  private final long mint;
  private final long maxt;
  private final List<String> warnings = new ArrayList<>();

  /** A client that owns {@code channel} and closes it on {@link #close()}. */
  public StoreClient(ManagedChannel channel, long mint, long maxt) {
    this(Objects.requireNonNull(channel, "channel"), channel, channel.authority(), mint, maxt);
  }

  private StoreClient(
      ManagedChannel owned, Channel channel, String endpoint, long mint, long maxt) {
    this.owned = owned;
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.channel = channel;
    this.stub = StoreGrpc.newBlockingStub(channel).withMaxInboundMessageSize(Integer.MAX_VALUE);
    this.mint = mint;
    this.maxt = maxt;
  }

  /**
   * A client on a channel its caller owns and keeps open, e.g. one of a querier's long-lived
   * connections to its endpoints: {@link #close()} cancels this client's calls only.
   *
   * @param endpoint the name failures give the endpoint, e.g. its {@code host:port}
   */
  public static StoreClient onSharedChannel(
      Channel channel, String endpoint, long mint, long maxt) {
    return new StoreClient(null, Objects.requireNonNull(channel, "channel"), endpoint, mint, maxt);
  }

  /** A client of the plaintext endpoint {@code target} ({@code host:port}). */
  public static StoreClient connect(String target, long mint, long maxt) {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(target)
            .usePlaintext()
            .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
            .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .build();
    return new StoreClient(channel, mint, maxt);
  }

  @Override
  public long minTime() {
    return mint;
  }

  @Override
  public long maxTime() {
    return maxt;
  }

  /**
   * Streams the matching series. The endpoint fails the whole call rather than leave some data
   * out ({@code ABORT}): a query over a Strata querier has no way to show a partial result.
   *
   * @throws StoreApiException when the endpoint fails or rejects the call, also while iterating
   */
  @Override
  public SeriesSet select(LabelMatcher... matchers) {
    SeriesRequest request =
        SeriesRequest.newBuilder()
            .setMinTime(mint)
            .setMaxTime(maxt)
            .addAllMatchers(ProtoMatchers.toProto(matchers))
            .setPartialResponseStrategy(PartialResponseStrategy.ABORT)
            .build();
    return select(request);
  }

  /**
   * Streams the series of a full request (e.g. with {@code without_replica_labels} or
   * {@code skip_chunks}); the querier's range is not applied to the request, only to samples.
   *
   * @throws StoreApiException when the endpoint fails or rejects the call, also while iterating
   */
  public SeriesSet select(SeriesRequest request) {
    return select(request, aggregationFor(request.getAggregatesList()));
  }

  /**
   * Streams the series of a full request, reading {@code aggregation} from downsampled chunks
   * (raw chunks are read as they are). The request must ask for the aggregates it needs.
   *
   * @throws StoreApiException when the endpoint fails or rejects the call, also while iterating
   */
  public SeriesSet select(SeriesRequest request, Aggregation aggregation) {
    Objects.requireNonNull(aggregation, "aggregation");
    Iterator<SeriesResponse> frames = call("Series",
        () -> SeriesFrames.start(channel, stub.getCallOptions(), request));
    return new RemoteSeriesSet(
        failingAs("Series", frames), warnings::add, mint, maxt, aggregation, endpoint);
  }

  /**
   * What to read from downsampled chunks sent for a request asking for {@code aggregates}: the
   * one aggregate asked for alone, otherwise the average (sum / count), which is what a request
   * asking for none, or for count and sum, gets. This matches how Thanos's querier chooses
   * the aggregates from the PromQL function ({@link Aggregation#forFunction}).
   */
  public static Aggregation aggregationFor(Collection<Aggr> aggregates) {
    if (aggregates.size() != 1) {
      return Aggregation.AVERAGE;
    }
    switch (aggregates.iterator().next()) {
      case COUNT:
        return Aggregation.COUNT;
      case SUM:
        return Aggregation.SUM;
      case MIN:
        return Aggregation.MIN;
      case MAX:
        return Aggregation.MAX;
      case COUNTER:
        return Aggregation.COUNTER;
      default:
        return Aggregation.AVERAGE;
    }
  }

  /** @throws StoreApiException when the endpoint fails or rejects the call */
  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    return labelNames(
        LabelNamesRequest.newBuilder()
            .setStart(mint)
            .setEnd(maxt)
            .setPartialResponseStrategy(PartialResponseStrategy.ABORT)
            .addAllMatchers(ProtoMatchers.toProto(matchers))
            .build());
  }

  /**
   * The label names a full request asks for (its own range and partial-response strategy); the
   * warnings of the answer are added to {@link #warnings()}.
   *
   * @throws StoreApiException when the endpoint fails or rejects the call
   */
  public List<String> labelNames(LabelNamesRequest request) {
    LabelNamesResponse response = call("LabelNames", () -> stub.labelNames(request));
    warnings.addAll(response.getWarningsList());
    return response.getNamesList();
  }

  /** @throws StoreApiException when the endpoint fails or rejects the call */
  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    return labelValues(
        LabelValuesRequest.newBuilder()
            .setLabel(name)
            .setStart(mint)
            .setEnd(maxt)
            .setPartialResponseStrategy(PartialResponseStrategy.ABORT)
            .addAllMatchers(ProtoMatchers.toProto(matchers))
            .build());
  }

  /**
   * The label values a full request asks for; the warnings of the answer are added to {@link
   * #warnings()}.
   *
   * @throws StoreApiException when the endpoint fails or rejects the call
   */
  public List<String> labelValues(LabelValuesRequest request) {
    LabelValuesResponse response = call("LabelValues", () -> stub.labelValues(request));
    warnings.addAll(response.getWarningsList());
    return response.getValuesList();
  }

  /** Warnings the endpoint has sent so far, oldest first. */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  /** Cancels any stream still being read and closes the channel if the client owns it. */
  @Override
  public void close() {
    calls.cancel(null);
    if (owned == null) {
      return;
    }
    owned.shutdownNow();
    try {
      owned.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts or continues a call inside {@link #calls}, its failures as StoreApiException. */
  private <T> T call(String name, Supplier<T> rpc) {
    Context previous = calls.attach();
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw new StoreApiException(endpoint, name, e.getStatus(), e);
    } finally {
      calls.detach(previous);
    }
  }

  /** Frames whose transport or server errors surface as {@link StoreApiException}. */
  private Iterator<SeriesResponse> failingAs(String name, Iterator<SeriesResponse> frames) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return call(name, frames::hasNext);
      }

      @Override
      public SeriesResponse next() {
        return call(name, frames::next);
      }
    };
  }
}
