package dev.strata.tsdb.dedup;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.Arrays;
import java.util.List;

/**
 * Thanos's replica deduplication over a series set whose replica labels were removed: the series
 * of HA replicas, which differed only by those labels, now have equal labels, and each label set
 * comes out once with the replicas' samples deduplicated by Thanos's penalty algorithm.
 *
 * <p>The input must be sorted by labels. The replicas of a label set are the adjacent series with
 * those labels and, within each series, the runs of chunks that do not overlap in time (a store
 * that merged several replicas into one series sends their chunks side by side, sorted by first
 * timestamp, as Thanos's {@code dedup.NewOverlapSplit} expects). A series whose chunks do not
 * overlap, or that has no chunks to give, is one replica and is read by its samples. A label set
 * with one replica comes out unchanged.
 *
 * <p>For {@code rate}, {@code irate}, {@code increase} and {@code resets} the caller asks for
 * counter adjustment ({@link #adjustsCounters}): at a switch of replica, a replica whose counter is
 * below the value last read has the difference added to its following values, so that the switch
 * does not read as a counter reset. Other functions must not have it: it would distort gauges.
 * The replicas are checked against the last value at every switch, as Thanos's {@code
 * counterErrAdjustSeriesIterator} does (see {@code PenaltySamples} for its start).
 *
 * <p>The output series' {@link Series#samples()} are deduplicated. Their {@link Series#chunks()}
 * are those samples re-encoded as XOR chunks of up to 120 samples, since deduplicated samples
 * come from several replicas' chunks. A series is valid until the next call to {@link #next()}.
 * The samples of the current label set are copied into memory (see {@code Replicas}), unless the
 * input's series stay readable ({@link #overRetainedSeries}).
 */
public final class DedupSeriesSet implements SeriesSet {
  private final SeriesSet in;
  private final long mint;
  private final long maxt;
  private final boolean adjustCounters;
  private final Replicas replicas;
  private final DedupSeries series = new DedupSeries();

  private boolean started;
  private boolean inHasSeries; // `in` is on the first series of the next label set

  /**
   * Deduplicates {@code sorted}, keeping the samples in {@code [mint, maxt]}, the query's range:
   * replicas read chunk by chunk are cut to it before deduplication, as Thanos cuts each replica;
   * a series read by its samples is cut to it too, on top of what its source cut.
   *
   * @param adjustCounters whether to apply the counter adjustment, for {@code rate}, {@code
   *     irate}, {@code increase} and {@code resets} ({@link #adjustsCounters})
   */
  public DedupSeriesSet(SeriesSet sorted, long mint, long maxt, boolean adjustCounters) {
    this(sorted, mint, maxt, adjustCounters, false);
  }

  /**
   * Deduplicates {@code sorted}, whose series stay readable after it moves on and whose samples
   * lie in {@code [mint, maxt]} already (a querier's answer held in memory, its series cut to the
   * query's range): replicas are read from those series as deduplication reaches them instead of
   * being copied first, one decoding pass over every sample less.
   */
  public static DedupSeriesSet overRetainedSeries(
      SeriesSet sorted, long mint, long maxt, boolean adjustCounters) {
    return new DedupSeriesSet(sorted, mint, maxt, adjustCounters, true);
  }

  private DedupSeriesSet(
      SeriesSet sorted, long mint, long maxt, boolean adjustCounters, boolean retained) {
    this.replicas = new Replicas(retained);
    this.in = sorted;
    this.mint = mint;
    this.maxt = maxt;
    this.adjustCounters = adjustCounters;
  }

  /**
   * Whether deduplication for the PromQL function {@code function} (the function applied to the
   * selected series, null for none) adjusts counters, as Thanos decides it.
   */
  public static boolean adjustsCounters(String function) {
    return "rate".equals(function)
        || "irate".equals(function)
        || "increase".equals(function)
        || "resets".equals(function);
  }

  /**
   * The replicas' samples deduplicated by the penalty algorithm, the replicas chained pairwise in
   * the order given; with {@code adjustCounters}, with the counter adjustment. One replica is
   * returned as it is.
   *
   * @throws IllegalArgumentException if {@code replicas} is empty
   */
  public static SampleIterator deduplicate(
      List<? extends SampleIterator> replicas, boolean adjustCounters) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no replicas");
    }
    if (replicas.size() == 1) {
      return replicas.get(0);
    }
    SampleIterator out = replica(replicas.get(0), adjustCounters);
    for (int r = 1; r < replicas.size(); r++) {
      out = new PenaltySamples(out, replica(replicas.get(r), adjustCounters), adjustCounters);
    }
    return out;
  }

  private static SampleIterator replica(SampleIterator samples, boolean adjustCounters) {
    return adjustCounters ? new CounterAdjustedSamples(samples) : samples;
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      inHasSeries = in.next();
    }
    if (!inHasSeries) {
      series.labels = null;
      return false;
    }
    Labels labels = in.at().labels();
    replicas.clear();
    do {
      replicas.add(in.at(), mint, maxt);
      inHasSeries = in.next();
    } while (inHasSeries && labels.equals(in.at().labels()));
    series.labels = labels;
    return true;
  }

  @Override
  public Series at() {
    return series;
  }

  private final class DedupSeries implements Series {
    private Labels labels;

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public SampleIterator samples() {
      SampleIterator[] each = new SampleIterator[replicas.count()];
      for (int r = 0; r < each.length; r++) {
        each[r] = replicas.samples(r);
      }
      return deduplicate(Arrays.asList(each), adjustCounters);
    }

    @Override
    public ChunkIterator chunks() {
      return new Rechunked(samples());
    }
  }
}
