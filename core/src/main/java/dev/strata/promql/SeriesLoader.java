package dev.strata.promql;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves a selector once through the index and decodes every selected sample once into primitive
 * arrays, for the whole time range the query needs from it.
 */
final class SeriesLoader {
  private final Queryable queryable;
  private final QueryTracker tracker;
  // Decode buffers, reused across series and selectors of one query.
  private long[] tBuf = new long[256];
  private double[] vBuf = new double[256];

  SeriesLoader(Queryable queryable, QueryTracker tracker) {
    this.queryable = queryable;
    this.tracker = tracker;
  }

  /**
   * The series matching {@code matchers} with their samples in {@code [mint, maxt]}, sorted by
   * labels. Stale markers are kept when {@code keepStale} (an instant selector needs them to end a
   * series) and dropped otherwise (range selectors skip them). Series left without samples are
   * dropped.
   */
  List<RawSeries> load(
      List<LabelMatcher> matchers, long mint, long maxt, SelectHints hints, boolean keepStale) {
    List<RawSeries> out = new ArrayList<>();
    if (mint > maxt) {
      return out;
    }
    LabelMatcher[] ms = matchers.toArray(new LabelMatcher[0]);
    try (Querier q = queryable.querier(mint, maxt, hints)) {
      SeriesSet set = q.select(ms);
      while (set.next()) {
        tracker.checkDeadline();
        Series s = set.at();
        SampleIterator it = s.samples();
        int n = 0;
        if (it.seek(mint)) {
          do {
            long t = it.t();
            if (t > maxt) {
              break;
            }
            double v = it.v();
            if (!keepStale && StaleMarker.is(v)) {
              continue;
            }
            if (n == tBuf.length) {
              tBuf = Arrays.copyOf(tBuf, n * 2);
              vBuf = Arrays.copyOf(vBuf, n * 2);
            }
            tBuf[n] = t;
            vBuf[n] = v;
            n++;
          } while (it.next());
        }
        tracker.seriesLoaded(n);
        if (n > 0) {
          out.add(new RawSeries(s.labels(), Arrays.copyOf(tBuf, n), Arrays.copyOf(vBuf, n), n));
        }
      }
      tracker.warnings(q.warnings());
    } catch (QueryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new QueryException(
          QueryException.ErrorType.INTERNAL, "expanding series: " + e.getMessage(), e);
    }
    return out;
  }
}
