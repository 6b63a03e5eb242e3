package dev.strata.tier.store;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.query.Closing;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Several queriers as one: series merged by labels, samples by time with duplicates (the same
 * timestamp in more than one querier, as when a block is both local and in the bucket) dropped.
 * Used to put a {@code Tsdb}'s own querier (head, local blocks, deletions applied) beside a querier
 * over bucket blocks. Closing closes the parts.
 */
final class QuerierUnion implements Querier {
  private final List<Querier> parts;
  private final long mint;
  private final long maxt;

  QuerierUnion(List<Querier> parts, long mint, long maxt) {
    this.parts = List.copyOf(parts);
    this.mint = mint;
    this.maxt = maxt;
  }

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
    List<SeriesSet> sets = new ArrayList<>(parts.size());
    for (Querier q : parts) {
      sets.add(q.select(matchers));
    }
    return new Union(sets);
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    parts.forEach(q -> out.addAll(q.labelNames(matchers)));
    return List.copyOf(out);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    parts.forEach(q -> out.addAll(q.labelValues(name, matchers)));
    return List.copyOf(out);
  }

  @Override
  public void close() {
    Closing.closeAll(parts, Querier::close);
  }

  private static final class Union implements SeriesSet, Series {
    private final List<SeriesSet> sets;
    private final boolean[] live;
    private final List<Series> current = new ArrayList<>();
    private final List<Integer> currentSets = new ArrayList<>();
    private boolean started;
    private Labels labels;

    Union(List<SeriesSet> sets) {
      this.sets = sets;
      this.live = new boolean[sets.size()];
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        for (int i = 0; i < sets.size(); i++) {
          live[i] = sets.get(i).next();
        }
      } else {
        for (int i : currentSets) {
          live[i] = sets.get(i).next();
        }
      }
      current.clear();
      currentSets.clear();
      Labels min = null;
      for (int i = 0; i < sets.size(); i++) {
        if (live[i]) {
          Labels l = sets.get(i).at().labels();
          if (min == null || l.compareTo(min) < 0) {
            min = l;
          }
        }
      }
      if (min == null) {
        labels = null;
        return false;
      }
      for (int i = 0; i < sets.size(); i++) {
        if (live[i] && sets.get(i).at().labels().equals(min)) {
          current.add(sets.get(i).at());
          currentSets.add(i);
        }
      }
      labels = min;
      return true;
    }

    @Override
    public Series at() {
      return this;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public SampleIterator samples() {
      if (current.size() == 1) {
        return current.get(0).samples();
      }
      List<SampleIterator> its = new ArrayList<>();
      current.forEach(s -> its.add(s.samples()));
      return new MergedSamples(its);
    }

    @Override
    public ChunkIterator chunks() {
      if (current.size() == 1) {
        return current.get(0).chunks();
      }
      // Chunks of all parts, by start time; they may overlap, as chunks of overlapping blocks do.
      List<Chunk> all = new ArrayList<>();
      for (Series s : current) {
        ChunkIterator it = s.chunks();
        while (it.next()) {
          all.add(new Chunk(it.minTime(), it.maxTime(), it.encoding(), it.bytes(), it.samples()));
        }
      }
      all.sort(Comparator.comparingLong(Chunk::minTime));
      return new ChunkIterator() {
        int i = -1;

        @Override
        public boolean next() {
          return ++i < all.size();
        }

        @Override
        public long minTime() {
          return all.get(i).minTime();
        }

        @Override
        public long maxTime() {
          return all.get(i).maxTime();
        }

        @Override
        public byte encoding() {
          return all.get(i).encoding();
        }

        @Override
        public byte[] bytes() {
          return all.get(i).bytes();
        }

        @Override
        public SampleIterator samples() {
          return all.get(i).samples();
        }
      };
    }
  }

  private record Chunk(long minTime, long maxTime, byte encoding, byte[] bytes, SampleIterator samples) {}

  /** Samples of several iterators in time order; of equal timestamps the first iterator's wins. */
  static final class MergedSamples implements SampleIterator {
    private final List<SampleIterator> its;
    private final boolean[] has;
    private boolean started;
    private long t;
    private double v;

    MergedSamples(List<SampleIterator> its) {
      this.its = its;
      this.has = new boolean[its.size()];
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        for (int i = 0; i < its.size(); i++) {
          has[i] = its.get(i).next();
        }
      } else {
        for (int i = 0; i < its.size(); i++) {
          while (has[i] && its.get(i).t() <= t) {
            has[i] = its.get(i).next();
          }
        }
      }
      return pick();
    }

    private boolean pick() {
      int best = -1;
      for (int i = 0; i < its.size(); i++) {
        if (has[i] && (best < 0 || its.get(i).t() < its.get(best).t())) {
          best = i;
        }
      }
      if (best < 0) {
        return false;
      }
      t = its.get(best).t();
      v = its.get(best).v();
      return true;
    }

    @Override
    public boolean seek(long target) {
      if (started && t >= target) {
        return true;
      }
      started = true;
      for (int i = 0; i < its.size(); i++) {
        has[i] = its.get(i).seek(target);
      }
      return pick();
    }

    @Override
    public long t() {
      return t;
    }

    @Override
    public double v() {
      return v;
    }
  }
}
