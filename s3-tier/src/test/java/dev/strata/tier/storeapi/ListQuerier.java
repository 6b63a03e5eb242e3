package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** A querier over label sets without samples, for tests of the server's handling of labels. */
record ListQuerier(List<Labels> series, long minTime, long maxTime) implements Querier {
  @Override
  public SeriesSet select(LabelMatcher... matchers) {
    Iterator<Labels> it = matching(matchers).iterator();
    return new SeriesSet() {
      private Labels current;

      @Override
      public boolean next() {
        current = it.hasNext() ? it.next() : null;
        return current != null;
      }

      @Override
      public Series at() {
        Labels l = current;
        return new Series() {
          @Override
          public Labels labels() {
            return l;
          }

          @Override
          public SampleIterator samples() {
            return SampleIterator.EMPTY;
          }

          @Override
          public ChunkIterator chunks() {
            return new RemoteChunks(List.of());
          }
        };
      }
    };
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    TreeSet<String> names = new TreeSet<>();
    for (Labels l : matching(matchers)) {
      for (int i = 0; i < l.size(); i++) {
        names.add(l.name(i));
      }
    }
    return new ArrayList<>(names);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    TreeSet<String> values = new TreeSet<>();
    for (Labels l : matching(matchers)) {
      if (l.has(name)) {
        values.add(l.get(name));
      }
    }
    return new ArrayList<>(values);
  }

  @Override
  public void close() {}

  private TreeSet<Labels> matching(LabelMatcher... matchers) {
    TreeSet<Labels> out = new TreeSet<>();
    for (Labels l : series) {
      boolean all = true;
      for (LabelMatcher m : matchers) {
        all &= m.matches(l);
      }
      if (all) {
        out.add(l);
      }
    }
    return out;
  }
}
