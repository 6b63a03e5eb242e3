package dev.strata.tier.query;

import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.StoreClient;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.LabelNamesRequest;
import dev.strata.tier.storeapi.proto.LabelValuesRequest;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A {@link Querier} over the StoreAPI endpoints of an {@link EndpointSet}, as Thanos's querier
 * reads its stores: a call goes, in parallel, to every healthy endpoint that {@linkplain
 * StoreSelection may hold} what it asks for, and the answers are merged: series in label order,
 * those several endpoints sent as one with each identical chunk once; label names and values
 * sorted, each once.
 *
 * <p>With {@linkplain ProxyRequest#partialResponse() partial response} on, an endpoint that fails
 * is left out and a warning naming it is added to {@link #warnings()}; with it off, the call fails
 * with an {@link EndpointException} naming it. Warnings the endpoints send are in {@link
 * #warnings()} too.
 *
 * <p>Series carry raw chunks where the endpoints send them; downsampled data is read as the
 * aggregation the request's aggregates imply ({@link StoreClient#aggregationFor}): the one
 * aggregate asked for, or the average for count and sum. Not thread-safe, as every querier; the endpoints are read on the set's threads.
 */
public final class ProxyQuerier implements Querier {
  private final EndpointSet endpoints;
  private final long mint;
  private final long maxt;
  private final ProxyRequest options;
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<SeriesStream> streams = new ArrayList<>();
  private boolean closed;

  private ProxyQuerier(EndpointSet endpoints, long mint, long maxt, ProxyRequest options) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.options = Objects.requireNonNull(options, "options");
    this.mint = mint;
    this.maxt = maxt;
  }

  /** A querier over {@code [mint, maxt]} (inclusive, milliseconds) of the endpoints' data. */
  public static ProxyQuerier open(
      EndpointSet endpoints, long mint, long maxt, ProxyRequest options) {
    return new ProxyQuerier(endpoints, mint, maxt, options);
  }

  @Override
  public long minTime() {
    return mint;
  }

  @Override
  public long maxTime() {
    return maxt;
  }

  /** What this querier asks of the endpoints. */
  public ProxyRequest options() {
    return options;
  }

  /**
   * The series of every selected endpoint, merged. With dedup on and replica labels given, the
   * endpoints drop those labels, so that a series of several replicas is one series holding the
   * chunks of each (identical chunks once). The series are held in memory: each stays readable
   * after the set moves on, its samples cut to {@code [mint, maxt]}.
   *
   * @throws EndpointException if an endpoint fails and partial response is off (also while
   *     iterating)
   */
  @Override
  public SeriesSet select(LabelMatcher... matchers) {
    ensureOpen();
    SeriesRequest request = seriesRequest(matchers);
    List<SeriesStream> started = new ArrayList<>();
    for (Endpoint e : selected(matchers)) {
      boolean resort = !request.getWithoutReplicaLabelsList().isEmpty()
          && !e.status().supportsWithoutReplicaLabels();
      started.add(new SeriesStream(e, request, mint, maxt, resort, !options.partialResponse(),
          warnings::add).start(endpoints.workers()));
    }
    streams.addAll(started);
    try {
      return new MergedSeriesSet(started, options.partialResponse(), warnings::add, mint, maxt);
    } catch (RuntimeException e) {
      started.forEach(SeriesStream::cancel);
      throw e;
    }
  }

  /** @throws EndpointException if an endpoint fails and partial response is off */
  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    ensureOpen();
    LabelNamesRequest request =
        LabelNamesRequest.newBuilder()
            .setStart(mint)
            .setEnd(maxt)
            .addAllMatchers(Wire.toProto(matchers))
            .setPartialResponseDisabled(!options.partialResponse())
            .setPartialResponseStrategy(strategy())
            .build();
    return fanOut("fetch label names from store", matchers, c -> c.labelNames(request));
  }

  /** @throws EndpointException if an endpoint fails and partial response is off */
  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    ensureOpen();
    LabelValuesRequest request =
        LabelValuesRequest.newBuilder()
            .setLabel(name)
            .setStart(mint)
            .setEnd(maxt)
            .addAllMatchers(Wire.toProto(matchers))
            .setPartialResponseDisabled(!options.partialResponse())
            .setPartialResponseStrategy(strategy())
            .build();
    return fanOut("fetch label values from store", matchers, c -> c.labelValues(request));
  }

  /**
   * Warnings of the calls so far, oldest first: endpoints left out under partial response, and
   * what the endpoints warned of.
   */
  @Override
  public List<String> warnings() {
    return Collections.unmodifiableList(new ArrayList<>(warnings));
  }

  /** Cancels what the endpoints are still sending. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    streams.forEach(SeriesStream::cancel);
    streams.clear();
  }

  /** The healthy endpoints with a StoreAPI that may hold series matching {@code matchers}. */
  private List<Endpoint> selected(LabelMatcher... matchers) {
    List<LabelMatcher> ms = List.of(matchers);
    List<Endpoint> out = new ArrayList<>();
    for (Endpoint e : endpoints.queryableStores()) {
      if (StoreSelection.matches(e.status(), mint, maxt, ms)) {
        out.add(e);
      }
    }
    return out;
  }

  private SeriesRequest seriesRequest(LabelMatcher... matchers) {
    SeriesRequest.Builder b =
        SeriesRequest.newBuilder()
            .setMinTime(mint)
            .setMaxTime(maxt)
            .addAllMatchers(Wire.toProto(matchers))
            .setMaxResolutionWindow(options.maxResolutionWindow())
            .setPartialResponseDisabled(!options.partialResponse())
            .setPartialResponseStrategy(strategy())
            .setSkipChunks(options.skipChunks())
            .addAllWithoutReplicaLabels(options.withoutReplicaLabels());
    for (AggrType a : options.aggregates()) {
      b.addAggregates(aggr(a));
    }
    return b.build();
  }

  private PartialResponseStrategy strategy() {
    return options.partialResponse()
        ? PartialResponseStrategy.WARN : PartialResponseStrategy.ABORT;
  }

  private static Aggr aggr(AggrType type) {
    switch (type) {
      case COUNT:
        return Aggr.COUNT;
      case SUM:
        return Aggr.SUM;
      case MIN:
        return Aggr.MIN;
      case MAX:
        return Aggr.MAX;
      case COUNTER:
        return Aggr.COUNTER;
      default:
        throw new IllegalArgumentException("unknown aggregate " + type);
    }
  }

  /** Asks every selected endpoint at once; their answers sorted, each once. */
  private List<String> fanOut(String what, LabelMatcher[] matchers,
      Function<StoreClient, List<String>> call) {
    ExecutorService workers = endpoints.workers();
    List<Endpoint> selected = selected(matchers);
    List<StoreClient> clients = new ArrayList<>(selected.size());
    List<Future<List<String>>> answers = new ArrayList<>(selected.size());
    for (Endpoint e : selected) {
      StoreClient c = StoreClient.onSharedChannel(e.channel(), e.address(), mint, maxt);
      clients.add(c);
      answers.add(workers.submit(() -> call.apply(c)));
    }
    TreeSet<String> merged = new TreeSet<>(Utf8Order.COMPARATOR);
    try {
      for (int i = 0; i < selected.size(); i++) {
        String address = selected.get(i).address();
        try {
          merged.addAll(answers.get(i).get());
          warnings.addAll(clients.get(i).warnings());
        } catch (ExecutionException e) {
          String message = what + " " + address + ": " + Wire.describe(e.getCause());
          if (!options.partialResponse()) {
            throw new EndpointException(address, message, e.getCause());
          }
          warnings.add(message);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the endpoints", e);
    } finally {
      clients.forEach(StoreClient::close);
    }
    return List.copyOf(merged);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("querier is closed");
    }
  }
}
