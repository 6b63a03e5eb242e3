package dev.strata.tier.query;

import dev.strata.downsample.AggrType;
import dev.strata.downsample.Aggregation;
import dev.strata.promql.Queryable;
import dev.strata.promql.SelectHints;
import dev.strata.tsdb.dedup.DedupSeriesSet;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The PromQL engine's source over the endpoints of an {@link EndpointSet}, as Thanos's querier
 * reads its stores for one request: every querier is a {@link ProxyQuerier} asking with {@code
 * request}, and, with dedup on and replica labels given, its series are deduplicated
 * ({@link DedupSeriesSet}), with the counter adjustment when the engine says the samples feed
 * {@code rate}, {@code irate}, {@code increase} or {@code resets}.
 *
 * <p>The aggregates asked of downsampled data follow the function as Thanos chooses them: min or
 * max for {@code min*}/{@code max*}, count for {@code count*}, sum for {@code sum_*}, counter for
 * the counter functions, count and sum (an average) otherwise.
 *
 * <p>A lookup of series without samples ({@link SelectHints#labelsOnly()}, as {@code
 * /api/v1/series} makes) asks the stores for labels only ({@code skip_chunks}) at any resolution,
 * as Thanos's series API does: a series kept only in downsampled blocks is a series too.
 */
public final class EndpointQueryable implements Queryable {
  private final EndpointSet endpoints;
  private final ProxyRequest request;

  public EndpointQueryable(EndpointSet endpoints, ProxyRequest request) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.request = Objects.requireNonNull(request, "request");
  }

  /** What every querier asks of the endpoints, besides the aggregates a function chooses. */
  public ProxyRequest request() {
    return request;
  }

  /** A querier with no function known: count and sum of downsampled data, no counter adjustment. */
  @Override
  public Querier querier(long mint, long maxt) {
    return open(mint, maxt, request, false);
  }

  @Override
  public Querier querier(long mint, long maxt, SelectHints hints) {
    if (hints != null && hints.labelsOnly()) {
      return open(mint, maxt,
          request.withSkipChunks(true).withMaxResolutionWindow(Long.MAX_VALUE), false);
    }
    String function = hints == null ? null : hints.function();
    return open(mint, maxt, request.withAggregates(aggregates(function)),
        DedupSeriesSet.adjustsCounters(function));
  }

  /** The aggregates Thanos's querier asks of downsampled data for {@code function} (or null). */
  public static Set<AggrType> aggregates(String function) {
    // One mapping from function to aggregation, the downsample module's, for asking and reading.
    AggrType stored = Aggregation.forFunction(function).stored();
    return stored == null ? EnumSet.of(AggrType.COUNT, AggrType.SUM) : EnumSet.of(stored);
  }

  private Querier open(long mint, long maxt, ProxyRequest r, boolean adjustCounters) {
    ProxyQuerier q = ProxyQuerier.open(endpoints, mint, maxt, r);
    if (r.withoutReplicaLabels().isEmpty()) {
      return q;
    }
    return new Deduplicating(q, adjustCounters);
  }

  /** The proxy's series deduplicated; the rest as the proxy answers. */
  private static final class Deduplicating implements Querier {
    private final ProxyQuerier in;
    private final boolean adjustCounters;

    Deduplicating(ProxyQuerier in, boolean adjustCounters) {
      this.in = in;
      this.adjustCounters = adjustCounters;
    }

    @Override
    public long minTime() {
      return in.minTime();
    }

    @Override
    public long maxTime() {
      return in.maxTime();
    }

    @Override
    public SeriesSet select(LabelMatcher... matchers) {
      // The proxy's series are held in memory and cut to its range: read where they are.
      return DedupSeriesSet.overRetainedSeries(
          in.select(matchers), in.minTime(), in.maxTime(), adjustCounters);
    }

    @Override
    public List<String> labelNames(LabelMatcher... matchers) {
      return in.labelNames(matchers);
    }

    @Override
    public List<String> labelValues(String name, LabelMatcher... matchers) {
      return in.labelValues(name, matchers);
    }

    @Override
    public List<String> warnings() {
      return in.warnings();
    }

    @Override
    public void close() {
      in.close();
    }
  }
}
