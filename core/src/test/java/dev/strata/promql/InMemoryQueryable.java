package dev.strata.promql;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Series held in memory, for engine tests that need many small databases quickly. */
final class InMemoryQueryable implements Queryable {
  private final TreeMap<Labels, List<long[]>> series = new TreeMap<>();
  private final TreeMap<Labels, List<Double>> values = new TreeMap<>();

  InMemoryQueryable add(Labels labels, long t, double v) {
    series.computeIfAbsent(labels, k -> new ArrayList<>()).add(new long[] {t});
    values.computeIfAbsent(labels, k -> new ArrayList<>()).add(v);
    return this;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public long minTime() {
        return mint;
      }

      @Override
      public long maxTime() {
        return maxt;
      }

      @Override
      public SeriesSet select(LabelMatcher... matchers) {
        List<Labels> matching = new ArrayList<>();
        for (Labels l : series.keySet()) {
          boolean ok = true;
          for (LabelMatcher m : matchers) {
            ok &= m.matches(l);
          }
          if (ok) {
            matching.add(l);
          }
        }
        return new SeriesSet() {
          int i = -1;

          @Override
          public boolean next() {
            return ++i < matching.size();
          }

          @Override
          public Series at() {
            Labels l = matching.get(i);
            return new Series() {
              @Override
              public Labels labels() {
                return l;
              }

              @Override
              public SampleIterator samples() {
                return iterator(series.get(l), values.get(l), mint, maxt);
              }

              @Override
              public ChunkIterator chunks() {
                throw new UnsupportedOperationException();
              }
            };
          }
        };
      }

      @Override
      public List<String> labelNames(LabelMatcher... matchers) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<String> labelValues(String name, LabelMatcher... matchers) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {}
    };
  }

  private static SampleIterator iterator(List<long[]> ts, List<Double> vs, long mint, long maxt) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      long t = ts.get(i)[0];
      if (t >= mint && t <= maxt) {
        idx.add(i);
      }
    }
    return new SampleIterator() {
      int p = -1;

      @Override
      public boolean next() {
        return ++p < idx.size();
      }

      @Override
      public boolean seek(long t) {
        if (p < 0) {
          p = 0;
        }
        while (p < idx.size() && ts.get(idx.get(p))[0] < t) {
          p++;
        }
        return p < idx.size();
      }

      @Override
      public long t() {
        return ts.get(idx.get(p))[0];
      }

      @Override
      public double v() {
        return vs.get(idx.get(p));
      }
    };
  }
}
